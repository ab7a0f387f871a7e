// `filter`: typing in the peers page's search over 10,000 peerings, settled: 24 keystrokes, each of
// which changes the rows (narrowing 10,000 -> 1,000 -> 100 -> 10 -> 1 and widening back), from the
// keydown to the paint after the count line shows the expected number. The filter is typed in the
// page whose memory is read (memory.mjs): one load of 10,000 serves both.
import { ANCHOR, browser, INSTR, LIST_CFG, log, LOAD_TIMEOUT_MS, ONLY, QUIET_MS, section } from './lib/context.mjs';
import { sleep } from './lib/rawpage.mjs';
import { fmtMs } from './lib/report.mjs';
import { median, percentile, round } from './lib/stats.mjs';
import { memoryOf } from './memory.mjs';

function expectedCount(peerings, value) {
  const needle = value.trim().toLowerCase();
  if (!needle) return peerings.length;
  return peerings.filter((p) => p.Name.toLowerCase().includes(needle) || String(p.ID).toLowerCase().includes(needle)).length;
}

export async function filterAndMemoryBench(ctx) {
  const sim = ctx.sims[10000];
  const peerings = ctx.data[10000].peerings;
  const res = { memory: null, floorMemory: null, filter: null };
  const pctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await pctx.newPage();
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.addInitScript({ content: `window.__BENCH_CFG=${JSON.stringify(LIST_CFG)};\n${INSTR}` });
    await page.goto(`${sim.origin}/ui/peers`, { waitUntil: 'commit', timeout: LOAD_TIMEOUT_MS });
    await page.waitForFunction((q) => window.__bench && window.__bench.isSettled(q), QUIET_MS, { timeout: LOAD_TIMEOUT_MS, polling: 100 });
    if (ONLY.includes('memory')) {
      res.memory = await section('memory', () => memoryOf(page, pctx));
      if (res.memory) log(`memory (10,000): JS heap ${(res.memory.jsHeapUsed / 2 ** 20).toFixed(1)} MiB, wasm ${((res.memory.wasmLinear ?? 0) / 2 ** 20).toFixed(1)} MiB`);
    }
    if (ONLY.includes('filter')) res.filter = await section('filter', () => filterKeys(page, peerings, pageErrors));
  } finally {
    await pctx.close().catch(() => {});
  }
  if (ONLY.includes('memory')) {
    // The static floor's heap, for scale.
    const fctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const page = await fctx.newPage();
      await page.addInitScript({ content: `window.__BENCH_CFG=${JSON.stringify(LIST_CFG)};\n${INSTR}` });
      await page.goto(`${sim.origin}/ui/floor-10000.html`, { waitUntil: 'commit', timeout: LOAD_TIMEOUT_MS });
      await page.waitForFunction((q) => window.__bench && window.__bench.isSettled(q), QUIET_MS, { timeout: LOAD_TIMEOUT_MS, polling: 100 });
      res.floorMemory = await section('floor memory', () => memoryOf(page, fctx));
    } finally {
      await fctx.close().catch(() => {});
    }
  }
  return res;
}

