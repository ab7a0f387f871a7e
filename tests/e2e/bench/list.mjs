// `list`: time to peers visible, console vs the static floor served by the same stand-in, at 1,000
// and 10,000 peers: first peer row painted, list settled, rows in the DOM, bytes on the wire.
import { ANCHOR, errors, LIST_CFG, log, RUNS } from './lib/context.mjs';
import { digestLoad, loadOnce } from './lib/load.mjs';
import { fmtKB, fmtMs, spread } from './lib/report.mjs';
import { median, round, summary } from './lib/stats.mjs';

export async function listBench(ctx) {
  const out = {};
  const variants = [];
  for (const n of [1000, 10000]) {
    variants.push({ key: `console${n}`, n, kind: 'console', url: `${ctx.sims[n].origin}/ui/peers` });
    variants.push({ key: `floor${n}`, n, kind: 'floor', url: `${ctx.sims[n].origin}/ui/floor-${n}.html` });
  }
  for (const v of variants) out[v.key] = { ...v, runs: [] };
  for (let run = 0; run < RUNS; run++) {
    // Interleaved: console and floor alternate, and which of them goes first alternates per run.
    const order = run % 2 === 0 ? variants : [variants[1], variants[0], variants[3], variants[2]];
    for (const v of order) {
      if (out[v.key].error) continue; // one failed load is enough: do not wait out the timeout 7 times
      try {
        const r = await loadOnce(v.url, LIST_CFG);
        out[v.key].runs.push(digestLoad(r, v.kind));
      } catch (e) {
        out[v.key].error = e.message.split('\n')[0];
        errors.push(`list ${v.key}: ${out[v.key].error}`);
      }
    }
    log(
      `list run ${run + 1}/${RUNS}: ` +
        variants.map((v) => (out[v.key].error ? `${v.key} failed` : `${v.key} ${round(out[v.key].runs.at(-1).firstRowPainted, 0)}/${round(out[v.key].runs.at(-1).settledPainted, 0)} ms`)).join(', '),
    );
  }
  for (const v of variants) {
    const runs = out[v.key].runs;
    if (runs.length === 0) {
      out[v.key].firstRow = summary([]);
      out[v.key].settled = summary([]);
      out[v.key].breakdown = {};
      continue;
    }
    out[v.key].firstRow = summary(runs.map((r) => r.firstRowPainted));
    out[v.key].settled = summary(runs.map((r) => r.settledPainted));
    out[v.key].rowsInDom = runs.at(-1).rows;
    out[v.key].wireBytes = median(runs.map((r) => r.wireBytes));
    if (v.kind === 'console') {
      out[v.key].breakdown = {
        wasmLoaded: summary(runs.map((r) => r.wasmLoaded)).median,
        appStarted: summary(runs.map((r) => r.appStarted)).median,
        apiRequestStart: summary(runs.map((r) => r.apiRequestStart)).median,
        apiResponseStart: summary(runs.map((r) => r.apiResponseStart)).median,
        apiResponseEnd: summary(runs.map((r) => r.apiResponseEnd)).median,
        firstRowInDom: summary(runs.map((r) => r.firstRowInDom)).median,
        firstRowPainted: summary(runs.map((r) => r.firstRowPainted)).median,
        apiBytes: runs.at(-1).apiBytes,
        apiDecodedBytes: runs.at(-1).apiDecodedBytes,
      };
    }
    const errs = runs.flatMap((r) => r.errors);
    if (errs.length) out[v.key].pageErrors = [...new Set(errs)].slice(0, 5);
  }
  for (const n of [1000, 10000]) {
    const c = out[`console${n}`];
    const f = out[`floor${n}`];
    out[`ratio${n}`] = {
      firstRow: c.firstRow.median && f.firstRow.median ? round(c.firstRow.median / f.firstRow.median, 2) : null,
      settled: c.settled.median && f.settled.median ? round(c.settled.median / f.settled.median, 2) : null,
    };
  }
  return out;
}

export function tableRows(R, add) {
  if (!R.list) return;
  for (const n of [1000, 10000]) {
    const c = R.list[`console${n}`];
    const f = R.list[`floor${n}`];
    const ratio = R.list[`ratio${n}`];
    const N = n.toLocaleString('en-US');
    const off = n === 1000 ? ANCHOR.official.first1k : ANCHOR.official.first10k;
    const st = n === 1000 ? ANCHOR.static.first1k : ANCHOR.static.first10k;
    add(`${N} peers`, 'first peer row painted, median (min–max)', spread(c.firstRow), '—', null, fmtMs(off), spread(f.firstRow));
    add(`${N} peers`, 'ratio console / floor, first row', `${ratio.firstRow ?? 'n/a'}×`, n === 1000 ? '≤ 1.2×' : '—', n === 1000 ? ratio.firstRow != null && ratio.firstRow <= 1.2 : null, `${round(off / st, 1)}× (vs its static page)`);
    add(`${N} peers`, 'list settled, median (min–max)', spread(c.settled), '—', null, '—', spread(f.settled));
    add(`${N} peers`, 'ratio console / floor, settled', `${ratio.settled ?? 'n/a'}×`, n === 1000 ? '≤ 2×' : '—', n === 1000 ? ratio.settled != null && ratio.settled <= 2 : null);
    add(`${N} peers`, 'rows in the DOM after settle', `${c.rowsInDom ?? 'n/a'} (${c.runs.at(-1)?.countText ?? ''})`, '—', null, `${ANCHOR.official.rows} (virtualised)`, String(f.rowsInDom));
    add(`${N} peers`, 'bytes on the wire, first load', fmtKB(c.wireBytes), '—', null, `${n === 1000 ? ANCHOR.official.wire1k : ANCHOR.official.wire10k} MB`, fmtKB(f.wireBytes));
    const b = c.breakdown || {};
    add(`${N} peers`, 'console medians: wasm loaded / app started / API sent / API answered / row in DOM', `${fmtMs(b.wasmLoaded)} / ${fmtMs(b.appStarted)} / ${fmtMs(b.apiRequestStart)} / ${fmtMs(b.apiResponseEnd)} / ${fmtMs(b.firstRowInDom)}`, '—', null);
  }
}
