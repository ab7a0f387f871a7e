// scripts/serve.py (`make serve`) in front of a Consul stand-in, on a free loopback port.
import { spawn, ChildProcess } from 'node:child_process';
import * as path from 'node:path';

const repo = path.resolve(__dirname, '..', '..', '..');
const dist = process.env.DIST_DIR ?? path.join(repo, 'dist');

export interface Serve {
  proc: ChildProcess;
  /** http://127.0.0.1:PORT */
  origin: string;
  /** The console's URL as serve.py prints it, e.g. http://127.0.0.1:PORT/ui/ */
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function startServe(consulOrigin: string, extraArgs: string[] = []): Promise<Serve> {
  const proc = spawn(
    'python3',
    [path.join(repo, 'scripts/serve.py'), '--consul', consulOrigin, '--dist', dist, '--listen', '127.0.0.1:0', ...extraArgs],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let err = '';
  proc.stderr!.on('data', (d) => (err += d));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve.py did not start: ${out}${err}`)), 10_000);
    proc.stdout!.on('data', (d) => {
      out += d;
      const m = out.match(/Consul Peering Console: (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve.py exited with ${code}: ${out}${err}`));
    });
  });
  const u = new URL(url);
  return {
    proc,
    origin: u.origin,
    url,
    port: Number(u.port),
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
  };
}
