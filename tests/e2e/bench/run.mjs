// `make bench`: bundle sizes, time to peers visible (console vs a static-HTML floor served by the same
// stand-in), filter latency, detail page, memory and idle network. Prints one table and writes the
// same figures to target/bench/results.json. Exits non-zero only when the benchmark itself crashes;
// a missed target is printed as MISS, not an error.
//
// Environment: SIM_BIN, DIST_DIR, CARGO_TARGET_DIR (as the Makefile exports them), and for quick
// experiments BENCH_RUNS (default 7), BENCH_IDLE_S (default 20), BENCH_HIDDEN_S (default 12),
// BENCH_ONLY (comma list of: sizes,list,throttled,filter,detail,memory,network,review,map).
//
// `throttled` is what an operator on an office or VPN link gets (issue 15): Chromium's network
// emulation over CDP (40 ms latency, 20 Mbit/s down, 5 Mbit/s up), cache disabled, the UI files
// served uncompressed as a Consul agent serves them (the API gzipped, as Consul gzips it); console
// and static floor interleaved in the same run, at 1,000 peers.
import { chromium } from '@playwright/test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { startSim, simArgs as launchArgs, stopAll, killAllSync } from './lib/sim.mjs';
import { chromiumLaunchOptions, distDir, repoRoot, simBin } from '../support/launch.cjs';
import { summary, median, percentile, round } from './lib/stats.mjs';
import { floorHtml } from './lib/floor.mjs';
import { RawPage, sleep } from './lib/rawpage.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
if (process.argv.includes('--help') || process.argv.includes('-h')) {
  // The header comment above is the usage.
  const lines = fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n');
  const head = lines.slice(0, lines.findIndex((l) => !l.startsWith('//')));
  console.log(head.map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
  console.log(`\nNow: SIM_BIN=${simBin} DIST_DIR=${distDir}`);
  process.exit(0);
}
const repo = repoRoot;
const DIST = distDir;
const SIM_BIN = simBin;
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS || 7));
const IDLE_S = Math.max(5, Number(process.env.BENCH_IDLE_S || 20));
const HIDDEN_S = Math.max(5, Number(process.env.BENCH_HIDDEN_S || 12));
const ONLY = (process.env.BENCH_ONLY || 'sizes,list,throttled,filter,detail,memory,network,review,map').split(',').map((s) => s.trim());
const OUT = path.join(repo, 'target', 'bench', 'results.json');
const INSTR = fs.readFileSync(path.join(here, 'lib', 'instrument.js'), 'utf8');
const QUIET_MS = 750; // a list is settled when no row changed for this long after a paint
const LOAD_TIMEOUT_MS = Math.max(5, Number(process.env.BENCH_LOAD_TIMEOUT_S || 90)) * 1000;
const LIST_CFG = { table: 'table[aria-label="Peerings"]', extra: 'p.count, .empty-filter' };
// Chromium's network emulation (CDP takes bytes per second): 40 ms latency, 20 / 5 Mbit/s.
const THROTTLE = { offline: false, latency: 40, downloadThroughput: 20_000_000 / 8, uploadThroughput: 5_000_000 / 8 };
const DETAIL_CFG = { table: 'table[aria-label="Imported services"]', extra: null, mark: '.peer-summary' };

// The official Consul UI and the static page, measured on this machine kind (../shared/performance-anchors.md).
const ANCHOR = {
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

const t0 = Date.now();
const log = (...a) => console.error(`[bench ${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s]`, ...a);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'peering-bench-'));
let browser = null;
const errors = []; // sections that could not be measured (printed, and the exit code is 1)

// ---------------------------------------------------------------- cleanup, whatever happens
let cleaning = null;
async function cleanup() {
  if (cleaning) return cleaning;
  cleaning = (async () => {
    try {
      if (browser) await Promise.race([browser.close(), sleep(10_000)]);
    } catch {}
    await stopAll();
    try {
      fs.rmSync(tmp, { recursive: true, force: true });
    } catch {}
  })();
  return cleaning;
}
process.on('exit', killAllSync);
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, async () => {
    log(`${sig}: stopping`);
    await cleanup();
    process.exit(130);
  });
}
const watchdog = setTimeout(async () => {
  log('watchdog: the benchmark took longer than 25 minutes; stopping');
  await cleanup();
  process.exit(3);
}, 25 * 60_000);
watchdog.unref();

// ---------------------------------------------------------------- 1. sizes
function sizes() {
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

// ---------------------------------------------------------------- page loads (Playwright pages)
async function loadOnce(url, cfg, throttle = null) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await ctx.newPage();
    if (throttle) {
      // Set before the navigation: the document itself comes over the slow link, cold.
      const cdp = await ctx.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
      await cdp.send('Network.emulateNetworkConditions', throttle);
    }
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.addInitScript({ content: `window.__BENCH_CFG=${JSON.stringify(cfg)};\n${INSTR}` });
    await page.goto(url, { waitUntil: 'commit', timeout: LOAD_TIMEOUT_MS });
    await page.waitForFunction((q) => window.__bench && window.__bench.isSettled(q), QUIET_MS, {
      timeout: LOAD_TIMEOUT_MS,
      polling: 100,
    });
    const r = await page.evaluate(() => window.__bench.collect());
    r.errors = pageErrors;
    return r;
  } finally {
    await ctx.close().catch(() => {});
  }
}

