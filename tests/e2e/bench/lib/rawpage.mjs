// A page that Playwright does not manage. Playwright turns on focus emulation for its own pages,
// which keeps them "visible" forever; a tab opened in its own CDP browser context behaves like a real
// tab: opening another tab in the same window makes it hidden (document.hidden === true), activating
// it again makes it visible. Driven over raw CDP (Target.sendMessageToTarget).
export class RawPage {
  constructor(b, browserContextId, targetId, sessionId) {
    this.b = b;
    this.browserContextId = browserContextId;
    this.targetId = targetId;
    this.sessionId = sessionId;
    this.nextId = 1;
    this.pending = new Map();
    this.listeners = new Map();
    this.onMessage = ({ sessionId, message }) => {
      if (sessionId !== this.sessionId) return;
      const m = JSON.parse(message);
      if (m.id !== undefined) {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        clearTimeout(p.timer);
        if (m.error) p.reject(new Error(`${p.method}: ${m.error.message}`));
        else p.resolve(m.result);
      } else if (m.method) {
        for (const fn of this.listeners.get(m.method) ?? []) fn(m.params);
      }
    };
    b.on('Target.receivedMessageFromTarget', this.onMessage);
  }

  static async open(browser) {
    const b = await browser.newBrowserCDPSession();
    const { browserContextId } = await b.send('Target.createBrowserContext', { disposeOnDetach: true });
    const { targetId } = await b.send('Target.createTarget', { url: 'about:blank', browserContextId, newWindow: true });
    const { sessionId } = await b.send('Target.attachToTarget', { targetId, flatten: false });
    return new RawPage(b, browserContextId, targetId, sessionId);
  }

  send(method, params = {}, timeoutMs = 30_000) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${method}: no answer in ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer, method });
      this.b
        .send('Target.sendMessageToTarget', { sessionId: this.sessionId, message: JSON.stringify({ id, method, params }) })
        .catch((e) => {
          clearTimeout(timer);
          this.pending.delete(id);
          reject(e);
        });
    });
  }

  on(method, fn) {
    if (!this.listeners.has(method)) this.listeners.set(method, []);
    this.listeners.get(method).push(fn);
  }

  async evaluate(expression) {
    const r = await this.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true });
    if (r.exceptionDetails) throw new Error(`evaluate: ${r.exceptionDetails.text}`);
    return r.result.value;
  }

  async waitFor(expression, timeoutMs, stepMs = 200) {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      if (await this.evaluate(expression).catch(() => false)) return true;
      await sleep(stepMs);
    }
    return false;
  }

  /** Opens another tab in the same window, in front: this one becomes hidden. */
  async hide() {
    const { targetId } = await this.b.send('Target.createTarget', {
      url: 'about:blank',
      browserContextId: this.browserContextId,
      newWindow: false,
    });
    this.cover = targetId;
  }

  /** Brings this tab to the front again. */
  async show() {
    await this.b.send('Target.activateTarget', { targetId: this.targetId });
  }

  async close() {
    this.b.off('Target.receivedMessageFromTarget', this.onMessage);
    for (const p of this.pending.values()) clearTimeout(p.timer);
    try {
      await this.b.send('Target.disposeBrowserContext', { browserContextId: this.browserContextId });
    } catch {}
    try {
      await this.b.detach();
    } catch {}
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
