// scripts/serve.py (`make serve`) hardening: only requests addressed to it (DNS
// rebinding), HEAD without a body, a strict Content-Length, `--content-path /`, and the strict CSP.
// Plain HTTP where a browser cannot express the request.
import * as net from 'node:net';
import * as http from 'node:http';
import { test as base, expect } from '../support/test';
import { startCluster, Cluster } from '../support/cluster';
import { startServe, Serve } from '../support/serve';
import { STRICT_CSP, watchCspViolations, recordRequests } from '../support/csp';

const test = base.extend<{ consul: Cluster; serve: Serve }>({
  consul: async ({ pageGuard }, use) => {
    const consul = await startCluster();
    await use(consul);
    pageGuard.testOver();
    await consul.stop();
  },
  // The guard stops listening before the servers stop: a poll the page sends meanwhile is refused.
  serve: async ({ consul, pageGuard }, use) => {
    const serve = await startServe(consul.origin);
    await use(serve);
    pageGuard.testOver();
    await serve.stop();
  },
});

// Served without Consul's template (a proxy, make serve), the console asks whether ACLs are on:
// Consul answers "ACL support disabled" with a 401, which Chromium logs.
test.beforeEach(({ expectConsoleError }) => {
  expectConsoleError(/status of 401 .*\/v1\/acl\/token\/self/, { optional: true });
});


interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request with exactly these headers (Host included), through node:http. */
function request(port: number, method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers, setHost: false }, (res) => {
      let data = '';
      res.on('data', (d) => (data += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: data }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** Raw bytes on one connection: everything the server sends until it closes or goes quiet. */
function raw(port: number, bytes: string, quietMs = 400): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    let out = '';
    let timer: NodeJS.Timeout;
    const done = () => {
      clearTimeout(timer);
      sock.destroy();
      resolve(out);
    };
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(done, quietMs);
    };
    sock.on('connect', () => {
      sock.write(bytes);
      arm();
    });
    sock.on('data', (d) => {
      out += d.toString('latin1');
      arm();
    });
    sock.on('end', done);
    sock.on('error', reject);
  });
}

const statusLines = (text: string) => text.match(/^HTTP\/1\.[01] \d{3}/gm) ?? [];

test('requests for another Host or from another Origin are refused (DNS rebinding)', async ({ serve }) => {
  const own = `127.0.0.1:${serve.port}`;
  expect((await request(serve.port, 'GET', '/ui/', { Host: own })).status).toBe(200);
  expect((await request(serve.port, 'GET', '/ui/', { Host: `localhost:${serve.port}` })).status).toBe(200);
  expect((await request(serve.port, 'GET', '/v1/peerings', { Host: own })).status).toBe(200);
  // attacker.example resolving to 127.0.0.1: the browser sends Host: attacker.example:PORT.
  for (const path of ['/ui/', '/ui/peers', '/v1/peerings', '/v1/agent/self']) {
    const res = await request(serve.port, 'GET', path, { Host: `attacker.example:${serve.port}` });
    expect(res.status, path).toBe(403);
    expect(res.body).not.toContain('Peering');
  }
  expect((await request(serve.port, 'GET', '/ui/', {})).status).toBe(403);
  expect((await request(serve.port, 'GET', '/ui/', { Host: `127.0.0.1:${serve.port + 1}` })).status).toBe(403);
  // A write started by another site's page (Origin set by the browser) never reaches Consul.
  const body = JSON.stringify({ PeerName: 'evil' });
  const cross = await request(serve.port, 'POST', '/v1/peering/token', { Host: own, Origin: 'http://attacker.example', 'Content-Type': 'application/json', 'Content-Length': String(body.length) }, body);
  expect(cross.status).toBe(403);
  const sameSite = await request(serve.port, 'POST', '/v1/peering/token', { Host: own, 'Sec-Fetch-Site': 'cross-site', 'Content-Length': String(body.length) }, body);
  expect(sameSite.status).toBe(403);
  expect((await request(serve.port, 'GET', '/v1/peerings', { Host: own })).body).not.toContain('evil');
  // Its own pages' requests pass.
  const ok = await request(serve.port, 'POST', '/v1/peering/token', { Host: own, Origin: `http://${own}`, 'Sec-Fetch-Site': 'same-origin', 'Content-Length': String(body.length) }, body);
  expect(ok.status).toBe(200);
  // An absolute-form request target cannot name another host either.
  expect(statusLines(await raw(serve.port, `GET http://attacker.example/ui/ HTTP/1.1\r\nHost: ${own}\r\n\r\n`))).toEqual(['HTTP/1.1 400']);
});