function firstResource(r, re) {
  return r.resources.find((x) => re.test(x.name)) || null;
}
const wireBytes = (r) => (r.nav?.transfer || 0) + r.resources.reduce((a, x) => a + (x.transfer || 0), 0);

function digestLoad(r, kind) {
  const api = firstResource(r, /^\/v1\/peerings/);
  const wasm = firstResource(r, /\.wasm(\.gz)?$/);
  return {
    firstRowPainted: r.firstRowPainted,
    firstRowInDom: r.firstRowSeen,
    settledPainted: r.settledPaint,
    rows: r.rows,
    countText: r.countText,
    domNodes: r.domNodes,
    wireBytes: wireBytes(r),
    fcp: r.paints['first-contentful-paint'] ?? null,
    ...(kind === 'console'
      ? {
          wasmLoaded: wasm?.end ?? null,
          appStarted: r.appStarted,
          apiRequestStart: api?.requestStart ?? api?.start ?? null,
          apiResponseStart: api?.responseStart ?? null,
          apiResponseEnd: api?.end ?? null,
          apiBytes: api?.transfer ?? null,
          apiDecodedBytes: api?.decoded ?? null,
        }
      : { htmlEnd: r.nav?.responseEnd ?? null, domContentLoaded: r.nav?.domContentLoaded ?? null }),
    errors: r.errors,
  };
}

// ---------------------------------------------------------------- stand-ins
// Seeded heartbeats stay "fresh" for the whole run (the default 2 m timeout would turn them FAILING mid-run).
const simArgs = (datacenter, uiDir) => launchArgs({ datacenter, uiDir, args: ['--heartbeat-timeout', '1h'] });

async function listPeerings(sim) {
  const res = await sim.api('GET', '/v1/peerings');
  return { peerings: res.json(), date: res.headers.get('date') };
}

function prepareDist() {
  const dir = path.join(tmp, 'bench-dist');
  fs.cpSync(DIST, dir, { recursive: true });
  return dir;
}

