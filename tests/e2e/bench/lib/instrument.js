// Injected before any page script (page.addInitScript). Records, in the page's own clock
// (performance.now(), 0 = navigation start):
//   - when the first row of the watched table is in the DOM, and when a frame containing it has been
//     painted (requestAnimationFrame, then a MessageChannel task: it runs after that frame's paint);
//   - the last relevant DOM mutation and the paint after it ("settled");
//   - per armed keystroke: keydown event time -> the paint after the DOM shows the expected count;
//   - the wasm linear memory (TrunkApplicationStarted's detail.wasm.memory).
// window.__BENCH_CFG = { table, extra, mark } is set just before this script.
(() => {
  if (window.__bench) return;
  const cfg = window.__BENCH_CFG || {};
  const TABLE = cfg.table;
  const ROW = TABLE + ' tbody tr';
  const MARK = cfg.mark || null;
  const WATCH = [TABLE, cfg.extra, MARK].filter(Boolean).join(', ');
  try {
    performance.setResourceTimingBufferSize(2000);
  } catch {}
  const B = (window.__bench = {
    firstRowSeen: null,
    firstRowPainted: null,
    markSeen: null,
    markPainted: null,
    lastMut: null,
    settledPaint: null,
    mutBatches: 0,
    appStarted: null,
    wasmMemory: null,
    key: null,
  });
  addEventListener('TrunkApplicationStarted', (e) => {
    B.appStarted = performance.now();
    try {
      B.wasmMemory = e.detail.wasm.memory || null;
    } catch {}
  });

  const relevantNode = (a) => a.nodeType === 1 && (a.matches(WATCH) || (a.firstElementChild !== null && a.querySelector(WATCH) !== null));
  const isRelevant = (rec) => {
    let n = rec.target;
    if (n.nodeType !== 1) n = n.parentElement;
    if (n && n.closest(WATCH)) return true;
    for (const a of rec.addedNodes) if (relevantNode(a)) return true;
    for (const a of rec.removedNodes) if (relevantNode(a)) return true;
    return false;
  };

  const firstInt = (text) => {
    const m = /\d[\d,.\u00a0\u202f]*/.exec(text || '');
    return m ? Number(m[0].replace(/[^\d]/g, '')) : null;
  };
  const countMatches = (expected) => {
    const c = document.querySelector('p.count');
    if (!c) return document.querySelectorAll(ROW).length === expected;
    return firstInt(c.textContent) === expected;
  };

  // Paint probes: rAF runs before the frame's style/layout/paint; a message posted from it runs after.
  const queue = [];
  let rafPending = false;
  const mc = new MessageChannel();
  mc.port1.onmessage = () => {
    const t = performance.now();
    const p = queue.shift();
    if (!p) return;
    if (p.row && B.firstRowPainted == null) B.firstRowPainted = t;
    if (p.mark && B.markPainted == null) B.markPainted = t;
    if (p.lastMut === B.lastMut) B.settledPaint = t;
    const k = B.key;
    if (k && k.matchedAt != null && k.painted == null && p.raf >= k.matchedAt) {
      k.painted = t;
      k.done = true;
    }
  };
  const probe = () => {
    if (rafPending) return;
    rafPending = true;
    requestAnimationFrame(() => {
      rafPending = false;
      queue.push({
        raf: performance.now(),
        row: B.firstRowSeen != null,
        mark: B.markSeen != null,
        lastMut: B.lastMut,
      });
      mc.port2.postMessage(0);
    });
  };

  const mo = new MutationObserver((recs) => {
    let rel = false;
    for (const r of recs) {
      if (isRelevant(r)) {
        rel = true;
        break;
      }
    }
    if (!rel) return;
    const t = performance.now();
    B.lastMut = t;
    B.mutBatches++;
    if (B.firstRowSeen == null && document.querySelector(ROW)) B.firstRowSeen = t;
    if (MARK && B.markSeen == null && document.querySelector(MARK)) B.markSeen = t;
    const k = B.key;
    if (k && k.t0 != null && k.matchedAt == null) {
      if (k.firstMut == null) k.firstMut = t;
      if (countMatches(k.expected)) k.matchedAt = t;
    }
    probe();
  });
  mo.observe(document, { childList: true, subtree: true, characterData: true });

  // The browser's own view of each input event (Event Timing): duration runs from the event's
  // timestamp to the presentation of the next frame after its handlers; only entries >= 16 ms exist.
  B.events = [];
  try {
    new PerformanceObserver((list) => {
      if (!B.key) return;
      for (const e of list.getEntries())
        if (B.events.length < 5000) B.events.push({ name: e.name, start: e.startTime, dur: e.duration, ps: e.processingStart, pe: e.processingEnd });
    }).observe({ type: 'event', buffered: true, durationThreshold: 16 });
  } catch {}

  addEventListener(
    'keydown',
    (e) => {
      const k = B.key;
      if (k && k.t0 == null) {
        k.t0 = e.timeStamp;
        k.handlerAt = performance.now();
      }
    },
    true,
  );
  B.arm = (expected) => {
    B.key = { expected, t0: null, handlerAt: null, firstMut: null, matchedAt: null, painted: null, done: false };
  };
  B.isSettled = (quietMs) =>
    B.firstRowPainted != null && B.settledPaint != null && B.lastMut != null && performance.now() - B.lastMut >= quietMs;
  B.wasmBytes = () => {
    const m = B.wasmMemory || (window.wasmBindings && window.wasmBindings.__wasm && window.wasmBindings.__wasm.memory);
    return m && m.buffer ? m.buffer.byteLength : null;
  };
  B.collect = () => {
    const nav = performance.getEntriesByType('navigation')[0];
    const res = performance.getEntriesByType('resource').map((r) => ({
      name: r.name.replace(location.origin, ''),
      start: r.startTime,
      requestStart: r.requestStart,
      responseStart: r.responseStart,
      end: r.responseEnd,
      transfer: r.transferSize,
      encoded: r.encodedBodySize,
      decoded: r.decodedBodySize,
    }));
    const paints = {};
    for (const p of performance.getEntriesByType('paint')) paints[p.name] = p.startTime;
    const count = document.querySelector('p.count');
    return {
      firstRowSeen: B.firstRowSeen,
      firstRowPainted: B.firstRowPainted,
      markSeen: B.markSeen,
      markPainted: B.markPainted,
      settledPaint: B.settledPaint,
      lastMut: B.lastMut,
      mutBatches: B.mutBatches,
      appStarted: B.appStarted,
      rows: document.querySelectorAll(ROW).length,
      countText: count ? count.textContent : null,
      domNodes: document.getElementsByTagName('*').length,
      wasmBytes: B.wasmBytes(),
      nav: nav
        ? {
            responseEnd: nav.responseEnd,
            domContentLoaded: nav.domContentLoadedEventEnd,
            load: nav.loadEventEnd,
            transfer: nav.transferSize,
          }
        : null,
      paints,
      resources: res,
    };
  };
})();
