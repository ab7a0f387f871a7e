// `map`: the map at 1,000 peers. Time to the map drawn (the first painted frame with its peer nodes)
// and the longest main-thread task of that load; then expanding "and N more Active" (every Active
// peer drawn).
import { browser, LOAD_TIMEOUT_MS, log, RUNS } from './lib/context.mjs';
import { sleep } from './lib/rawpage.mjs';
import { spread } from './lib/report.mjs';
import { startSim } from './lib/sim.mjs';
import { simArgs } from './lib/setup.mjs';
import { round, summary } from './lib/stats.mjs';

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

export async function mapBench(benchDist) {
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

export function tableRows(R, add) {
  if (!R.map) return;
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