// ---------------------------------------------------------------- 2. time to peers visible
async function listBench(ctx) {
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

// ---------------------------------------------------------------- 2b. time to peers visible over a throttled link
async function throttledBench(ctx) {
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

// ---------------------------------------------------------------- 3 and 5. filter latency and memory over 10,000
function expectedCount(peerings, value) {
  const needle = value.trim().toLowerCase();
  if (!needle) return peerings.length;
  return peerings.filter((p) => p.Name.toLowerCase().includes(needle) || String(p.ID).toLowerCase().includes(needle)).length;
}

async function memoryOf(page, ctxPw) {
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

async function filterAndMemoryBench(ctx) {
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

// ---------------------------------------------------------------- 4. detail page with 500 imported services
async function detailSetup(benchDist) {
  const a = await startSim(simArgs('dc1', benchDist));
  const b = await startSim(simArgs('dc2', null));
  const token = (await a.api('POST', '/v1/peering/token', { PeerName: 'dc2' })).json().PeeringToken;
  await b.api('POST', '/v1/peering/establish', { PeerName: 'dc1', PeeringToken: token });
  const names = Array.from({ length: 500 }, (_, i) => `svc-${String(i).padStart(3, '0')}`);
  for (let i = 0; i < names.length; i += 25) {
    await Promise.all(
      names.slice(i, i + 25).map((name, j) => {
        const n = i + j;
        const status = n % 10 === 0 ? 'critical' : n % 7 === 0 ? 'warning' : 'passing';
        return b.api('PUT', '/v1/catalog/register', {
          Node: `dc2-node-${n % 20}`,
          Address: `10.2.${n % 20}.10`,
          Service: { ID: `${name}-1`, Service: name, Port: 8000 + (n % 100), Tags: ['v1'] },
          Checks: [{ CheckID: `service:${name}-1`, Name: `Service '${name}' check`, Status: status, ServiceID: `${name}-1` }],
        });
      }),
    );
  }
  log(`detail: registered ${names.length} services on dc2`);
  await b.api('PUT', '/v1/config', {
    Kind: 'exported-services',
    Name: 'default',
    Services: names.map((Name) => ({ Name, Consumers: [{ Peer: 'dc1' }] })),
  });
  const end = Date.now() + 60_000;
  let imported = 0;
  let listed = 0;
  while (Date.now() < end) {
    const p = (await a.api('GET', '/v1/peering/dc2')).json();
    imported = (p.StreamStatus?.ImportedServices || []).length;
    if (imported >= 500) {
      listed = (await a.api('GET', '/v1/internal/ui/services?peer=dc2')).json().length;
      if (listed >= 500) break;
    }
    await sleep(250);
  }
  return { a, b, imported, listed, state: (await a.api('GET', '/v1/peering/dc2')).json().State };
}

async function detailBench(d) {
  const url = `${d.a.origin}/ui/peers/dc2`;
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const r = await loadOnce(url, DETAIL_CFG);
    const api = firstResource(r, /^\/v1\/internal\/ui\/services/);
    runs.push({
      summaryPainted: r.markPainted,
      firstServicePainted: r.firstRowPainted,
      settledPainted: r.settledPaint,
      rows: r.rows,
      servicesRequestStart: api?.requestStart ?? null,
      servicesResponseEnd: api?.end ?? null,
      errors: r.errors,
    });
  }
  const out = {
    url: '/ui/peers/dc2',
    importedServices: d.imported,
    peeringState: d.state,
    runs,
    summary: summary(runs.map((r) => r.summaryPainted)),
    firstService: summary(runs.map((r) => r.firstServicePainted)),
    settled: summary(runs.map((r) => r.settledPainted)),
    rowsInDom: runs.at(-1).rows,
    servicesResponseEnd: summary(runs.map((r) => r.servicesResponseEnd)).median,
  };
  log(`detail (500 imported): summary ${out.summary.median} ms, first service ${out.firstService.median} ms, all ${out.settled.median} ms`);
  return out;
}

// ---------------------------------------------------------------- 7. reviewing a 3,000-service exports entry
// The diff of a large entry must not freeze the page: the longest main-thread task while the
// review of one more export is prepared and painted (issue 13).
async function reviewBench(benchDist) {
  const sim = await startSim(simArgs('dc1', benchDist));
  try {
    const services = Array.from({ length: 3000 }, (_, i) => ({ Name: `svc-${String(i).padStart(4, '0')}`, Consumers: [{ Peer: 'dc2' }] }));
    await sim.api('PUT', '/v1/config', { Kind: 'exported-services', Name: 'default', Services: services });
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.addInitScript(() => {
        window.__longest = 0;
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) window.__longest = Math.max(window.__longest, e.duration);
        }).observe({ type: 'longtask', buffered: false });
      });
      const pageErrors = [];
      page.on('pageerror', (e) => pageErrors.push(e.message));
      await page.goto(`${sim.origin}/ui/exports`);
      await page.getByLabel('Service', { exact: true }).last().waitFor();
      await page.locator('#new-export-service').fill('zz-new');
      await page.locator('#new-export-peer').fill('dc2');
      await page.evaluate(() => (window.__longest = 0));
      const t = Date.now();
      await page.getByRole('button', { name: 'Review export' }).click();
      await page.getByRole('heading', { name: 'Review: export zz-new to dc2' }).waitFor({ timeout: 30_000 });
      await page.getByLabel('The entry as JSON').locator('.added').first().waitFor();
      const shownMs = Date.now() - t;
      await page.waitForTimeout(300);
      runs.push({ longestTaskMs: round(await page.evaluate(() => window.__longest), 0), shownMs, pageErrors });
      await context.close();
    }
    const out = { runs, longestTask: summary(runs.map((r) => r.longestTaskMs)), shown: summary(runs.map((r) => r.shownMs)) };
    log(`review (3,000 services): longest task median ${out.longestTask.median} ms, shown after ${out.shown.median} ms`);
    return out;
  } finally {
    await sim.stop();
  }
}

// ---------------------------------------------------------------- 8. the map at 1,000 peers
// Issue 17: time to the map drawn (the first painted frame with its peer nodes) and the longest
// main-thread task of that load; then expanding "and N more Active" (every Active peer drawn).
const MAP_PROBE = `(() => {
  const M = (window.__map = { longest: 0, appStarted: null, seen: null, drawn: null, tasks: [] });
  addEventListener('TrunkApplicationStarted', () => (M.appStarted = performance.now()));
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      M.tasks.push([e.startTime, e.duration]);
      M.longest = Math.max(M.longest, e.duration);
    }
  }).observe({ type: 'longtask', buffered: true });
  // rAF runs before the frame is painted; a message posted from it runs after that paint.
  const painted = (done) => requestAnimationFrame(() => { const ch = new MessageChannel(); ch.port1.onmessage = () => done(performance.now()); ch.port2.postMessage(0); });
  const watch = new MutationObserver(() => {
    if (M.seen === null && document.querySelector('[data-testid="peer-map"] [data-map-peer]')) {
      M.seen = performance.now();
      watch.disconnect();
      painted((t) => (M.drawn = t));
    }
  });
  document.addEventListener('DOMContentLoaded', () => watch.observe(document.body, { childList: true, subtree: true }));
  M.painted = painted;
})();`;

