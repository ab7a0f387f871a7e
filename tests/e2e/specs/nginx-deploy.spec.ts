// deploy/nginx as shipped, in front of a Consul stand-in: the console at /peering/ with deep links,
// /v1/ forwarded, the strict CSP, long caching for hashed files only, and a page base that no URL
// can move to another origin.
import { test as base, expect } from '../support/test';
import { startCluster, Cluster } from '../support/cluster';
import { startNginx, Nginx } from '../support/nginx';
import { STRICT_CSP, watchCspViolations, recordRequests } from '../support/csp';

const test = base.extend<{ consul: Cluster; nginx: Nginx }>({
  consul: async ({ pageGuard }, use) => {
    const consul = await startCluster({ datacenter: 'dc-nginx' });
    await use(consul);
    pageGuard.testOver();
    await consul.stop();
  },
  // The guard stops listening before the servers stop: a poll the page sends meanwhile is refused.
  nginx: async ({ consul, pageGuard }, use) => {
    const nginx = await startNginx(consul.origin);
    await use(nginx);
    pageGuard.testOver();
    await nginx.stop();
  },
});

// Served without Consul's template (a proxy, make serve), the console asks whether ACLs are on:
// Consul answers "ACL support disabled" with a 401, which Chromium logs.
test.beforeEach(({ expectConsoleError }) => {
  expectConsoleError(/status of 401 .*\/v1\/acl\/token\/self/, { optional: true });
});


test('the peers page loads through nginx at /peering/ and lists a peering, under the CSP', async ({ page, consul, nginx, expectConsoleError }) => {
  const violations = await watchCspViolations(page);
  const requests = recordRequests(page);
  const unauthorized: string[] = [];
  page.on('response', (r) => {
    if (r.status() === 401) unauthorized.push(new URL(r.url()).pathname);
  });
  await consul.api('POST', '/v1/peering/token', { PeerName: 'west' });
  const doc = await page.goto(nginx.origin + '/');
  await expect(page).toHaveURL(nginx.origin + '/peering/peers');
  const headers = await doc!.allHeaders();
  expect(headers['content-security-policy']).toBe(STRICT_CSP);
  expect(headers['x-frame-options']).toBe('DENY');
  await expect(page.getByRole('row', { name: /west/ })).toBeVisible();
  // Not rendered by Consul: the datacenter comes from /v1/agent/self through the proxy.
  await expect(page.getByTestId('datacenter')).toHaveText('dc-nginx');
  expect(await page.evaluate(() => document.baseURI)).toBe(nginx.origin + '/peering/');
  for (const u of requests) expect(new URL(u).origin).toBe(nginx.origin);
  expect(requests.some((u) => u.includes('/v1/peerings'))).toBe(true);
  expect(violations).toEqual([]);
  expect(unauthorized.every((p) => p === '/v1/acl/token/self')).toBe(true);
});

test('deep links work through nginx, and an unknown deep path boots the app on its not-found page', async ({ page, consul, nginx }) => {
  const violations = await watchCspViolations(page);
  await consul.api('POST', '/v1/peering/token', { PeerName: 'west' });
  await page.goto(nginx.origin + '/peering/peers/west');
  await expect(page.getByRole('heading', { name: 'west', level: 1 })).toBeVisible();
  await page.goto(nginx.origin + '/peering/intentions');
  await expect(page.getByRole('heading', { name: 'Intentions', level: 1 })).toBeVisible();

  const requests = recordRequests(page);
  await page.goto(nginx.origin + '/peering/no/such/page');
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await expect(page.getByText('/peering/no/such/page')).toBeVisible();
  // The bundle came from /peering/, never from /peering/no/such/.
  expect(requests.filter((u) => /\/no\/such\/[^/]+\.(js|wasm|css)$/.test(u))).toEqual([]);
  await page.getByRole('link', { name: 'Go to Peers' }).click();
  await expect(page).toHaveURL(nginx.origin + '/peering/peers');
  expect(violations).toEqual([]);
});

