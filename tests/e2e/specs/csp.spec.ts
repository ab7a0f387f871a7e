// The console under the strict Content-Security-Policy operators put on it (deploy/README.md): no
// inline script or style anywhere, Subresource Integrity kept by our own loader, a page base that
// can only be a path on the page's own origin, and no console inside another site's frame.
import * as fs from 'node:fs';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { test, expect } from '../support/test';
import { startCluster } from '../support/cluster';
import { STRICT_CSP, watchCspViolations, enforceStrictCsp, recordRequests } from '../support/csp';
import { startServe } from '../support/serve';

// Served without Consul's template (a proxy, make serve), the console asks whether ACLs are on:
// Consul answers "ACL support disabled" with a 401, which Chromium logs.
test.beforeEach(({ expectConsoleError }) => {
  expectConsoleError(/status of 401 .*\/v1\/acl\/token\/self/, { optional: true });
});


const repo = path.resolve(__dirname, '..', '..', '..');
const dist = process.env.DIST_DIR ?? path.join(repo, 'dist');

test('the release index has no inline script or style, and only the two template actions Consul renders', () => {
  const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  expect(html.match(/\{\{/g)).toEqual(['{{', '{{']);
  expect(html).toContain('<base href="{{ .ContentPath }}">');
  expect(html).toContain('{{ jsonEncode . }}');
  // Every <script> either loads a file (with an integrity digest) or is a JSON data block.
  for (const tag of html.match(/<script\b[^>]*>/g) ?? []) {
    if (/type="application\/json"/.test(tag)) continue;
    expect(tag).toMatch(/\bsrc="\.\/loader-[0-9a-f]{1,16}\.js"/);
    expect(tag).toMatch(/\bintegrity="sha384-/);
  }
  expect(html).not.toMatch(/<script(?![^>]*\bsrc=)(?![^>]*application\/json)[^>]*>/);
  expect(html).not.toMatch(/\sstyle=|<style/);
  // Trunk's integrity preloads for the glue and the wasm are still there.
  expect(html).toMatch(/<link rel="modulepreload" href="\.\/peering-console-[0-9a-f]{1,16}\.js" crossorigin="anonymous" integrity="sha384-/);
  // The wasm preload names the bundle's gzip copy, with the digests of it and of the raw wasm.
  expect(html).toMatch(/<link rel="preload" href="\.\/peering-console-[0-9a-f]{1,16}_bg\.wasm\.gz" crossorigin="anonymous" integrity="sha384-[^" ]+ sha384-[^" ]+" as="fetch">/);
  expect(html).toMatch(/<meta name="peering-console-app" data-js="\.\/peering-console-[0-9a-f]{1,16}\.js" data-wasm="\.\/peering-console-[0-9a-f]{1,16}_bg\.wasm\.gz">/);
});

test('under the strict CSP the console boots, moves between pages and copies, with zero violations', async ({ browser, cluster }) => {
  const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await context.newPage();
  const violations = await watchCspViolations(page);
  await enforceStrictCsp(page);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // The copy fallback (no Clipboard API, as on a plain-HTTP origin) used to set a style attribute.
  await page.addInitScript(() => {
    Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined, configurable: true });
  });
  await cluster.api('POST', '/v1/peering/token', { PeerName: 'west' });

  const doc = await page.goto(cluster.ui('peers'));
  expect((await doc!.allHeaders())['content-security-policy']).toBe(STRICT_CSP);
  await expect(page.getByRole('row', { name: /west/ })).toBeVisible();
  await expect(page.getByText('Loading the console…')).toHaveCount(0);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Intentions' }).click();
  await expect(page.getByRole('heading', { name: 'Intentions', level: 1 })).toBeVisible();
  await page.goto(cluster.ui('exports'));
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();

  await page.goto(cluster.ui('add-peer'));
  await page.getByLabel('Name of peer').first().fill('strict');
  await page.getByRole('button', { name: 'Generate token' }).last().click();
  const token = await page.getByRole('textbox', { name: 'Peering token' }).inputValue();
  const scrollBefore = await page.evaluate(() => window.scrollY);
  const copy = page.getByRole('button', { name: 'Copy peering token' });
  await copy.click();
  await expect(page.getByText('Copied', { exact: true })).toBeVisible();
  // The off-screen textarea neither scrolled the page nor kept the focus.
  expect(await page.evaluate(() => window.scrollY)).toBe(scrollBefore);
  await expect(copy).toBeFocused();
  expect(await page.locator('textarea.visually-hidden').count()).toBe(0);
  const reader = await context.newPage();
  await reader.goto(cluster.ui('peers'));
  expect(await reader.evaluate(() => navigator.clipboard.readText())).toBe(token);

  expect(violations).toEqual([]);
  expect(errors).toEqual([]);
  await context.close();
});

test('make serve sends the strict CSP and the console boots under it with zero violations', async ({ page }) => {
  const consul = await startCluster({ datacenter: 'dc9' });
  const serve = await startServe(consul.origin);
  try {
    const violations = await watchCspViolations(page);
    await consul.api('POST', '/v1/peering/token', { PeerName: 'east' });
    const doc = await page.goto(serve.url + 'peers');
    const headers = await doc!.allHeaders();
    expect(headers['content-security-policy']).toBe(STRICT_CSP);
    expect(headers['x-frame-options']).toBe('DENY');
    await expect(page.getByRole('row', { name: /east/ })).toBeVisible();
    await expect(page.getByTestId('datacenter')).toHaveText('dc9');
    expect(violations).toEqual([]);
  } finally {
    // Leave the page first: its requests still in flight would hit a stopped server.
    await page.goto('about:blank');
    await serve.stop();
    await consul.stop();
  }
});

test('a tampered wasm or glue file is refused by its integrity digest, with a message', async ({ page, cluster, expectConsoleError }) => {
  // Chromium reports each refused file, and the loader says why the console did not start.
  expectConsoleError(/integrity/);
  expectConsoleError(/failed to start/);
  for (const target of [/_bg\.wasm\.gz$/, /peering-console-[0-9a-f]{1,16}\.js$/]) {
    await page.unrouteAll({ behavior: 'wait' });
    await page.route(target, async (route) => {
      const response = await route.fetch();
      const body = await response.body();
      // Same length, one byte changed near the end (still a valid-looking file).
      const tampered = Buffer.from(body);
      tampered[tampered.length - 2] ^= 0x01;
      await route.fulfill({ response, body: tampered });
    });
    const requests = recordRequests(page);
    await page.goto(cluster.ui('peers'));
    await expect(page.getByText(/The console could not start/)).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Peers', level: 1 })).toHaveCount(0);
    // The app never ran: it asked Consul nothing. The loader (itself integrity-checked) asks for
    // the peers page's list while the bundle downloads, at most once; only the app reads that answer.
    const api = requests.filter((u) => u.includes('/v1/'));
    expect(api.filter((u) => new URL(u).pathname !== '/v1/peerings')).toEqual([]);
    expect(api.length).toBeLessThanOrEqual(1);
  }
});

test('served unrendered (no Consul template), the loader takes the base from its own directory', async ({ page, cluster, expectConsoleError }) => {
  // The //attacker.example/... requests stay on this origin and find nothing there.
  expectConsoleError(/status of 404/, { optional: true });
  const raw = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  const violations = await watchCspViolations(page);
  await cluster.api('POST', '/v1/peering/token', { PeerName: 'plain' });
  await page.route(/\/(ui\/peers|attacker\.example\/peers)$/, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html', headers: { 'content-security-policy': STRICT_CSP }, body: raw }),
  );
  const requests = recordRequests(page);
  await page.goto(cluster.ui('peers'));
  await expect(page.getByRole('row', { name: /plain/ })).toBeVisible();
  expect(await page.evaluate(() => document.baseURI)).toBe(cluster.ui());

  // A path that starts with two slashes (a link like https://proxy//attacker.example/peers):
  // relative URLs stay on this origin, and nothing is ever asked of attacker.example.
  await page.goto(cluster.origin + '//attacker.example/peers');
  await page.waitForLoadState('networkidle');
  const base = await page.evaluate(() => document.baseURI);
  expect(new URL(base).origin).toBe(cluster.origin);
  for (const u of requests) expect(new URL(u).origin).toBe(cluster.origin);
  expect(violations).toEqual([]);
});

test('framed by another site, the console does not start and says why', async ({ page, startCluster }) => {
  // Without frame-ancestors (an agent without response headers), the console itself refuses.
  const cluster = await startCluster({ noCsp: true });
  await cluster.api('POST', '/v1/peering/token', { PeerName: 'framed' });
  // A page on another origin (another port) that frames the console; the stand-in sends no
  // frame-ancestors here, as a Consul agent without response headers would not.
  const framer = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<iframe src="${cluster.ui('peers')}" width="800" height="400"></iframe>`);
  });
  await new Promise<void>((resolve) => framer.listen(0, '127.0.0.1', resolve));
  const framerOrigin = `http://localhost:${(framer.address() as AddressInfo).port}`;
  const requests = recordRequests(page);
  await page.goto(framerOrigin + '/');
  const frame = page.frameLocator('iframe');
  await expect(frame.getByText(/does not run inside another site's page/)).toBeVisible();
  await expect(frame.getByRole('heading', { name: 'Peers' })).toHaveCount(0);
  expect(requests.filter((u) => u.includes('/v1/'))).toEqual([]);

  framer.close();
  // Opened directly, it works.
  await page.goto(cluster.ui('peers'));
  await expect(page.getByRole('row', { name: /framed/ })).toBeVisible();
});
