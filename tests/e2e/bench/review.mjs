// `review`: reviewing one more export in a 3,000-service exported-services entry. The diff of a
// large entry must not freeze the page: the longest main-thread task while the review is prepared
// and painted, and the time until it is shown.
import { browser, log, RUNS } from './lib/context.mjs';
import { fmtMs, spread } from './lib/report.mjs';
import { startSim } from './lib/sim.mjs';
import { simArgs } from './lib/setup.mjs';
import { round, summary } from './lib/stats.mjs';

export async function reviewBench(benchDist) {
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

export function tableRows(R, add) {
  if (!R.review) return;
  add('review 3,000 exports', 'longest main-thread task, median (min–max)', spread(R.review.longestTask), '≤ 200 ms', R.review.longestTask.max <= 200);
  add('review 3,000 exports', 'review shown after clicking, median', fmtMs(R.review.shown.median), '—', null);
}
