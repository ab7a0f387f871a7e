// Starts the console from an external file, so the page needs no inline script and boots under a
// strict Content-Security-Policy (script-src 'self' 'wasm-unsafe-eval'; style-src 'self').
//
// Trunk builds this file with a content hash and an integrity digest (<script data-trunk> in
// index.html), writes the hashed names of the wasm-bindgen glue and the wasm into
// <meta name="peering-console-app"> (Trunk.toml pattern_script) and keeps its integrity preloads
// (<link rel="modulepreload"|"preload" integrity=…>). This loader:
//   1. fixes the page base by a rule that can only give a same-origin path;
//   2. imports the glue (the module map entry the integrity-checked modulepreload filled);
//   3. fetches the wasm with the preload's integrity digest, so a tampered file never runs;
//   4. inflates it when it is the bundle's gzip copy (`*_bg.wasm.gz`, Trunk.toml's post_build hook):
//      Consul serves UI files uncompressed, so this is what keeps the download small there;
//   5. on the peers page and the map, asks for `/v1/peerings` at once, in parallel with the wasm download, and
//      leaves the answer for the app (src/api/client.rs `take_prefetched`), which uses it for its
//      first list instead of asking again.

const BOOT_TEXT = '#boot-shell .boot-text';

function say(message) {
  const text = document.querySelector(BOOT_TEXT);
  if (text) text.textContent = message;
}

