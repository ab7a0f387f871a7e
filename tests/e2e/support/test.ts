// The suite's `test`: a fresh stand-in per test (`cluster`, more with `startCluster`, all stopped at the
// end) and, on for every test, a guard that fails the test on an uncaught page error, a
// Content-Security-Policy violation, or a console error the test did not declare with
// `expectConsoleError`, in every page of every browser context the test opens (the default
// `page`/`context`, `context.newPage()`, `newContext()` and `browser.newContext()`).
import { test as base, expect, BrowserContext, BrowserContextOptions } from '@playwright/test';
import { Cluster, ClusterOptions, startCluster } from './cluster';

/**
 * Declares console errors the test provokes on purpose. Chromium logs every 4xx/5xx answer to a
 * fetch as a console error ("Failed to load resource: the server responded with a status of 403
 * (Forbidden)"); the pattern is matched against that text followed by the URL it concerns, so
 * `expectConsoleError(/403/)` or `expectConsoleError(/status of 500.*\/v1\/peerings/)`.
 * A declared error must show up at least once (a stale declaration fails the test), unless it is
 * `optional` (e.g. a poll that may or may not fail while the test runs).
 */
export type ExpectConsoleError = (pattern: RegExp | string, opts?: { optional?: boolean }) => void;

/** Opens a browser context the guard watches (another operator); closed at the end of the test. */
export type NewContext = (options?: BrowserContextOptions) => Promise<BrowserContext>;

/** Starts another stand-in (another datacenter, other flags); stopped at the end of the test. */
export type StartCluster = (options?: ClusterOptions) => Promise<Cluster>;

const CSP_BINDING = '__e2eReportCspViolation';

/** Runs in every page before its own scripts: records CSP violations and reports each at once. */
function recordCspViolations(binding: string) {
  const recorded: Array<Record<string, unknown>> = [];
  (window as any).__cspViolations = recorded;
  document.addEventListener('securitypolicyviolation', (e) => {
    const v: Record<string, unknown> = {
      directive: e.effectiveDirective || e.violatedDirective,
      blocked: e.blockedURI,
      source: e.sourceFile ? `${e.sourceFile}:${e.lineNumber}` : e.documentURI,
      sample: e.sample,
      reported: false,
    };
    recorded.push(v);
    // Reported at once, so a navigation or a closed page cannot lose it; what has not been
    // acknowledged is read from the page at the end of the test.
    const report = (window as any)[binding];
    if (typeof report === 'function') Promise.resolve(report(v)).then(() => (v.reported = true), () => {});
  });
}

const describeCsp = (v: any) => `CSP violation: ${v.directive} blocked ${v.blocked || '(inline)'} at ${v.source}${v.sample ? ` (${v.sample})` : ''}`;

class PageGuard {
  readonly problems: string[] = [];
  /** Closed when the test body is over: stopping stand-ins under open pages is not the test's doing. */
  private open = true;
  private readonly expected: { pattern: RegExp | string; optional: boolean; seen: number }[] = [];
  private readonly watching = new Map<BrowserContext, Promise<void>>();

  expectConsoleError: ExpectConsoleError = (pattern, opts = {}) => {
    this.expected.push({ pattern, optional: opts.optional ?? false, seen: 0 });
  };

  /** Starts watching a context: console errors, uncaught errors and CSP violations of all its pages. */
  watch(context: BrowserContext): Promise<void> {
    let ready = this.watching.get(context);
    if (ready) return ready;
    context.on('console', (message) => {
      if (message.type() !== 'error' || !this.open) return;
      const text = `${message.text()} ${message.location().url}`.trim();
      const declared = this.expected.find((e) => (typeof e.pattern === 'string' ? text.includes(e.pattern) : e.pattern.test(text)));
      if (declared) declared.seen++;
      else this.problems.push(`console error: ${text}`);
    });
    context.on('weberror', (error) => {
      if (this.open) this.problems.push(`pageerror: ${error.error().message}`);
    });
    ready = Promise.all([
      context.exposeBinding(CSP_BINDING, (_source, violation) => {
        this.problems.push(describeCsp(violation));
      }),
      context.addInitScript(recordCspViolations, CSP_BINDING),
    ]).then(() => {});
    this.watching.set(context, ready);
    return ready;
  }

