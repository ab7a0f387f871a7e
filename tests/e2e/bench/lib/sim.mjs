// Starts and stops consul-sim stand-ins; every instance started here is stopped by stopAll().
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';

const running = new Set();

export async function startSim(simBin, args, { timeoutMs = 15_000 } = {}) {
  if (!fs.existsSync(simBin)) throw new Error(`consul-sim not found at ${simBin} (run \`make sim\`)`);
  const proc = spawn(simBin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(proc);
  proc.once('exit', () => running.delete(proc));
  let stderr = '';
  proc.stderr.on('data', (d) => {
    if (stderr.length < 20_000) stderr += d;
  });
  const origin = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`consul-sim did not start within ${timeoutMs} ms: ${stderr}`)), timeoutMs);
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
  return {
    origin,
    proc,
    stop: () => stopOne(proc),
    async api(method, path, body, { timeoutMs: t = 60_000 } = {}) {
      const res = await fetch(origin + path, {
        method,
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
        signal: AbortSignal.timeout(t),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
      return { status: res.status, text, headers: res.headers, json: () => JSON.parse(text) };
    },
  };
}

function stopOne(proc) {
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

export async function stopAll() {
  await Promise.all([...running].map(stopOne));
}

/** Synchronous last resort (process 'exit' handler): signal whatever is still running. */
export function killAllSync() {
  for (const p of running) {
    try {
      p.kill('SIGKILL');
    } catch {}
  }
}
