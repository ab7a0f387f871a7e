// How the suite and the bench start what they test against, in one place: where the consul-sim
// binary and the release bundle are, the stand-in's command line, waiting for its "listening" line
// and stopping it, and Debian's Chromium with its flags. Plain CommonJS, so that both the bench
// (Node .mjs, no TypeScript: `import { startSim } from '../support/launch.cjs'`) and the Playwright
// side (support/cluster.ts, playwright.config.ts) load it as it is. (Not an .mjs: Playwright
// rewrites an .mjs required from its TypeScript into CommonJS when it uses import.meta, which
// Node then refuses to run.)
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const targetDir = process.env.CARGO_TARGET_DIR || path.join(os.homedir(), '.cache/peering-console/target');
/** The stand-in binary (`make sim`); SIM_BIN overrides it. */
const simBin = process.env.SIM_BIN || path.join(targetDir, 'debug/consul-sim');
/** The release bundle (`make build`); DIST_DIR overrides it. */
const distDir = process.env.DIST_DIR || path.join(repoRoot, 'dist');

/** Debian's Chromium only: this machine cannot download Playwright's browsers. */
const chromiumLaunchOptions = {
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ],
};

/**
 * The stand-in's command line: a loopback port (0: the OS picks one), its datacenter, the UI it
 * serves (none without `uiDir`) and any further flags (see tests/consul-sim/README.md).
 */
function simArgs({ port = 0, datacenter = 'dc1', uiDir, contentPath, args = [] } = {}) {
  return [
    '--listen',
    `127.0.0.1:${port}`,
    '--datacenter',
    datacenter,
    ...(uiDir ? ['--ui-dir', uiDir] : []),
    ...(contentPath ? ['--ui-content-path', contentPath] : []),
    ...args,
  ];
}

const running = new Set();

/**
 * Starts a stand-in and resolves once it listens, with its origin (http://127.0.0.1:PORT).
 * Every instance started here is stopped by stopAll() (and signalled by killAllSync()).
 */
async function startSim(args, { bin = simBin, timeoutMs = 15_000 } = {}) {
  if (!fs.existsSync(bin)) throw new Error(`consul-sim not found at ${bin} (run \`make sim\`, or set SIM_BIN)`);
  const proc = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(proc);
  proc.once('exit', () => running.delete(proc));
  let stderr = '';
  proc.stderr.on('data', (d) => {
    if (stderr.length < 20_000) stderr += d;
  });
  const origin = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      stopSim(proc);
      reject(new Error(`consul-sim did not start within ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/consul-sim listening on (http:\/\/[\d.]+:\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`consul-sim exited with ${code}: ${stderr}`));
    });
  });
  return { origin, proc, stop: () => stopSim(proc) };
}

/** SIGTERM (the stand-in saves its --data-dir state and exits 0), SIGKILL after 3 s. */
function stopSim(proc) {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
    const kill = setTimeout(() => {
      try {
        proc.kill('SIGKILL');
      } catch {}
    }, 3_000);
    proc.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    try {
      proc.kill('SIGTERM');
    } catch {
      clearTimeout(kill);
      resolve();
    }
  });
}

async function stopAll() {
  await Promise.all([...running].map(stopSim));
}

/** Synchronous last resort (process 'exit' handler): signal whatever is still running. */
function killAllSync() {
  for (const p of running) {
    try {
      p.kill('SIGKILL');
    } catch {}
  }
}

module.exports = { repoRoot, targetDir, simBin, distDir, chromiumLaunchOptions, simArgs, startSim, stopSim, stopAll, killAllSync };