async function mapBench(benchDist) {
  const sim = await startSim(simArgs('dc1', benchDist));
  try {
    await sim.api('POST', '/_sim/peerings?count=1000');
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      try {
        const page = await context.newPage();
        const pageErrors = [];
        page.on('pageerror', (e) => pageErrors.push(e.message));
        await page.addInitScript({ content: MAP_PROBE });
        await page.goto(`${sim.origin}/ui/map`, { waitUntil: 'commit', timeout: LOAD_TIMEOUT_MS });
        await page.waitForFunction(() => window.__map && window.__map.drawn !== null, null, { timeout: LOAD_TIMEOUT_MS, polling: 50 });
        await sleep(1000); // long tasks are reported a little after they end
        const load = await page.evaluate(() => {
          const M = window.__map;
          const api = performance.getEntriesByType('resource').find((r) => new URL(r.name).pathname === '/v1/peerings');
          const apiEnd = api ? api.responseEnd : null;
          // The app's own part: from the later of "app started" and "list answered" (the loader
          // asks for the list while the wasm downloads) to the painted map.
          const ready = Math.max(M.appStarted ?? 0, apiEnd ?? 0);
          const started = M.tasks.filter(([t]) => t <= M.drawn);
          return {
            drawn: M.drawn,
            apiEnd,
            appStarted: M.appStarted,
            ready,
            longest: Math.max(0, ...started.map(([, d]) => d)),
            longestAfterReady: Math.max(0, ...started.filter(([t, d]) => t + d >= ready).map(([, d]) => d)),
            nodes: document.querySelectorAll('[data-testid="peer-map"] [data-map-peer]').length,
          };
        });
        // Expand the Active group: every Active peer is drawn.
        const more = page.getByRole('button', { name: /^and \d+ more Active/ });
        await more.waitFor({ timeout: 10_000 });
        await page.evaluate(() => {
          window.__map.tasks = [];
          window.__map.expanded = null;
        });
        const before = load.nodes;
        const t = await page.evaluate(() => performance.now());
        await more.click();
        await page.waitForFunction((n) => document.querySelectorAll('[data-testid="peer-map"] [data-map-peer]').length > n, before, { timeout: 30_000, polling: 20 });
        await page.evaluate(() => new Promise((r) => window.__map.painted((x) => r((window.__map.expanded = x)))));
        await sleep(1000);
        const expand = await page.evaluate((t0) => {
          const M = window.__map;
          return {
            ms: M.expanded - t0,
            longest: Math.max(0, ...M.tasks.map(([, d]) => d)),
            nodes: document.querySelectorAll('[data-testid="peer-map"] [data-map-peer]').length,
          };
        }, t);
        runs.push({ ...load, expandMs: round(expand.ms, 0), expandLongest: round(expand.longest, 0), expandedNodes: expand.nodes, pageErrors });
        log(`map run ${i + 1}/${RUNS}: drawn ${round(load.drawn, 0)} ms (app started ${round(load.appStarted, 0)} ms, API answered ${round(load.apiEnd, 0)} ms), longest task ${round(load.longest, 0)} ms, ${load.nodes} nodes; expand ${round(expand.ms, 0)} ms, longest ${round(expand.longest, 0)} ms, ${expand.nodes} nodes`);
      } finally {
        await context.close().catch(() => {});
      }
    }
    return {
      runs,
      drawn: summary(runs.map((r) => r.drawn)),
      afterReady: summary(runs.map((r) => r.drawn - r.ready)),
      longest: summary(runs.map((r) => r.longest)),
      longestAfterReady: summary(runs.map((r) => r.longestAfterReady)),
      expand: summary(runs.map((r) => r.expandMs)),
      expandLongest: summary(runs.map((r) => r.expandLongest)),
      nodes: runs.at(-1)?.nodes ?? null,
      expandedNodes: runs.at(-1)?.expandedNodes ?? null,
    };
  } finally {
    await sim.stop();
  }
}

// ---------------------------------------------------------------- 6. idle network (raw CDP page: can really be hidden)
const NET_SCRIPT = `(() => {
  const L = (window.__net = { vis: [], fetches: [] });
  document.addEventListener('visibilitychange', () => L.vis.push({ t: performance.now(), hidden: document.hidden }), true);
  const of = window.fetch;
  window.fetch = function (input, init) {
    const url = typeof input === 'string' ? input : (input && input.url) || String(input);
    const rec = { t: performance.now(), url: url.replace(location.origin, ''), hidden: document.hidden };
    L.fetches.push(rec);
    return of.apply(this, arguments);
  };
})();`;