// A server-rendered base (Consul's `{{ .ContentPath }}`, a proxy's sub_filter, serve.py) is kept
// only when it is a plain absolute path on this origin: one leading slash, no empty segment, no
// backslash, whitespace, scheme or authority, ending in a slash.
const RENDERED_BASE = /^\/(?:[A-Za-z0-9._~!$&'()*+,;=:@%-]+\/)*$/;

function pagePath(url) {
  // Never protocol-relative: collapse runs of slashes (`//evil.example/` becomes `/evil.example/`).
  return url.pathname.replace(/\/{2,}/g, '/');
}

/** The bundle's path on this origin: the rendered <base href>, else this file's own directory. */
function bundleBase() {
  const rendered = document.querySelector('base')?.getAttribute('href') ?? '';
  if (RENDERED_BASE.test(rendered) && !rendered.split('/').some((s) => s === '.' || s === '..')) {
    return rendered;
  }
  // Unrendered (dev server, a proxy that does not fill it in): this file was found, so its
  // directory is where the bundle lives. Only its path is kept, on the page's own origin.
  const own = new URL('./', import.meta.url);
  if (own.origin !== location.origin) throw new Error('the loader was not served by this origin');
  return pagePath(own);
}

/** The integrity digest Trunk gave the preload of `href` (its raw attribute, as Trunk wrote it). */
function integrityOf(rel, href) {
  for (const link of document.querySelectorAll(`link[rel="${rel}"]`)) {
    if (link.getAttribute('href') === href) return link.integrity;
  }
  return '';
}

const GZIP_MAGIC = [0x1f, 0x8b];

/** The wasm response as WebAssembly.instantiateStreaming wants it: gzip bytes are inflated here;
 *  bytes already decoded on the way (a server that sent the .gz with Content-Encoding: gzip, which
 *  the browser undid) pass through. The integrity digest was checked on the bytes as received. */
async function inflated(response) {
  if (!response.ok) throw new Error(`HTTP ${response.status} for ${response.url}`);
  const reader = response.body.getReader();
  const head = [];
  let seen = 0;
  while (seen < GZIP_MAGIC.length) {
    const { done, value } = await reader.read();
    if (done) break;
    head.push(value);
    seen += value.length;
  }
  const first = new Uint8Array(seen);
  let at = 0;
  for (const chunk of head) {
    first.set(chunk, at);
    at += chunk.length;
  }
  let body = new ReadableStream({
    start(controller) {
      if (first.length) controller.enqueue(first);
    },
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  if (GZIP_MAGIC.every((b, i) => first[i] === b)) body = body.pipeThrough(new DecompressionStream('gzip'));
  return new Response(body, { headers: { 'Content-Type': 'application/wasm' } });
}

// What the app keeps in src/api/token_store.rs: the tab's token first, then the remembered one;
// an empty tab entry means signed out in this tab (no token, the remembered one not used).
const TOKEN_KEY = 'peering-console:acl-token';
// src/api/client.rs TIMEOUT_SECONDS: an answer that does not come in time is a timeout for the app too.
const TIMEOUT_MS = 10_000;
// The property src/api/client.rs takes the early answer from (once).
const PREFETCH = '__peeringConsolePrefetch';
// The pages below the base whose first request is /v1/peerings: src/routes/mod.rs
// `prefetch_paths()`, which a test checks against this line.
const PREFETCH_PATHS = ['', 'peers', 'map'];

function storedToken() {
  for (const name of ['sessionStorage', 'localStorage']) {
    try {
      const token = window[name].getItem(TOKEN_KEY);
      if (token !== null) return token === '' ? null : token;
    } catch {
      // Storage blocked by the browser's settings: the app finds no token either.
    }
  }
  return null;
}

/** Starts the peers page's `/v1/peerings` request now, with the stored token, same-origin only.
 *  The app checks the page and token before it uses the answer, and asks itself when this is
 *  missing or the request failed on the way; statuses and headers are handed over untouched, so
 *  every error path stays the app's own. */
function prefetchPeerings(base) {
  // Inside any frame the token is never used before the app has checked who frames it (main.rs
  // refuses to start under another site's page).
  if (window.top !== window.self) return;
  const rest = pagePath(location).slice(base.length - 1).replace(/^\//, '').replace(/\/$/, '');
  if (!pagePath(location).startsWith(base.slice(0, -1)) || !PREFETCH_PATHS.includes(rest)) return;
  const raw = storedToken();
  const token = raw === null ? null : raw.trim();
  // A token a header cannot carry: the app explains that itself (model/consul/acl_token.rs clean_token).
  if (token !== null && (token === '' || !/^[\x21-\x7e]+$/.test(token))) return;
  const url = new URL('/v1/peerings', location.origin);
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, TIMEOUT_MS);
  const answer = fetch(url, {
    headers: token === null ? {} : { 'X-Consul-Token': token },
    credentials: 'same-origin',
    signal: controller.signal,
  })
    .then(async (response) => ({ status: response.status, headers: response.headers, body: await response.text() }))
    .catch(() => ({ timedOut }))
    .finally(() => clearTimeout(timer));
  window[PREFETCH] = { path: '/v1/peerings', token: raw, answer };
}

async function start() {
  const app = document.querySelector('meta[name="peering-console-app"]');
  if (!app) throw new Error('index.html has no peering-console-app entry (was it built by trunk?)');
  const jsIntegrity = integrityOf('modulepreload', app.dataset.js);
  const wasmIntegrity = integrityOf('preload', app.dataset.wasm);

  const path = bundleBase();
  try {
    prefetchPeerings(path);
  } catch {
    // Never in the way of starting: the app asks itself.
  }
  let base = document.querySelector('base');
  if (!base) {
    base = document.createElement('base');
    document.head.prepend(base);
  }
  if (base.getAttribute('href') !== path) base.setAttribute('href', path);
  const root = location.origin + path;
  const js = new URL(app.dataset.js, root);
  const wasm = new URL(app.dataset.wasm, root);
  for (const url of [js, wasm]) {
    if (url.origin !== location.origin) throw new Error('a bundle file is not on this origin');
  }

  // import() cannot carry a digest: a modulepreload of the same URL with it fills the module map
  // first, and import() takes that entry (a digest mismatch makes the import fail).
  if (jsIntegrity) {
    const preload = document.createElement('link');
    preload.rel = 'modulepreload';
    preload.href = js.href;
    preload.integrity = jsIntegrity;
    document.head.append(preload);
  }
  const glue = await import(js.href);
  // The gzip copy, inflated here; a browser without DecompressionStream takes the raw wasm (the
  // integrity list holds the digests of both files).
  const compressed = wasm.pathname.endsWith('.wasm.gz');
  const inflate = compressed && typeof DecompressionStream === 'function';
  const url = compressed && !inflate ? wasm.href.replace(/\.gz$/, '') : wasm.href;
  const fetched = fetch(url, { integrity: wasmIntegrity, credentials: 'same-origin' });
  const response = inflate ? fetched.then(inflated) : fetched;
  const exports = await glue.default({ module_or_path: response });
  // What Trunk's generated loader exposed (the benchmark reads the wasm memory from it).
  window.wasmBindings = glue;
  dispatchEvent(new CustomEvent('TrunkApplicationStarted', { detail: { wasm: exports } }));
}

start().catch((err) => {
  console.error('Consul Peering Console failed to start:', err);
  say(`The console could not start: ${err && err.message ? err.message : err}. Reload the page; if it persists, check that the server serves this bundle unchanged.`);
});
