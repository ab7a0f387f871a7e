// `make bench`: bundle sizes, time to peers visible (console vs a static-HTML floor served by the same
// stand-in), filter latency, detail page, memory and idle network. Prints one table and writes the
// same figures to target/bench/results.json. Exits non-zero only when the benchmark itself crashes;
// a missed target is printed as MISS, not an error.
//
// Environment: SIM_BIN, DIST_DIR, CARGO_TARGET_DIR (as the Makefile exports them), and for quick
// experiments BENCH_RUNS (default 7), BENCH_IDLE_S (default 20), BENCH_HIDDEN_S (default 12),
// BENCH_ONLY (comma list of: sizes,list,throttled,filter,detail,memory,network,review,map).
//
// `throttled` is what an operator on an office or VPN link gets: Chromium's network
// emulation over CDP (40 ms latency, 20 Mbit/s down, 5 Mbit/s up), cache disabled, the UI files
// served uncompressed as a Consul agent serves them (the API gzipped, as Consul gzips it); console
// and static floor interleaved in the same run, at 1,000 peers.

// One module per bench, named as in BENCH_ONLY (sizes.mjs, list.mjs, throttled.mjs, filter.mjs,
// memory.mjs, detail.mjs, review.mjs, map.mjs, network.mjs): each measures its figures and adds its
// rows to the table. This file starts the browser and the stand-ins they share, runs the selected
// benches, and prints the table. Shared helpers are in lib/.
import { chromium } from '@playwright/test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { stopAll, killAllSync } from './lib/sim.mjs';
import { chromiumLaunchOptions } from '../support/launch.cjs';
import { round } from './lib/stats.mjs';
import { sleep } from './lib/rawpage.mjs';
import { browser, DETAIL_CFG, DIST, errors, LIST_CFG, log, ONLY, OUT, removeTmpDir, RUNS, section, setBrowser, SIM_BIN, repo, t0 } from './lib/context.mjs';
import { buildTable, printTable, updateDocs } from './lib/report.mjs';
import { prepareDist, startListSims } from './lib/setup.mjs';
import * as sizes from './sizes.mjs';
import * as list from './list.mjs';
import * as throttled from './throttled.mjs';
import * as filter from './filter.mjs';
import * as memory from './memory.mjs';
import * as detail from './detail.mjs';
import * as review from './review.mjs';
import * as map from './map.mjs';
import * as network from './network.mjs';

// The table's order.
const TABLE = [sizes, list, throttled, review, map, filter, detail, memory, network];

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  // The header comment above is the usage.
  const lines = fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n');
  const head = lines.slice(0, lines.findIndex((l) => !l.startsWith('//')));
  console.log(head.map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
  console.log(`\nNow: SIM_BIN=${SIM_BIN} DIST_DIR=${DIST}`);
  process.exit(0);
}

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
      removeTmpDir();
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
    R.sizes = sizes.sizes();
    log(`sizes: wasm+JS+CSS ${R.sizes.appTotal.raw} B raw, ${R.sizes.appTotal.gzip} B gzip`);
  }
  const needBrowser = ONLY.some((x) => ['list', 'throttled', 'filter', 'memory', 'detail', 'network', 'review', 'map'].includes(x));
  if (needBrowser) {
    setBrowser(await chromium.launch({ ...chromiumLaunchOptions, timeout: 60_000 }));
    R.meta.chromium = browser.version();
    const benchDist = prepareDist();
    const ctx = ONLY.some((x) => ['list', 'throttled', 'filter', 'memory', 'network'].includes(x))
      ? await startListSims(benchDist, R.meta)
      : { sims: {}, data: {} };
    if (ONLY.includes('list')) R.list = await section('list', () => list.listBench(ctx));
    if (ONLY.includes('throttled')) {
      R.throttled = await section('throttled', () => throttled.throttledBench(ctx));
      if (R.throttled) log(`throttled: console ${R.throttled.console.firstRow.median} ms, floor ${R.throttled.floor.firstRow.median} ms (${R.throttled.ratio}×), ${R.throttled.console.wireBytes} B`);
    }
    if (ONLY.includes('filter') || ONLY.includes('memory')) Object.assign(R, (await section('filter/memory', () => filter.filterAndMemoryBench(ctx))) ?? {});
    let pair = null;
    if (ONLY.includes('detail') || ONLY.includes('network')) {
      try {
        pair = await detail.detailSetup(benchDist);
        log(`detail stand-ins: dc2 is ${pair.state} on dc1, ${pair.imported} imported services, ${pair.listed} listed`);
      } catch (e) {
        log(`detail setup failed: ${e.message}`);
        R.detail = { notMeasured: `setting up 500 imported services failed: ${e.message}` };
      }
    }
    if (ONLY.includes('detail') && pair) {
      R.detail =
        pair.imported >= 500 && pair.listed >= 500
          ? ((await section('detail', () => detail.detailBench(pair))) ?? { notMeasured: 'the page did not load (see errors)' })
          : { notMeasured: `the peer imported only ${pair.imported} services (${pair.listed} listed) within 60 s` };
    }
    if (ONLY.includes('review')) R.review = await section('review', () => review.reviewBench(benchDist));
    if (ONLY.includes('map')) R.map = await section('map', () => map.mapBench(benchDist));
    if (ONLY.includes('network')) {
      R.network = [];
      const peersNet = await section('network peers', () =>
        network.idleNetwork(ctx.sims[10000], `${ctx.sims[10000].origin}/ui/peers`, LIST_CFG, 'peers page (10,000)', '/v1/peerings'),
      );
      if (peersNet) R.network.push(peersNet);
      if (pair) {
        const detailNet = await section('network detail', () =>
          network.idleNetwork(pair.a, `${pair.a.origin}/ui/peers/dc2`, DETAIL_CFG, 'detail page', '/v1/peering/dc2'),
        );
        if (detailNet) R.network.push(detailNet);
      }
      for (const n of R.network) log(`network ${n.label}: ${n.requestsPerMinute}/min, max in flight ${n.maxInFlight}, hidden ${n.requestsWhileHidden}`);
    }
  }
  R.meta.loadAvgAtEnd = os.loadavg().map((x) => round(x, 2));
  R.errors = errors;
  R.table = buildTable(R, TABLE);
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
