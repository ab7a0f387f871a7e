// What every bench shares: the knobs (environment), the paths, the page-load settings, the anchors
// the table prints beside our figures, the log, the browser, and the list of sections that could not
// be measured.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { distDir, repoRoot, simBin } from '../../support/launch.cjs';

const lib = path.dirname(fileURLToPath(import.meta.url));

export const repo = repoRoot;
export const DIST = distDir;
export const SIM_BIN = simBin;
export const RUNS = Math.max(1, Number(process.env.BENCH_RUNS || 7));
export const IDLE_S = Math.max(5, Number(process.env.BENCH_IDLE_S || 20));
export const HIDDEN_S = Math.max(5, Number(process.env.BENCH_HIDDEN_S || 12));
export const ONLY = (process.env.BENCH_ONLY || 'sizes,list,throttled,filter,detail,memory,network,review,map').split(',').map((s) => s.trim());
export const OUT = path.join(repo, 'target', 'bench', 'results.json');
export const INSTR = fs.readFileSync(path.join(lib, 'instrument.js'), 'utf8');
export const QUIET_MS = 750; // a list is settled when no row changed for this long after a paint
export const LOAD_TIMEOUT_MS = Math.max(5, Number(process.env.BENCH_LOAD_TIMEOUT_S || 90)) * 1000;
export const LIST_CFG = { table: 'table[aria-label="Peerings"]', extra: 'p.count, .empty-filter' };
// Chromium's network emulation (CDP takes bytes per second): 40 ms latency, 20 / 5 Mbit/s.
export const THROTTLE = { offline: false, latency: 40, downloadThroughput: 20_000_000 / 8, uploadThroughput: 5_000_000 / 8 };
export const DETAIL_CFG = { table: 'table[aria-label="Imported services"]', extra: null, mark: '.peer-summary' };

// The official Consul UI and the static page, measured on this machine kind (../shared/performance-anchors.md).
export const ANCHOR = {
  official: {
    first1k: 1213,
    first10k: 1600,
    search1k: 39,
    search10k: 58,
    rows: 15,
    heap1k: 22,
    heap10k: 53,
    wire1k: 6.0,
    wire10k: 6.9,
    rawMB: 6.06,
    gzipMB: 1.32,
    pollS: 10,
  },
  // ../shared/performance-anchors.md, re-measured 2026-11-30: the official UI over the throttled link.
  officialThrottled1k: 3810,
  officialWire1k: 6026_000,
  static: { first1k: 210, first10k: 263, search1k: 15, search10k: 184, heap1k: 1, heap10k: 2.5, wire1k: 77, wire10k: 760 },
};

export const t0 = Date.now();
export const log = (...a) => console.error(`[bench ${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s]`, ...a);

/** A scratch directory for this run (made on first use, removed by run.mjs's cleanup). */
let tmp = null;
export function tmpDir() {
  return (tmp ??= fs.mkdtempSync(path.join(os.tmpdir(), 'peering-bench-')));
}
export function removeTmpDir() {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
}

export const errors = []; // sections that could not be measured (printed, and the exit code is 1)

/** The Chromium every bench drives (launched by run.mjs when a browser bench is selected). */
export let browser = null;
export function setBrowser(b) {
  browser = b;
}

// A section that fails is reported as not measured; the others still run.
export async function section(name, fn) {
  try {
    return await fn();
  } catch (e) {
    const msg = `${name}: ${String(e.message || e).split('\n')[0]}`;
    log(`ERROR ${msg}`);
    errors.push(msg);
    return null;
  }
}