test('HEAD answers the headers of GET without a body, and the connection stays usable', async ({ serve }) => {
  const own = `127.0.0.1:${serve.port}`;
  const get = await request(serve.port, 'GET', '/ui/peers', { Host: own });
  const out = await raw(serve.port, `HEAD /ui/peers HTTP/1.1\r\nHost: ${own}\r\n\r\nGET /v1/status/leader HTTP/1.1\r\nHost: ${own}\r\n\r\n`);
  const [head, rest] = [out.slice(0, out.indexOf('\r\n\r\n')), out.slice(out.indexOf('\r\n\r\n') + 4)];
  expect(head).toMatch(/^HTTP\/1\.[01] 200/);
  expect(head).toContain(`Content-Length: ${Buffer.byteLength(get.body)}`);
  expect(head).toContain(`Content-Security-Policy: ${STRICT_CSP}`);
  // Right after the HEAD headers comes the next answer, not an HTML body.
  expect(rest).toMatch(/^HTTP\/1\.[01] 200/);
  expect(out).not.toContain('<html');
  // HEAD on the API too.
  const api = await raw(serve.port, `HEAD /v1/agent/self HTTP/1.1\r\nHost: ${own}\r\nConnection: close\r\n\r\n`);
  expect(statusLines(api)).toEqual(['HTTP/1.1 200']);
  expect(api.slice(api.indexOf('\r\n\r\n') + 4)).toBe('');
});

test('a missing, negative or garbage Content-Length is refused, not trusted', async ({ serve, consul }) => {
  const own = `127.0.0.1:${serve.port}`;
  const body = '{"PeerName":"cl"}';
  for (const cl of ['-1', 'abc', '1e3', '+17', ' ', '99999999999999999']) {
    const out = await raw(serve.port, `PUT /v1/peering/token HTTP/1.1\r\nHost: ${own}\r\nContent-Length: ${cl}\r\n\r\n${body}`);
    expect(statusLines(out), `Content-Length: ${cl}`).toHaveLength(1);
    expect(out, `Content-Length: ${cl}`).toMatch(/^HTTP\/1\.[01] 4\d\d/);
  }
  // Two different lengths, or chunking (which the proxy does not decode): refused.
  const twice = await raw(serve.port, `POST /v1/peering/token HTTP/1.1\r\nHost: ${own}\r\nContent-Length: 17\r\nContent-Length: 3\r\n\r\n${body}`);
  expect(statusLines(twice)).toEqual(['HTTP/1.1 400']);
  const chunked = await raw(serve.port, `POST /v1/peering/token HTTP/1.1\r\nHost: ${own}\r\nTransfer-Encoding: chunked\r\n\r\n11\r\n${body}\r\n0\r\n\r\n`);
  expect(statusLines(chunked)).toEqual(['HTTP/1.1 400']);
  const huge = await raw(serve.port, `POST /v1/peering/token HTTP/1.1\r\nHost: ${own}\r\nContent-Length: 999999999999\r\n\r\n`);
  expect(statusLines(huge)).toEqual(['HTTP/1.1 413']);
  // Nothing of the above reached Consul; a valid length does.
  expect((await consul.api('GET', '/v1/peerings')).text).not.toContain('"cl"');
  const ok = await request(serve.port, 'POST', '/v1/peering/token', { Host: own, 'Content-Length': String(body.length) }, body);
  expect(ok.status).toBe(200);
  expect((await consul.api('GET', '/v1/peerings')).text).toContain('"cl"');
});

test('the console\'s files carry the strict CSP, deny framing, and cache only hashed files', async ({ serve }) => {
  const own = `127.0.0.1:${serve.port}`;
  const index = await request(serve.port, 'GET', '/ui/', { Host: own });
  expect(index.headers['content-security-policy']).toBe(STRICT_CSP);
  expect(index.headers['x-frame-options']).toBe('DENY');
  expect(index.headers['cache-control']).toBe('no-store');
  expect(index.body).toContain('<base href="/ui/">');
  expect(index.body).not.toContain('{{');
  const loader = index.body.match(/src="\.\/(loader-[0-9a-f]{1,16}\.js)"/)![1];
  const asset = await request(serve.port, 'GET', '/ui/' + loader, { Host: own });
  expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  expect(asset.headers['content-security-policy']).toBe(STRICT_CSP);
});

test('--content-path / serves the console at the root, deep links and the API included', async ({ page, consul }) => {
  const serve = await startServe(consul.origin, ['--content-path', '/']);
  try {
    expect(serve.url).toBe(serve.origin + '/');
    const own = `127.0.0.1:${serve.port}`;
    const root = await request(serve.port, 'GET', '/', { Host: own });
    expect(root.status).toBe(200);
    expect(root.body).toContain('<base href="/">');
    expect(root.body).toContain('"ContentPath": "/"');
    const violations = await watchCspViolations(page);
    const requests = recordRequests(page);
    await consul.api('POST', '/v1/peering/token', { PeerName: 'rooted' });
    await page.goto(serve.origin + '/');
    await expect(page).toHaveURL(serve.origin + '/peers');
    await expect(page.getByRole('row', { name: /rooted/ })).toBeVisible();
    await page.goto(serve.origin + '/peers/rooted');
    await expect(page.getByRole('heading', { name: 'rooted', level: 1 })).toBeVisible();
    await page.goto(serve.origin + '/no/such/page');
    await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
    // A path that starts with two slashes keeps everything on this origin.
    await page.goto(serve.origin + '//attacker.example/peers');
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    expect(await page.evaluate(() => document.baseURI)).toBe(serve.origin + '/');
    for (const u of requests) expect(new URL(u).origin).toBe(serve.origin);
    expect(violations).toEqual([]);
  } finally {
    // Leave the page first: its requests still in flight would hit a stopped server.
    await page.goto('about:blank');
    await serve.stop();
  }
});
