// Diagnosis helper (not part of `make bench`): traces filter keystrokes over 10,000 peerings with
// Chromium's performance timeline and prints where the main thread spends the time per keystroke
// (script vs style/layout/paint). Usage: cd tests/e2e && node bench/profile-filter.mjs
import { chromium } from '@playwright/test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startSim, simArgs, stopAll } from './lib/sim.mjs';
import { chromiumLaunchOptions, distDir } from '../support/launch.cjs';
import { sleep } from './lib/rawpage.mjs';

const N = Number(process.env.PROFILE_PEERS || 10000);
let browser;
try {
  const sim = await startSim(simArgs({ uiDir: distDir, args: ['--heartbeat-timeout', '1h'] }));
  await sim.api('POST', `/_sim/peerings?count=${N}`);
  browser = await chromium.launch(chromiumLaunchOptions);
  const page = await browser.newPage();
  await page.goto(`${sim.origin}/ui/peers`);
  await page.locator('table[aria-label="Peerings"] tbody tr').first().waitFor({ timeout: 60_000 });
  await sleep(1500);
  const box = page.locator('input[aria-label="Search peers"]');
  await box.click();
  await page.keyboard.type('bench-0', { delay: 50 });
  await sleep(1000);
  await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink', 'cc', 'gpu'] });
  const keys = ['4', '2', '1', '7', 'Backspace', 'Backspace', 'Backspace', 'Backspace'];
  for (const k of keys) {
    await page.keyboard.press(k);
    await sleep(400);
  }
  const buf = await browser.stopTracing();
  const trace = JSON.parse(buf.toString());
  const events = trace.traceEvents || trace;
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain' && events.some((x) => x.pid === e.pid && x.name === 'EventDispatch'));
  const mine = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur != null).sort((a, b) => a.ts - b.ts);
  const keydowns = mine.filter((e) => e.name === 'EventDispatch' && e.args?.data?.type === 'keydown');
  const interesting = ['EventDispatch', 'FunctionCall', 'TimerFire', 'RunMicrotasks', 'v8.callFunction', 'UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Layerize', 'Commit', 'FireAnimationFrame', 'HitTest', 'ParseAuthorStyleSheet', 'UpdateLayer', 'IntersectionObserverController::computeIntersections'];
  for (let i = 0; i < keydowns.length; i++) {
    const start = keydowns[i].ts;
    const end = i + 1 < keydowns.length ? keydowns[i + 1].ts : start + 400_000;
    // top-level tasks of the main thread in this window
    const tasks = mine.filter((e) => e.name === 'RunTask' && e.ts >= start - 2000 && e.ts < end);
    const within = mine.filter((e) => e.ts >= start - 2000 && e.ts < end);
    const sums = {};
    for (const e of within) if (interesting.includes(e.name)) sums[e.name] = (sums[e.name] || 0) + e.dur / 1000;
    const busy = tasks.filter((t) => t.ts < start + 200_000).reduce((a, t) => a + t.dur / 1000, 0);
    const lastBusyEnd = tasks.filter((t) => t.dur > 500 && t.ts < start + 200_000).reduce((a, t) => Math.max(a, (t.ts + t.dur - start) / 1000), 0);
    console.log(`key ${keys[i]}: main-thread busy ${busy.toFixed(1)} ms in ${tasks.length} tasks, last long-ish task ends at +${lastBusyEnd.toFixed(1)} ms`);
    console.log('   ' + Object.entries(sums).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', '));
  }
  fs.writeFileSync(path.join(os.tmpdir(), 'filter-trace.json'), buf);
  console.log(`trace: ${path.join(os.tmpdir(), 'filter-trace.json')}`);
} finally {
  await browser?.close();
  await stopAll();
}
