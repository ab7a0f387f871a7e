// A cold page load in a new browser context, timed by lib/instrument.js (first row painted, list
// settled, resources), and its digest: what the list, throttled and detail benches keep of it.
import { browser, INSTR, LOAD_TIMEOUT_MS, QUIET_MS } from './context.mjs';

export async function loadOnce(url, cfg, throttle = null) {
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

export function firstResource(r, re) {
  return r.resources.find((x) => re.test(x.name)) || null;
}
const wireBytes = (r) => (r.nav?.transfer || 0) + r.resources.reduce((a, x) => a + (x.transfer || 0), 0);

export function digestLoad(r, kind) {
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
