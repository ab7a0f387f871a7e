// A consul-sim stand-in serving the release bundle like a Consul agent with ui_config.dir, on a free
// loopback port; support/test.ts gives each test a fresh one as its `cluster` fixture.
import { ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { distDir, simArgs, startSim } from './launch.cjs';
import { STRICT_CSP } from './csp';

export interface ClusterOptions {
  datacenter?: string;
  contentPath?: string;
  args?: string[];
  /** Reuse a port (e.g. restarting a cluster that peers dial at a known address). */
  port?: number;
  /** Serve without the strict Content-Security-Policy every cluster sends by default. */
  noCsp?: boolean;
}

/** Short stream timings so liveness tests take seconds, not minutes. */
export const FAST_STREAM = ['--heartbeat-interval', '300ms', '--heartbeat-timeout', '2s', '--delete-delay', '1500ms'];

export class Cluster {
  constructor(
    readonly proc: ChildProcess,
    readonly origin: string,
    readonly contentPath: string,
    readonly datacenter: string,
    private readonly stopSim: () => Promise<void>,
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
    return this.stopSim();
  }
}

export async function startCluster(opts: ClusterOptions = {}): Promise<Cluster> {
  if (!fs.existsSync(path.join(distDir, 'index.html'))) throw new Error(`no release bundle in ${distDir}`);
  const datacenter = opts.datacenter ?? 'dc1';
  const contentPath = opts.contentPath ?? '/ui/';
  // Every test runs under the strict policy operators set with Consul's
  // http_config.response_headers; the guard in support/test.ts fails a test on any violation.
  const csp = opts.noCsp ? [] : ['--response-header', `Content-Security-Policy: ${STRICT_CSP}`];
  const args = [...csp, ...(opts.args ?? [])];
  const sim = await startSim(simArgs({ port: opts.port, datacenter, uiDir: distDir, contentPath, args }), { timeoutMs: 10_000 });
  return new Cluster(sim.proc, sim.origin, contentPath, datacenter, sim.stop);
}
