// `network`: idle network of a page (the peers page at 10,000, and the detail page). The tab sits
// visible and idle, is then really hidden (a raw CDP page: Playwright's own pages stay "visible"
// forever), then visible again: requests per minute, most in flight at once, requests while hidden,
// and how soon the first request follows the return.
import { ANCHOR, browser, HIDDEN_S, IDLE_S, INSTR, LOAD_TIMEOUT_MS, QUIET_MS } from './lib/context.mjs';
import { RawPage, sleep } from './lib/rawpage.mjs';
import { fmtMs } from './lib/report.mjs';
import { round } from './lib/stats.mjs';

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

export async function idleNetwork(sim, url, cfg, label, pollPath) {
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

function hiddenText(n) {
  const worst = Math.max(n.requestsWhileHidden, n.fetchCallsWhileHidden);
  const paths = [...new Set([...n.requestsWhileHiddenPaths, ...n.fetchCallsWhileHiddenDetail.map((f) => f.url.split('?')[0])])];
  return worst ? `${worst} (${paths.join(', ')})` : '0';
}

export function tableRows(R, add) {
  for (const n of R.network || []) {
    add(`idle ${n.label}`, `requests / min (${n.idleWindowS} s window)`, `${n.requestsPerMinute}`, '—', null, `${60 / ANCHOR.official.pollS} (polls every ${ANCHOR.official.pollS} s)`);
    const perEndpoint = Math.max(...Object.values(n.maxInFlightByPath));
    add(`idle ${n.label}`, 'most requests in flight at once, one endpoint (per view)', String(perEndpoint), '≤ 1', perEndpoint <= 1);
    add(`idle ${n.label}`, 'most in flight, all endpoints: after settle / incl. app start', `${n.maxInFlightIdle} / ${n.maxInFlight}`, '≤ 1 after settle', n.maxInFlightIdle <= 1);
    add(`idle ${n.label}`, `requests while hidden (${n.hiddenWindowS} s, document.hidden ${n.hiddenVerified ? 'verified' : 'NOT verified'}${n.pollAnsweredWhileHidden ? ', a poll answered while hidden' : ''})`, hiddenText(n), '0', n.hiddenVerified && n.requestsWhileHidden === 0 && n.fetchCallsWhileHidden === 0);
    add(`idle ${n.label}`, 'first request after visible again', fmtMs(n.refreshAfterShowMs), '≤ 1,000 ms', n.refreshAfterShowMs != null && n.refreshAfterShowMs <= 1000);
  }
}
