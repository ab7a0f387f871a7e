// The wasm ships gzip-compressed inside the bundle: Consul serves UI files
// uncompressed, so the console downloads `*_bg.wasm.gz` and inflates it with DecompressionStream,
// integrity checked, whatever sits in front.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { AddressInfo } from 'node:net';
import { Page } from '@playwright/test';
import { test, expect } from '../support/test';
import { Cluster } from '../support/cluster';
import { STRICT_CSP, watchCspViolations } from '../support/csp';

// Served without Consul's template (a proxy, make serve), the console asks whether ACLs are on:
// Consul answers "ACL support disabled" with a 401, which Chromium logs.
test.beforeEach(({ expectConsoleError }) => {
  expectConsoleError(/status of 401 .*\/v1\/acl\/token\/self/, { optional: true });
});


const repo = path.resolve(__dirname, '..', '..', '..');
const dist = process.env.DIST_DIR ?? path.join(repo, 'dist');
const file = (re: RegExp) => fs.readdirSync(dist).find((f) => re.test(f))!;

/** What went over the wire for the wasm, and whether the console started with the peers page. */
async function boot(page: Page, url: string) {
  const wasm: { url: string; encoding?: string; bytes: number }[] = [];
  page.on('requestfinished', async (r) => {
    if (!/_bg\.wasm(\.gz)?$/.test(r.url())) return;
    const sizes = await r.sizes();
    const res = await r.response();
    wasm.push({ url: r.url(), encoding: res?.headers()['content-encoding'], bytes: sizes.responseBodySize });
  });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const violations = await watchCspViolations(page);
  await page.goto(url);
  await expect(page.getByRole('heading', { name: 'Peers', level: 1 })).toBeVisible();
  await expect(page.getByText('Loading the console…')).toHaveCount(0);
  expect(errors).toEqual([]);
  expect(violations).toEqual([]);
  return wasm;
}

type Mode = 'proxy-gzips-everything' | 'gz-sent-as-content-encoding';

/** A server in front of the stand-in that serves dist/ at /ui/ the way some proxies do. */
async function frontServer(cluster: Cluster, mode: Mode): Promise<{ origin: string; close: () => void }> {
  const index = fs
    .readFileSync(path.join(dist, 'index.html'), 'utf8')
    .replace('{{ .ContentPath }}', '/ui/')
    .replace('{{ jsonEncode . }}', '{}');
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url!, 'http://x');
    if (url.pathname.startsWith('/v1/')) {
      try {
        const up = await fetch(cluster.origin + req.url, { headers: { 'x-consul-token': String(req.headers['x-consul-token'] ?? '') } });
        res.writeHead(up.status, { 'content-type': up.headers.get('content-type') ?? 'application/json' });
        return res.end(Buffer.from(await up.arrayBuffer()));
      } catch {
        // The stand-in stopped under a poll still in flight at the end of the test.
        res.writeHead(502);
        return res.end();
      }
    }
    const name = url.pathname.replace(/^\/ui\//, '');
    const real = name && fs.existsSync(path.join(dist, name)) && name !== 'index.html';
    let body: Buffer = real ? fs.readFileSync(path.join(dist, name)) : Buffer.from(index);
    const headers: Record<string, string> = { 'content-security-policy': STRICT_CSP };
    headers['content-type'] = !real
      ? 'text/html'
      : name.endsWith('.js')
        ? 'text/javascript'
        : name.endsWith('.css')
          ? 'text/css'
          : name.endsWith('.wasm') || name.endsWith('.wasm.gz')
            ? 'application/wasm'
            : 'application/octet-stream';
    if (mode === 'proxy-gzips-everything' && /gzip/.test(String(req.headers['accept-encoding']))) {
      body = zlib.gzipSync(body);
      headers['content-encoding'] = 'gzip';
    } else if (mode === 'gz-sent-as-content-encoding' && name.endsWith('.gz')) {
      headers['content-encoding'] = 'gzip';
    }
    res.writeHead(200, headers);
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

test('served uncompressed like Consul serves UI files, the console downloads only the gzip copy of the wasm', async ({ page, cluster }) => {
  const raw = fs.statSync(path.join(dist, file(/_bg\.wasm$/))).size;
  const packed = fs.statSync(path.join(dist, file(/_bg\.wasm\.gz$/))).size;
  expect(packed).toBeLessThan(raw / 2);
  const wasm = await boot(page, cluster.ui('peers'));
  expect(wasm.map((w) => path.basename(new URL(w.url).pathname))).toEqual([file(/_bg\.wasm\.gz$/)]);
  expect(wasm[0].encoding).toBeUndefined();
  expect(wasm[0].bytes).toBe(packed);
});

test('a proxy that gzips everything again does not break it', async ({ page, cluster }) => {
  const front = await frontServer(cluster, 'proxy-gzips-everything');
  try {
    const wasm = await boot(page, front.origin + '/ui/peers');
    expect(wasm).toHaveLength(1);
    expect(wasm[0].url).toMatch(/\.wasm\.gz$/);
    expect(wasm[0].encoding).toBe('gzip');
  } finally {
    // Leave the page first: its requests still in flight would hit a stopped server.
    await page.goto('about:blank');
    front.close();
  }
});

test('a server that sends the .gz file with Content-Encoding: gzip (decoded by the browser) does not break it', async ({ page, cluster }) => {
  const front = await frontServer(cluster, 'gz-sent-as-content-encoding');
  try {
    const wasm = await boot(page, front.origin + '/ui/peers');
    expect(wasm).toHaveLength(1);
    expect(wasm[0].encoding).toBe('gzip');
  } finally {
    // Leave the page first: its requests still in flight would hit a stopped server.
    await page.goto('about:blank');
    front.close();
  }
});

test('a browser without DecompressionStream loads the raw wasm instead, integrity checked', async ({ page, cluster }) => {
  await page.addInitScript(() => {
    delete (window as unknown as { DecompressionStream?: unknown }).DecompressionStream;
  });
  const wasm = await boot(page, cluster.ui('peers'));
  // (The <link rel="preload"> has fetched the gzip copy already; the app runs from the raw file.)
  expect(wasm.map((w) => path.basename(new URL(w.url).pathname))).toContain(file(/_bg\.wasm$/));
});
