// `sizes`: each file of dist/, raw, gzip -9 and brotli (quality 11); the totals cover wasm + JS + CSS.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { ANCHOR, DIST } from './lib/context.mjs';
import { fmtKB } from './lib/report.mjs';

export function sizes() {
  const files = fs
    .readdirSync(DIST)
    .filter((f) => /\.(wasm|js|css|html)$/.test(f))
    .sort();
  const rows = files.map((f) => {
    const buf = fs.readFileSync(path.join(DIST, f));
    const kind = f.endsWith('.wasm') ? 'wasm' : f.endsWith('.js') ? 'js' : f.endsWith('.css') ? 'css' : 'html';
    const gzip = zlib.gzipSync(buf, { level: 9 }).length;
    const brotli = zlib.brotliCompressSync(buf, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
        [zlib.constants.BROTLI_PARAM_LGWIN]: zlib.constants.BROTLI_MAX_WINDOW_BITS,
        [zlib.constants.BROTLI_PARAM_MODE]: kind === 'wasm' ? zlib.constants.BROTLI_MODE_GENERIC : zlib.constants.BROTLI_MODE_TEXT,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: buf.length,
      },
    }).length;
    return { file: f, kind, raw: buf.length, gzip, brotli };
  });
  const app = rows.filter((r) => r.kind !== 'html');
  const sum = (k) => app.reduce((a, r) => a + r[k], 0);
  const total = { raw: sum('raw'), gzip: sum('gzip'), brotli: sum('brotli') };
  const all = { raw: rows.reduce((a, r) => a + r.raw, 0), gzip: rows.reduce((a, r) => a + r.gzip, 0) };
  return { files: rows, appTotal: total, allTotal: all };
}

export function tableRows(R, add) {
  if (!R.sizes) return;
  const t = R.sizes.appTotal;
  // The bundle's targets (docs/performance.md, "Targets"): the raw wasm before the
  // bundle's own gzip copy, and its gzip size.
  add('bundle', 'wasm+JS+CSS gzip -9', fmtKB(t.gzip), '≤ 300 KB', t.gzip <= 300_000, `${ANCHOR.official.gzipMB} MB (whole UI)`);
  add('bundle', 'wasm+JS+CSS raw, before our own gzip copy', fmtKB(t.raw), '≤ 800 KB', t.raw <= 800_000, `${ANCHOR.official.rawMB} MB`);
  add('bundle', 'wasm+JS+CSS brotli', fmtKB(t.brotli), '—', null);
  for (const f of R.sizes.files) add('bundle', `  ${f.file}`, `${fmtKB(f.raw)} / ${fmtKB(f.gzip)} gz / ${fmtKB(f.brotli)} br`, '—', null);
}