  /** Called by the first fixture torn down, i.e. once the test body has finished. */
  testOver() {
    this.open = false;
  }

  /** Reads the CSP violations a context's open pages recorded but could not report yet. */
  async drain(context: BrowserContext): Promise<void> {
    await this.watching.get(context)?.catch(() => {});
    for (const page of context.pages()) {
      const left = await page
        .evaluate(() => ((window as any).__cspViolations ?? []).filter((v: any) => !v.reported))
        .catch(() => []);
      for (const v of left) this.problems.push(describeCsp(v));
    }
  }

  /** Everything the test did not expect, and (with `missing`) every declared error that never came. */
  verdict({ missing = true } = {}): string[] {
    const unmet = this.expected
      .filter((e) => missing && !e.optional && e.seen === 0)
      .map((e) => `expectConsoleError(${e.pattern}) was declared, but no console error matched it`);
    return [...this.problems, ...unmet];
  }
}

/**
 * Which Consul the stand-ins imitate: extra flags for every stand-in the test starts (the
 * Playwright projects in playwright.config.ts set it; see tests/consul-sim/README.md, profiles).
 */
export type SimProfile = { name: string; args: string[] };

type Options = { simProfile: SimProfile };

type Fixtures = {
  cluster: Cluster;
  startCluster: StartCluster;
  expectConsoleError: ExpectConsoleError;
  newContext: NewContext;
  pageGuard: PageGuard;
};

export const test = base.extend<Options & Fixtures>({
  simProfile: [{ name: 'default', args: [] }, { option: true }],
  // Set up before every other fixture of the test, so that it sees every context they open.
  pageGuard: [
    async ({ browser }, use, testInfo) => {
      const guard = new PageGuard();
      const onContext = (context: BrowserContext) => void guard.watch(context);
      browser.on('context', onContext);
      await use(guard);
      browser.off('context', onContext);
      guard.testOver();
      for (const context of browser.contexts()) await guard.drain(context);
      // A declared error that did not come is news only when the test otherwise went as expected.
      const verdict = guard.verdict({ missing: testInfo.status === testInfo.expectedStatus });
      expect(verdict, 'console errors, page errors and CSP violations the test did not expect').toEqual([]);
    },
    { auto: true },
  ],
  expectConsoleError: async ({ pageGuard }, use) => {
    await use(pageGuard.expectConsoleError);
  },
  // The default context: its listeners are in place before the first page opens, and what its pages
  // recorded is read before it closes.
  context: async ({ context, pageGuard }, use) => {
    await pageGuard.watch(context);
    await use(context);
    pageGuard.testOver();
    await pageGuard.drain(context);
  },
  newContext: async ({ browser, pageGuard }, use) => {
    const opened: BrowserContext[] = [];
    await use(async (options) => {
      const context = await browser.newContext(options);
      opened.push(context);
      await pageGuard.watch(context);
      return context;
    });
    pageGuard.testOver();
    for (const context of opened) {
      await pageGuard.drain(context);
      await context.close();
    }
  },
  startCluster: async ({ pageGuard, simProfile }, use) => {
    const started: Cluster[] = [];
    await use(async (options = {}) => {
      const cluster = await startCluster({ ...options, args: [...simProfile.args, ...(options.args ?? [])] });
      started.push(cluster);
      return cluster;
    });
    pageGuard.testOver();
    await Promise.all(started.map((c) => c.stop()));
  },
  cluster: async ({ startCluster }, use) => {
    await use(await startCluster());
  },
});

export { expect };