async function idleNetwork(sim, url, cfg, label, pollPath) {
  const rp = await RawPage.open(browser);
  const reqs = new Map();
  let inflight = 0;
  let maxInflight = 0;
  const perPath = {};
  const pathOf = (u) => new URL(u).pathname;
  try {
    rp.on('Network.requestWillBeSent', (p) => {
      if (!p.request.url.includes('/v1/') || reqs.has(p.requestId)) return;
      // wallTime: when the browser's network stack saw the request (the arrival here can lag).
      const r = { path: pathOf(p.request.url), start: p.wallTime ? p.wallTime * 1000 : Date.now(), end: null };
      r.toWall = p.wallTime && p.timestamp ? p.wallTime - p.timestamp : null; // monotonic -> wall clock (s)
      reqs.set(p.requestId, r);
      inflight++;
      maxInflight = Math.max(maxInflight, inflight);
      const pp = (perPath[r.path] ??= { inflight: 0, max: 0 });
      pp.inflight++;
      pp.max = Math.max(pp.max, pp.inflight);
    });
    const done = (p) => {
      const r = reqs.get(p.requestId);
      if (!r || r.end != null) return;
      r.end = r.toWall != null && p.timestamp ? (p.timestamp + r.toWall) * 1000 : Date.now();
      inflight--;
      perPath[r.path].inflight--;
    };
    rp.on('Network.loadingFinished', done);
    rp.on('Network.loadingFailed', done);
    await rp.send('Page.enable');
    await rp.send('Network.enable');
    await rp.send('Page.addScriptToEvaluateOnNewDocument', { source: `window.__BENCH_CFG=${JSON.stringify(cfg)};\n${INSTR}\n${NET_SCRIPT}` });
    await rp.send('Page.navigate', { url });
    const settled = await rp.waitFor(`!!(window.__bench && window.__bench.isSettled(${QUIET_MS}))`, LOAD_TIMEOUT_MS);
    if (!settled) throw new Error(`${label}: page did not settle`);
    const visibleAtStart = await rp.evaluate('[document.hidden, document.visibilityState]');

    // Visible and idle.
    const v0 = Date.now();
    await sleep(IDLE_S * 1000);
    const v1 = Date.now();
    const inWindow = (a, b) => [...reqs.values()].filter((r) => r.start >= a && r.start < b);
    const visible = inWindow(v0, v1);

    // Hidden: another tab in front of this one, in the same window. The stand-in holds the next poll's
    // answer for 1.5 s and the tab is hidden as soon as that poll starts, so the answer lands while
    // hidden (the worst case: nothing may follow from it until the tab is visible again).
    await sim.api('POST', '/_sim/faults', { path: `^${pollPath}`, method: 'GET', delay_ms: 1500, times: 1 });
    const w0 = Date.now();
    while (Date.now() - w0 < 8_000 && ![...reqs.values()].some((r) => r.start >= w0 - 50 && r.path.startsWith(pollPath))) await sleep(10);
    await rp.hide();
    const heldPoll = [...reqs.values()].find((r) => r.start >= w0 - 50 && r.path.startsWith(pollPath));
    const hiddenChecks = [];
    const h0 = Date.now();
    hiddenChecks.push(await rp.evaluate('document.hidden'));
    const steps = Math.ceil(HIDDEN_S / 2);
    for (let i = 0; i < steps; i++) {
      await sleep((HIDDEN_S * 1000) / steps);
      hiddenChecks.push(await rp.evaluate('document.hidden'));
    }
    const h1 = Date.now();
    const hidden = inWindow(h0, h1);

    // Visible again: how soon does the next request follow?
    await rp.show();
    const s0 = Date.now();
    const deadline = s0 + 10_000;
    while (Date.now() < deadline && inWindow(s0, Infinity).length === 0) await sleep(50);
    const afterShow = inWindow(s0, Infinity);
    await sleep(500);
    const net = await rp.evaluate('JSON.stringify(Object.assign({ origin: performance.timeOrigin }, window.__net))').then(JSON.parse);
    const shownAt = net.vis.filter((e) => !e.hidden).at(-1);
    const hiddenAt = net.vis.filter((e) => e.hidden).at(-1);
    // Most requests in flight at once after the page settled (startup requests of the shell excluded).
    let idleMax = 0;
    const after = [...reqs.values()].filter((r) => r.start >= v0);
    for (const r of after) idleMax = Math.max(idleMax, after.filter((o) => o.start <= r.start && (o.end == null || o.end > r.start)).length);
    const firstAfterShow = shownAt ? net.fetches.find((f) => f.t >= shownAt.t) : null;
    const hiddenFetches = net.fetches.filter((f) => f.hidden);
    // The network log's view of the same interval (page clock converted to wall clock).
    const hiddenNet = hiddenAt && shownAt ? inWindow(net.origin + hiddenAt.t, net.origin + shownAt.t) : hidden;
    const fetchesWhileHidden = hiddenFetches.length;
    // What the page was doing just before: the last request started before the tab was hidden.
    const lastBeforeHide = hiddenAt ? net.fetches.filter((f) => f.t < hiddenAt.t).at(-1) : null;
    // Hidden time as the page saw it (visibilitychange to visibilitychange).
    const hiddenForMs = hiddenAt && shownAt ? shownAt.t - hiddenAt.t : null;
    const byPath = {};
    for (const r of visible) byPath[r.path] = (byPath[r.path] || 0) + 1;
    return {
      label,
      url: new URL(url).pathname,
      visibleAtStart,
      idleWindowS: round((v1 - v0) / 1000, 1),
      idleRequests: visible.length,
      requestsPerMinute: round((visible.length * 60_000) / (v1 - v0), 1),
      idleRequestsByPath: byPath,
      maxInFlight: maxInflight,
      maxInFlightByPath: Object.fromEntries(Object.entries(perPath).map(([k, v]) => [k, v.max])),
      hiddenWindowS: round((h1 - h0) / 1000, 1),
      pollAnsweredWhileHidden: !!(heldPoll && heldPoll.end != null && hiddenAt && shownAt && heldPoll.end > net.origin + hiddenAt.t && heldPoll.end < net.origin + shownAt.t),
      hiddenVerified: hiddenChecks.every(Boolean),
      hiddenChecks,
      hiddenForMsInPage: round(hiddenForMs, 0),
      requestsWhileHidden: hiddenNet.length,
      requestsWhileHiddenPaths: hiddenNet.map((r) => r.path),
      fetchCallsWhileHidden: fetchesWhileHidden,
      fetchCallsWhileHiddenDetail: hiddenFetches.map((f) => ({ url: f.url, msAfterHidden: round(f.t - hiddenAt.t, 0) })),
      lastFetchBeforeHidden: lastBeforeHide ? { url: lastBeforeHide.url, msBeforeHidden: round(hiddenAt.t - lastBeforeHide.t, 0) } : null,
      maxInFlightIdle: idleMax,
      refreshAfterShowMs: firstAfterShow ? round(firstAfterShow.t - shownAt.t, 0) : null,
      refreshAfterShowNodeMs: afterShow.length ? round(afterShow[0].start - s0, 0) : null,
    };
  } finally {
    await rp.close();
  }
}