test('a //host path cannot move the page base or any request to another origin', async ({ page, consul, nginx, expectConsoleError }) => {
  // Those paths are answered on this origin (404 for what does not exist there).
  expectConsoleError(/status of 404/, { optional: true });
  await consul.api('POST', '/v1/peering/token', { PeerName: 'west' });
  const requests = recordRequests(page);
  for (const p of ['/peering//attacker.example/peers', '/peering//attacker.example/', '/peering/peers//attacker.example/x', '//attacker.example/peering/peers']) {
    const res = await page.goto(nginx.origin + p);
    if (p.startsWith('/peering/')) {
      expect(res!.status()).toBe(200);
      // The app boots (a route or its not-found page) with the fixed base.
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      expect(await page.evaluate(() => document.baseURI)).toBe(nginx.origin + '/peering/');
    } else {
      expect(res!.status()).toBe(404);
    }
  }
  // Navigating from there still stays home.
  await page.goto(nginx.origin + '/peering//attacker.example/peers');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Peers' }).click();
  await expect(page).toHaveURL(nginx.origin + '/peering/peers');
  await expect(page.getByRole('row', { name: /west/ })).toBeVisible();
  for (const u of requests) expect(new URL(u).origin).toBe(nginx.origin);
});

test('nginx caches hashed files for a year and index.html never, and forwards the API', async ({ consul, nginx }) => {
  const index = await fetch(nginx.origin + '/peering/');
  expect(index.status).toBe(200);
  expect(index.headers.get('cache-control')).toBe('no-store');
  expect(index.headers.get('content-security-policy')).toBe(STRICT_CSP);
  const html = await index.text();
  expect(html).toContain('<base href="/peering/">');
  expect(html).toContain('{"ContentPath": "/peering/"}');
  expect(html).not.toContain('{{');

  const deep = await fetch(nginx.origin + '/peering/peers/x/y');
  expect(deep.headers.get('cache-control')).toBe('no-store');
  expect(await deep.text()).toBe(html);
  const direct = await fetch(nginx.origin + '/peering/index.html');
  expect(await direct.text()).toBe(html);
  expect(direct.headers.get('cache-control')).toBe('no-store');

  const assets = [...html.matchAll(/href="\.\/([^"]+-[0-9a-f]{1,16}(?:_bg)?\.(?:js|wasm|css|wasm\.gz))"/g)].map((m) => m[1]);
  assets.push(html.match(/src="\.\/(loader-[0-9a-f]{1,16}\.js)"/)![1]);
  // The raw wasm (for browsers without DecompressionStream) next to its gzip copy.
  assets.push(assets.find((a) => a.endsWith('.wasm.gz'))!.replace(/\.gz$/, ''));
  expect(assets.length).toBeGreaterThanOrEqual(5);
  for (const a of assets) {
    const res = await fetch(nginx.origin + '/peering/' + a);
    expect(res.status, a).toBe(200);
    expect(res.headers.get('cache-control'), a).toBe('public, max-age=31536000, immutable');
  }
  const wasm = await fetch(nginx.origin + '/peering/' + assets.find((a) => a.endsWith('.wasm')), { headers: { 'accept-encoding': 'gzip' } });
  expect(wasm.headers.get('content-type')).toBe('application/wasm');
  // The gzip copy is not compressed a second time.
  const packed = await fetch(nginx.origin + '/peering/' + assets.find((a) => a.endsWith('.wasm.gz')), { headers: { 'accept-encoding': 'gzip' } });
  expect(packed.headers.get('content-encoding')).toBeNull();

  expect((await fetch(nginx.origin + '/peering', { redirect: 'manual' })).headers.get('location')).toMatch(/\/peering\/$/);
  expect((await fetch(nginx.origin + '/elsewhere')).status).toBe(404);

  const api = await fetch(nginx.origin + '/v1/agent/self');
  expect(api.status).toBe(200);
  expect(api.headers.get('cache-control')).toBeNull();
  expect(JSON.parse(await api.text()).Config.Datacenter).toBe(consul.datacenter);
});
