// The table: how figures are written, the rows each bench adds, the Markdown table printed, and
// (BENCH_UPDATE_DOCS=1) the copy of it in docs/performance.md.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { log, repo } from './context.mjs';

export const fmtMs = (x) => (x == null ? 'n/a' : `${Math.round(x).toLocaleString('en-US')} ms`);
export const fmtKB = (b) => (b == null ? 'n/a' : `${(b / 1000).toLocaleString('en-US', { maximumFractionDigits: 1 })} KB`);
export const fmtMB = (b) => (b == null ? 'n/a' : `${(b / 1e6).toFixed(1)} MB`);
export const spread = (s) => (s && s.n ? `${fmtMs(s.median)} (${Math.round(s.min)}–${Math.round(s.max)})` : 'n/a');

/** The table's rows, from each bench's `tableRows(R, add)` in `benches`' order. */
export function buildTable(R, benches) {
  const rows = [];
  const add = (group, measure, ours, target, verdict, official = '—', floor = '—') =>
    rows.push({ group, measure, ours, target, verdict: verdict === null ? '—' : verdict ? 'ok' : 'MISS', official, floor });
  for (const bench of benches) bench.tableRows(R, add);
  return rows;
}

export function printTable(rows) {
  const cols = [
    ['group', 'Group'],
    ['measure', 'Measure'],
    ['ours', 'Console'],
    ['target', 'Target'],
    ['verdict', ''],
    ['official', 'Official UI'],
    ['floor', 'Floor (same run)'],
  ];
  const w = cols.map(([k, h]) => Math.max(h.length, ...rows.map((r) => String(r[k]).length)));
  const line = (cells) => '| ' + cells.map((c, i) => String(c).padEnd(w[i])).join(' | ') + ' |';
  const outLines = [line(cols.map((c) => c[1])), '|' + w.map((x) => '-'.repeat(x + 2)).join('|') + '|'];
  let prev = null;
  for (const r of rows) {
    outLines.push(line(cols.map(([k]) => (k === 'group' && r.group === prev ? '' : r[k]))));
    prev = r.group;
  }
  return outLines.join('\n');
}

// BENCH_UPDATE_DOCS=1: put the latest table and machine into docs/performance.md, between markers.
export function updateDocs(R, text) {
  const doc = path.join(repo, 'docs', 'performance.md');
  if (!fs.existsSync(doc)) return log('docs/performance.md not found; not updated');
  const src = fs.readFileSync(doc, 'utf8');
  const start = '<!-- bench:latest:start -->';
  const end = '<!-- bench:latest:end -->';
  const a = src.indexOf(start);
  const b = src.indexOf(end);
  if (a < 0 || b < a) return log('docs/performance.md has no bench markers; not updated');
  const m = R.meta;
  const block =
    `${start}\n` +
    `Run ${m.date} (${m.durationS} s): ${m.nproc} cores (${m.cpu}), ${m.memGB} GiB, Chromium ${m.chromium ?? 'n/a'}, Node ${m.node}, ` +
    `${m.runs} cold runs per timing, load average ${m.loadAvgAtStart[0]} at start and ${m.loadAvgAtEnd[0]} at end` +
    `${m.gitHead ? `, commit ${m.gitHead}` : ''}.\n\n${text}\n${end}`;
  fs.writeFileSync(doc, src.slice(0, a) + block + src.slice(b + end.length));
  log('docs/performance.md updated');
}
