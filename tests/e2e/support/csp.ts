// The strict Content-Security-Policy operators put on the console (deploy/README.md), and a watch
// for violations that survives navigations.
import { Page, Route } from '@playwright/test';

export const STRICT_CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; " +
  "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'";

export interface Violation {
  directive: string;
  blocked: string;
  sample: string;
  url: string;
}

/** Records every `securitypolicyviolation` the page (and its later documents) fires. */
export async function watchCspViolations(page: Page): Promise<Violation[]> {
  const violations: Violation[] = [];
  await page.exposeBinding('__cspViolation', (_src, v: Violation) => {
    violations.push(v);
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __cspViolation: (v: unknown) => void }).__cspViolation({
        directive: e.violatedDirective,
        blocked: e.blockedURI,
        sample: e.sample,
        url: e.documentURI,
      });
    });
  });
  // Chromium also reports each refusal on the console.
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) {
      violations.push({ directive: 'console', blocked: '', sample: m.text(), url: page.url() });
    }
  });
  return violations;
}

/** Adds the strict policy to every HTML document the page loads (as Consul's
 *  http_config.response_headers or a proxy would), leaving everything else untouched. */
export async function enforceStrictCsp(page: Page): Promise<void> {
  await page.route('**/*', async (route: Route) => {
    if (route.request().resourceType() !== 'document') return route.continue();
    const response = await route.fetch();
    await route.fulfill({
      response,
      headers: { ...response.headers(), 'content-security-policy': STRICT_CSP },
    });
  });
}

/** Records the URL of every request the page makes (including ones that never get an answer). */
export function recordRequests(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (r) => urls.push(r.url()));
  return urls;
}
