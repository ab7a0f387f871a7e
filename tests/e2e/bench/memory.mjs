// `memory`: the peers page with 10,000 peerings, settled, after three forced GCs: V8's JS heap,
// Blink's embedder (DOM) heap, the wasm linear memory and the DOM elements; the static floor's the
// same way, for scale. The console's page is the one the filter bench types in (filter.mjs).
import { ANCHOR } from './lib/context.mjs';
import { fmtMB } from './lib/report.mjs';

export async function memoryOf(page, ctxPw) {
  const cdp = await ctxPw.newCDPSession(page);
  try {
    await cdp.send('HeapProfiler.enable');
    for (let i = 0; i < 3; i++) await cdp.send('HeapProfiler.collectGarbage');
    const heap = await cdp.send('Runtime.getHeapUsage');
    const wasm = await page.evaluate(() => (window.__bench ? window.__bench.wasmBytes() : null));
    const dom = await page.evaluate(() => document.getElementsByTagName('*').length);
    return {
      jsHeapUsed: heap.usedSize,
      jsHeapTotal: heap.totalSize,
      embedderHeapUsed: heap.embedderHeapUsedSize ?? null,
      backingStorage: heap.backingStorageSize ?? null,
      wasmLinear: wasm,
      domElements: dom,
    };
  } finally {
    await cdp.detach().catch(() => {});
  }
}

export function tableRows(R, add) {
  if (!R.memory) return;
  const m = R.memory;
  const f = R.floorMemory;
  add('memory 10,000', 'JS heap after GC', fmtMB(m.jsHeapUsed), '—', null, `${ANCHOR.official.heap10k} MB`, f ? `${fmtMB(f.jsHeapUsed)} (static ${ANCHOR.static.heap10k} MB)` : '—');
  add('memory 10,000', 'DOM (Blink embedder) heap after GC', fmtMB(m.embedderHeapUsed), '—', null, '—', f ? fmtMB(f.embedderHeapUsed) : '—');
  add('memory 10,000', 'wasm linear memory', fmtMB(m.wasmLinear), '—', null);
  const both = (m.jsHeapUsed || 0) + (m.wasmLinear || 0);
  add('memory 10,000', 'JS heap + wasm', fmtMB(both), '≤ 25 MB', both <= 25e6, `${ANCHOR.official.heap10k} MB (JS only)`);
  add('memory 10,000', 'DOM elements', String(m.domElements), '—', null, '—', f ? String(f.domElements) : '—');
}