async function filterKeys(page, peerings, pageErrors) {
    const box = page.locator('input[aria-label="Search peers"]');
    await box.click({ timeout: 10_000 });
    // Unmeasured setup: a prefix every name shares (IDs are UUIDs and never contain "n").
    // It may change nothing on screen (every row matches), so wait for the count line and quiet instead.
    let value = 'bench-0';
    await page.keyboard.type(value, { delay: 30 });
    await page.waitForFunction(
      (e) => {
        const c = document.querySelector('p.count');
        const m = c && /\d[\d,.\u00a0\u202f]*/.exec(c.textContent);
        const n = m ? Number(m[0].replace(/[^\d]/g, '')) : null;
        return n === e && performance.now() - (window.__bench.lastMut || 0) > 500;
      },
      expectedCount(peerings, value),
      { timeout: 30_000, polling: 100 },
    );
    await sleep(500);
    // Each keystroke changes the rows: narrowing 10,000 -> 1,000 -> 100 -> 10 -> 1 and widening back.
    const keys = [];
    for (const digits of ['4217', '9835', '1502']) {
      for (const d of digits) keys.push(d);
      for (let i = 0; i < digits.length; i++) keys.push('Backspace');
    }
    const samples = [];
    let misses = 0;
    for (const key of keys) {
      if (misses >= 3) break; // the count line never showed the expected number: stop, do not wait 24 × 20 s
      const next = key === 'Backspace' ? value.slice(0, -1) : value + key;
      const expected = expectedCount(peerings, next);
      await page.evaluate((e) => window.__bench.arm(e), expected);
      await page.keyboard.press(key);
      let ok = true;
      try {
        await page.waitForFunction(() => window.__bench.key.done, null, { timeout: 20_000, polling: 50 });
      } catch {
        ok = false;
      }
      misses = ok ? 0 : misses + 1;
      await sleep(250);
      const k = await page.evaluate(() => ({ ...window.__bench.key }));
      // Event Timing entries of this keystroke's events (keydown, keypress/beforeinput/input, keyup).
      const et = await page.evaluate(
        (t) => window.__bench.events.filter((e) => t != null && e.start >= t - 1 && e.start <= t + 50).map((e) => ({ name: e.name, dur: e.dur })),
        k.t0,
      );
      const etMax = et.length ? Math.max(...et.map((e) => e.dur)) : 0;
      const polls = await page.evaluate(
        ([a, b]) => performance.getEntriesByType('resource').filter((r) => r.name.includes('/v1/peerings') && r.responseEnd >= a && r.startTime <= b).length,
        [k.t0 ?? 0, k.painted ?? performance.now()],
      );
      samples.push({
        key,
        value: next,
        expected,
        ok,
        latency: ok ? k.painted - k.t0 : null,
        toDom: ok ? k.matchedAt - k.t0 : null,
        queueDelay: k.handlerAt != null && k.t0 != null ? k.handlerAt - k.t0 : null,
        overlappedPoll: polls > 0,
        eventTiming: etMax, // 0 = every event of the keystroke under 16 ms (not reported by the browser)
      });
      value = next;
    }
    const lat = samples.filter((s) => s.ok).map((s) => s.latency);
    if (lat.length === 0) throw new Error('no keystroke produced the expected count line (p.count) within 20 s');
    const filter = {
      keystrokes: samples.length,
      measured: lat.length,
      median: round(median(lat)),
      p95: round(percentile(lat, 95)),
      min: round(Math.min(...lat)),
      max: round(Math.max(...lat)),
      toDomMedian: round(median(samples.filter((s) => s.ok).map((s) => s.toDom))),
      domToPaintMedian: round(median(samples.filter((s) => s.ok).map((s) => s.latency - s.toDom))),
      narrowingMedian: round(median(samples.filter((s) => s.ok && s.key !== 'Backspace').map((s) => s.latency))),
      wideningMedian: round(median(samples.filter((s) => s.ok && s.key === 'Backspace').map((s) => s.latency))),
      backTo10kMedian: round(median(samples.filter((s) => s.ok && s.expected === peerings.length).map((s) => s.latency))),
      overlappedPolls: samples.filter((s) => s.overlappedPoll).length,
      eventTiming: {
        under16: samples.filter((s) => s.ok && s.eventTiming < 16).length,
        median: median(samples.filter((s) => s.ok).map((s) => s.eventTiming)),
        p95: percentile(samples.filter((s) => s.ok).map((s) => s.eventTiming), 95),
      },
      samples: samples.map((s) => ({ ...s, latency: round(s.latency), toDom: round(s.toDom), queueDelay: round(s.queueDelay) })),
      pageErrors: pageErrors.slice(0, 5),
    };
    log(`filter (10,000): median ${filter.median} ms, p95 ${filter.p95} ms over ${lat.length} keystrokes`);
    return filter;
}

export function tableRows(R, add) {
  if (R.filter) {
    const f = R.filter;
    add('filter 10,000', `keystroke → rows painted, median (${f.measured} keys)`, fmtMs(f.median), '≤ 16 ms', f.median != null && f.median <= 16, `${fmtMs(ANCHOR.official.search10k)} (one input)`, fmtMs(ANCHOR.static.search10k));
    add('filter 10,000', 'keystroke → rows painted, p95', fmtMs(f.p95), '≤ 50 ms', f.p95 != null && f.p95 <= 50);
    add('filter 10,000', 'min–max; narrowing / widening median', `${Math.round(f.min)}–${Math.round(f.max)} ms; ${fmtMs(f.narrowingMedian)} / ${fmtMs(f.wideningMedian)}`, '—', null);
    const et = f.eventTiming;
    const etFmt = (x) => (x == null ? 'n/a' : x < 16 ? '< 16 ms' : fmtMs(x));
    add('filter 10,000', 'cross-check, Event Timing to presentation: median / p95', `${etFmt(et.median)} / ${etFmt(et.p95)} (${et.under16} of ${f.measured} keys < 16 ms)`, '≤ 16 / 50 ms', null);
    add('filter 10,000', 'split: keydown → DOM updated / DOM → painted (medians)', `${fmtMs(f.toDomMedian)} / ${fmtMs(f.domToPaintMedian)}`, '—', null);
  } else if (ONLY.includes('filter')) add('filter 10,000', 'keystroke → rows painted', 'not measured', '≤ 16 / 50 ms', false);
}
