// `throttled`: what an operator on an office or VPN link gets. Chromium's network emulation over CDP
// (40 ms latency, 20 Mbit/s down, 5 Mbit/s up), cache disabled, the UI files served uncompressed as a
// Consul agent serves them (the API gzipped, as Consul gzips it); console and static floor
// interleaved in the same run, at 1,000 peers.
import { ANCHOR, errors, LIST_CFG, log, ONLY, RUNS, THROTTLE } from './lib/context.mjs';
import { digestLoad, loadOnce } from './lib/load.mjs';
import { fmtKB, fmtMs, spread } from './lib/report.mjs';
import { median, round, summary } from './lib/stats.mjs';

export async function throttledBench(ctx) {
  const n = 1000;
  const variants = [
    { key: 'console', kind: 'console', url: `${ctx.sims[n].origin}/ui/peers` },
    { key: 'floor', kind: 'floor', url: `${ctx.sims[n].origin}/ui/floor-${n}.html` },
  ];
  const out = {};
  for (const v of variants) out[v.key] = { ...v, runs: [] };
  for (let run = 0; run < RUNS; run++) {
    const order = run % 2 === 0 ? variants : [...variants].reverse();
    for (const v of order) {
      if (out[v.key].error) continue;
      try {
        out[v.key].runs.push(digestLoad(await loadOnce(v.url, LIST_CFG, THROTTLE), v.kind));
      } catch (e) {
        out[v.key].error = e.message.split('\n')[0];
        errors.push(`throttled ${v.key}: ${out[v.key].error}`);
      }
    }
    log(`throttled run ${run + 1}/${RUNS}: ` + variants.map((v) => (out[v.key].error ? `${v.key} failed` : `${v.key} ${round(out[v.key].runs.at(-1).firstRowPainted, 0)} ms, ${round(out[v.key].runs.at(-1).wireBytes / 1000, 0)} KB`)).join(', '));
  }
  for (const v of variants) {
    const runs = out[v.key].runs;
    out[v.key].firstRow = summary(runs.map((r) => r.firstRowPainted));
    out[v.key].wireBytes = runs.length ? median(runs.map((r) => r.wireBytes)) : null;
    if (v.kind === 'console' && runs.length) {
      out[v.key].breakdown = {
        wasmLoaded: summary(runs.map((r) => r.wasmLoaded)).median,
        appStarted: summary(runs.map((r) => r.appStarted)).median,
        apiRequestStart: summary(runs.map((r) => r.apiRequestStart)).median,
        apiResponseEnd: summary(runs.map((r) => r.apiResponseEnd)).median,
        firstRowInDom: summary(runs.map((r) => r.firstRowInDom)).median,
      };
    }
    const errs = runs.flatMap((r) => r.errors);
    if (errs.length) out[v.key].pageErrors = [...new Set(errs)].slice(0, 5);
  }
  const c = out.console.firstRow.median;
  const f = out.floor.firstRow.median;
  out.ratio = c && f ? round(c / f, 2) : null;
  return out;
}

export function tableRows(R, add) {
  if (R.throttled) {
    const T = R.throttled;
    const c = T.console;
    const f = T.floor;
    const g = 'throttled 1,000 (40 ms, 20/5 Mbit/s, cold)';
    add(g, 'first peer row painted, median (min–max)', spread(c.firstRow), '—', null, fmtMs(ANCHOR.officialThrottled1k), spread(f.firstRow));
    add(g, 'ratio console / floor, first row', `${T.ratio ?? 'n/a'}×`, '≤ 2×', T.ratio != null && T.ratio <= 2, `${round(ANCHOR.officialThrottled1k / (f.firstRow.median || NaN), 1)}× (vs this run's floor)`);
    add(g, 'bytes on the wire, cold load of the peers page', fmtKB(c.wireBytes), '≤ 450 KB', c.wireBytes != null && c.wireBytes <= 450_000, fmtKB(ANCHOR.officialWire1k), fmtKB(f.wireBytes));
    const b = c.breakdown || {};
    add(g, 'console medians: wasm loaded / app started / API sent / API answered / row in DOM', `${fmtMs(b.wasmLoaded)} / ${fmtMs(b.appStarted)} / ${fmtMs(b.apiRequestStart)} / ${fmtMs(b.apiResponseEnd)} / ${fmtMs(b.firstRowInDom)}`, '—', null);
  } else if (ONLY.includes('throttled')) add('throttled 1,000', 'first peer row painted', 'not measured', '≤ 2× floor', false);
}
