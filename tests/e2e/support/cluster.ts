// Starts a fresh consul-sim per test: each test gets its own cluster, on a free loopback port,
// serving the release bundle like a Consul agent with ui_config.dir.
import { test as base, expect, Page } from '@playwright/test';
import { spawn, ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import * as fs from 'node:fs';

const repo = path.resolve(__dirname, '..', '..', '..');
const simBin =
  process.env.SIM_BIN ??
  path.join(process.env.CARGO_TARGET_DIR ?? path.join(process.env.HOME ?? '', '.cache/peering-console/target'), 'debug/consul-sim');
const distDir = process.env.DIST_DIR ?? path.join(repo, 'dist');

export interface ClusterOptions {
  datacenter?: string;
  contentPath?: string;
  args?: string[];
  /** Reuse a port (e.g. restarting a cluster that peers dial at a known address). */
  port?: number;
}

/** Short stream timings so liveness tests take seconds, not minutes. */
export const FAST_STREAM = ['--heartbeat-interval', '300ms', '--heartbeat-timeout', '2s', '--delete-delay', '1500ms'];

export class Cluster {
  constructor(
    readonly proc: ChildProcess,
    readonly origin: string,
    readonly contentPath: string,
    readonly datacenter: string,
  ) {}

  /** The console's URL under this cluster's content path, e.g. http://127.0.0.1:PORT/ui/peers */
  get port(): number {
    return Number(new URL(this.origin).port);
  }

  ui(route = ''): string {
    return this.origin + this.contentPath + route.replace(/^\//, '');
  }

  async api(method: string, apiPath: string, body?: unknown, token?: string): Promise<{ status: number; text: string }> {
    const headers: Record<string, string> = {};
    if (token) headers['X-Consul-Token'] = token;
    const res = await fetch(this.origin + apiPath, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, text: await res.text() };
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      if (this.proc.exitCode !== null) return resolve();
      this.proc.once('exit', () => resolve());
      this.proc.kill('SIGTERM');
    });
  }
}

export async function startCluster(opts: ClusterOptions = {}): Promise<Cluster> {
  if (!fs.existsSync(simBin)) throw new Error(`consul-sim not built at ${simBin} (run through make)`);
  if (!fs.existsSync(path.join(distDir, 'index.html'))) throw new Error(`no release bundle in ${distDir}`);
  const datacenter = opts.datacenter ?? 'dc1';
  const contentPath = opts.contentPath ?? '/ui/';
  const proc = spawn(
    simBin,
    ['--listen', `127.0.0.1:${opts.port ?? 0}`, '--datacenter', datacenter, '--ui-dir', distDir, '--ui-content-path', contentPath, ...(opts.args ?? [])],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  proc.stderr!.on('data', (d) => (stderr += d));
  const origin = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`consul-sim did not start: ${stderr}`)), 10_000);
    proc.stdout!.on('data', (d) => {
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
  return new Cluster(proc, origin, contentPath, datacenter);
}

/** Fails the test on any uncaught page error or console error (a WASM panic shows up here). */
export function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  return problems;
}

type Fixtures = { cluster: Cluster; consoleErrors: string[] };

export const test = base.extend<Fixtures>({
  cluster: async ({}, use) => {
    const cluster = await startCluster();
    await use(cluster);
    await cluster.stop();
  },
  consoleErrors: async ({ page }, use) => {
    const errors = watchConsole(page);
    await use(errors);
  },
});

export { expect };