// ---------------------------------------------------------------- table
const fmtMs = (x) => (x == null ? 'n/a' : `${Math.round(x).toLocaleString('en-US')} ms`);
const fmtKB = (b) => (b == null ? 'n/a' : `${(b / 1000).toLocaleString('en-US', { maximumFractionDigits: 1 })} KB`);
const fmtMB = (b) => (b == null ? 'n/a' : `${(b / 1e6).toFixed(1)} MB`);
const spread = (s) => (s && s.n ? `${fmtMs(s.median)} (${Math.round(s.min)}–${Math.round(s.max)})` : 'n/a');

function hiddenText(n) {
  const worst = Math.max(n.requestsWhileHidden, n.fetchCallsWhileHidden);
  const paths = [...new Set([...n.requestsWhileHiddenPaths, ...n.fetchCallsWhileHiddenDetail.map((f) => f.url.split('?')[0])])];
  return worst ? `${worst} (${paths.join(', ')})` : '0';
}

function buildTable(R) {
  const rows = [];
  const add = (group, measure, ours, target, verdict, official = '—', floor = '—') =>
    rows.push({ group, measure, ours, target, verdict: verdict === null ? '—' : verdict ? 'ok' : 'MISS', official, floor });
  if (R.sizes) {
    const t = R.sizes.appTotal;
    // Issue 15's targets: the raw wasm before the bundle's own gzip copy, and its gzip size.
    add('bundle', 'wasm+JS+CSS gzip -9', fmtKB(t.gzip), '≤ 300 KB', t.gzip <= 300_000, `${ANCHOR.official.gzipMB} MB (whole UI)`);
    add('bundle', 'wasm+JS+CSS raw, before our own gzip copy', fmtKB(t.raw), '≤ 800 KB', t.raw <= 800_000, `${ANCHOR.official.rawMB} MB`);
    add('bundle', 'wasm+JS+CSS brotli', fmtKB(t.brotli), '—', null);
    for (const f of R.sizes.files) add('bundle', `  ${f.file}`, `${fmtKB(f.raw)} / ${fmtKB(f.gzip)} gz / ${fmtKB(f.brotli)} br`, '—', null);
  }
  if (R.list) {
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
  if (R.review) {
    add('review 3,000 exports', 'longest main-thread task, median (min–max)', spread(R.review.longestTask), '≤ 200 ms', R.review.longestTask.max <= 200);
    add('review 3,000 exports', 'review shown after clicking, median', fmtMs(R.review.shown.median), '—', null);
  }
  if (R.map) {
    const m = R.map;
    const g = 'map 1,000 peers';
    const ok = (x) => x.max != null && x.max <= 200;
    add(g, `map drawn (${m.nodes} peer nodes), from navigation start, median (min–max)`, spread(m.drawn), '≤ 200 ms', ok(m.drawn));
    add(g, 'map drawn after the app started and /v1/peerings answered, median (min–max)', spread(m.afterReady), '≤ 200 ms', ok(m.afterReady));
    add(g, 'longest main-thread task until drawn, wasm start included (0: none over 50 ms)', spread(m.longest), '≤ 200 ms', ok(m.longest));
    add(g, 'longest main-thread task from then to drawn (0: none over 50 ms)', spread(m.longestAfterReady), '≤ 200 ms', ok(m.longestAfterReady));
    add(g, `"and N more Active" expanded (${m.expandedNodes} peer nodes), click to painted`, spread(m.expand), '≤ 200 ms', ok(m.expand));
    add(g, 'longest main-thread task while expanding (0: none over 50 ms)', spread(m.expandLongest), '≤ 200 ms', ok(m.expandLongest));
  }
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
  if (R.detail) {
    const d = R.detail;
    if (d.notMeasured) add('detail', 'peer with 500 imported services', `not measured: ${d.notMeasured}`, '—', null);
    else {
      add('detail', `summary painted (${d.importedServices} imported)`, spread(d.summary), '—', null);
      add('detail', 'first imported service row painted', spread(d.firstService), '—', null);
      add('detail', `all ${d.rowsInDom} service rows painted`, spread(d.settled), '—', null);
    }
  }
  if (R.memory) {
    const m = R.memory;
    const f = R.floorMemory;
    add('memory 10,000', 'JS heap after GC', fmtMB(m.jsHeapUsed), '—', null, `${ANCHOR.official.heap10k} MB`, f ? `${fmtMB(f.jsHeapUsed)} (static ${ANCHOR.static.heap10k} MB)` : '—');
    add('memory 10,000', 'DOM (Blink embedder) heap after GC', fmtMB(m.embedderHeapUsed), '—', null, '—', f ? fmtMB(f.embedderHeapUsed) : '—');
    add('memory 10,000', 'wasm linear memory', fmtMB(m.wasmLinear), '—', null);
    const both = (m.jsHeapUsed || 0) + (m.wasmLinear || 0);
    add('memory 10,000', 'JS heap + wasm', fmtMB(both), '≤ 25 MB', both <= 25e6, `${ANCHOR.official.heap10k} MB (JS only)`);
    add('memory 10,000', 'DOM elements', String(m.domElements), '—', null, '—', f ? String(f.domElements) : '—');
  }
  for (const n of R.network || []) {
    add(`idle ${n.label}`, `requests / min (${n.idleWindowS} s window)`, `${n.requestsPerMinute}`, '—', null, `${60 / ANCHOR.official.pollS} (polls every ${ANCHOR.official.pollS} s)`);
    const perEndpoint = Math.max(...Object.values(n.maxInFlightByPath));
    add(`idle ${n.label}`, 'most requests in flight at once, one endpoint (per view)', String(perEndpoint), '≤ 1', perEndpoint <= 1);
    add(`idle ${n.label}`, 'most in flight, all endpoints: after settle / incl. app start', `${n.maxInFlightIdle} / ${n.maxInFlight}`, '≤ 1 after settle', n.maxInFlightIdle <= 1);
    add(`idle ${n.label}`, `requests while hidden (${n.hiddenWindowS} s, document.hidden ${n.hiddenVerified ? 'verified' : 'NOT verified'}${n.pollAnsweredWhileHidden ? ', a poll answered while hidden' : ''})`, hiddenText(n), '0', n.hiddenVerified && n.requestsWhileHidden === 0 && n.fetchCallsWhileHidden === 0);
    add(`idle ${n.label}`, 'first request after visible again', fmtMs(n.refreshAfterShowMs), '≤ 1,000 ms', n.refreshAfterShowMs != null && n.refreshAfterShowMs <= 1000);
  }
  return rows;
}

function printTable(rows) {
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

// A section that fails is reported as not measured; the others still run.
async function section(name, fn) {
  try {
    return await fn();
  } catch (e) {
    const msg = `${name}: ${String(e.message || e).split('\n')[0]}`;
    log(`ERROR ${msg}`);
    errors.push(msg);
    return null;
  }
}

// ---------------------------------------------------------------- main
async function main() {
  if (!fs.existsSync(path.join(DIST, 'index.html'))) throw new Error(`no release bundle in ${DIST} (run \`make build\`)`);
  const R = {
    meta: {
      date: new Date().toISOString(),
      nproc: os.cpus().length,
      cpu: os.cpus()[0]?.model ?? 'unknown',
      memGB: round(os.totalmem() / 2 ** 30, 1),
      node: process.version,
      runs: RUNS,
      loadAvgAtStart: os.loadavg().map((x) => round(x, 2)),
      dist: DIST,
      simBin: SIM_BIN,
      gitHead: (() => {
        try {
          return execFileSync('git', ['-C', repo, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
        } catch {
          return null;
        }
      })(),
    },
  };
  if (ONLY.includes('sizes')) {
    R.sizes = sizes();
    log(`sizes: wasm+JS+CSS ${R.sizes.appTotal.raw} B raw, ${R.sizes.appTotal.gzip} B gzip`);
  }
  const needBrowser = ONLY.some((x) => ['list', 'throttled', 'filter', 'memory', 'detail', 'network', 'review', 'map'].includes(x));
  if (needBrowser) {
    browser = await chromium.launch({ ...chromiumLaunchOptions, timeout: 60_000 });
    R.meta.chromium = browser.version();
    const benchDist = prepareDist();
    const cssFiles = fs.readdirSync(benchDist).filter((f) => f.endsWith('.css')).sort();
    const ctx = { sims: {}, data: {} };
    if (ONLY.some((x) => ['list', 'throttled', 'filter', 'memory', 'network'].includes(x))) {
      for (const n of [1000, 10000]) {
        ctx.sims[n] = await startSim(simArgs('dc1', benchDist));
        await ctx.sims[n].api('POST', `/_sim/peerings?count=${n}`);
        ctx.data[n] = await listPeerings(ctx.sims[n]);
        const states = {};
        for (const p of ctx.data[n].peerings) states[p.State] = (states[p.State] || 0) + 1;
        R.meta[`seeded${n}`] = { count: ctx.data[n].peerings.length, states };
        // Both stand-ins serve the same directory; each floor file holds its own stand-in's rows.
        fs.writeFileSync(path.join(benchDist, `floor-${n}.html`), floorHtml(ctx.data[n].peerings, ctx.data[n].date, cssFiles));
        const check = await ctx.sims[n].api('GET', `/ui/floor-${n}.html`);
        if (!check.text.includes('bench-00000')) throw new Error('the stand-in does not serve the floor page');
        log(`stand-in with ${n} peerings at ${ctx.sims[n].origin} (${JSON.stringify(states)})`);
      }
    }
    if (ONLY.includes('list')) R.list = await section('list', () => listBench(ctx));
    if (ONLY.includes('throttled')) {
      R.throttled = await section('throttled', () => throttledBench(ctx));
      if (R.throttled) log(`throttled: console ${R.throttled.console.firstRow.median} ms, floor ${R.throttled.floor.firstRow.median} ms (${R.throttled.ratio}×), ${R.throttled.console.wireBytes} B`);
    }
    if (ONLY.includes('filter') || ONLY.includes('memory')) Object.assign(R, (await section('filter/memory', () => filterAndMemoryBench(ctx))) ?? {});
    let detail = null;
    if (ONLY.includes('detail') || ONLY.includes('network')) {
      try {
        detail = await detailSetup(benchDist);
        log(`detail stand-ins: dc2 is ${detail.state} on dc1, ${detail.imported} imported services, ${detail.listed} listed`);
      } catch (e) {
        log(`detail setup failed: ${e.message}`);
        R.detail = { notMeasured: `setting up 500 imported services failed: ${e.message}` };
      }
    }
    if (ONLY.includes('detail') && detail) {
      R.detail =
        detail.imported >= 500 && detail.listed >= 500
          ? ((await section('detail', () => detailBench(detail))) ?? { notMeasured: 'the page did not load (see errors)' })
          : { notMeasured: `the peer imported only ${detail.imported} services (${detail.listed} listed) within 60 s` };
    }
    if (ONLY.includes('review')) R.review = await section('review', () => reviewBench(benchDist));
    if (ONLY.includes('map')) R.map = await section('map', () => mapBench(benchDist));
    if (ONLY.includes('network')) {
      R.network = [];
      const peersNet = await section('network peers', () =>
        idleNetwork(ctx.sims[10000], `${ctx.sims[10000].origin}/ui/peers`, LIST_CFG, 'peers page (10,000)', '/v1/peerings'),
      );
      if (peersNet) R.network.push(peersNet);
      if (detail) {
        const detailNet = await section('network detail', () =>
          idleNetwork(detail.a, `${detail.a.origin}/ui/peers/dc2`, DETAIL_CFG, 'detail page', '/v1/peering/dc2'),
        );
        if (detailNet) R.network.push(detailNet);
      }
      for (const n of R.network) log(`network ${n.label}: ${n.requestsPerMinute}/min, max in flight ${n.maxInFlight}, hidden ${n.requestsWhileHidden}`);
    }
  }
  R.meta.loadAvgAtEnd = os.loadavg().map((x) => round(x, 2));
  R.errors = errors;
  R.table = buildTable(R);
  const text = printTable(R.table);
  R.meta.durationS = round((Date.now() - t0) / 1000, 0);
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, JSON.stringify(R, null, 2) + '\n');
  console.log(
    `\nPeering console benchmark — ${R.meta.date}, ${R.meta.nproc} cores (${R.meta.cpu}), Chromium ${R.meta.chromium ?? 'n/a'}, ` +
      `${RUNS} cold runs per figure, ${R.meta.durationS} s\n`,
  );
  const busy = Math.max(R.meta.loadAvgAtStart[0], R.meta.loadAvgAtEnd[0]);
  if (busy > R.meta.nproc * 0.75)
    console.log(`Note: load average ${R.meta.loadAvgAtStart[0]} at start, ${R.meta.loadAvgAtEnd[0]} at end on ${R.meta.nproc} cores: other work shared the CPU, absolute times are inflated; ratios from interleaved runs hold up better.\n`);
  console.log(text);
  const misses = R.table.filter((r) => r.verdict === 'MISS');
  console.log(`\n${misses.length ? `${misses.length} target(s) missed: ${misses.map((m) => `${m.group} ${m.measure.trim()}`).join('; ')}` : 'Every target met.'}`);
  if (errors.length) console.log(`\nNot measured because of errors:\n${errors.map((e) => `  - ${e}`).join('\n')}`);
  console.log(`Figures as JSON: ${path.relative(process.cwd(), OUT)}`);
  if (process.env.BENCH_UPDATE_DOCS === '1') updateDocs(R, text);
}

// BENCH_UPDATE_DOCS=1: put the latest table and machine into docs/performance.md, between markers.
function updateDocs(R, text) {
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

let code = 0;
try {
  await main();
  if (errors.length) code = 1;
} catch (e) {
  console.error(`bench crashed: ${e.stack || e}`);
  code = 1;
} finally {
  await cleanup();
  clearTimeout(watchdog);
}
process.exit(code);
