// deploy/nginx exactly as shipped, rendered for a test: Debian's nginx, unprivileged paths under a
// temporary directory, in front of a Consul stand-in.
import { spawn, ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

const repo = path.resolve(__dirname, '..', '..', '..');
const dist = process.env.DIST_DIR ?? path.join(repo, 'dist');
export const NGINX_BIN = process.env.NGINX_BIN ?? '/usr/sbin/nginx';

export interface Nginx {
  proc: ChildProcess;
  /** http://127.0.0.1:PORT */
  origin: string;
  runDir: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

function render(file: string, values: Record<string, string>): string {
  let text = fs.readFileSync(path.join(repo, 'deploy/nginx', file), 'utf8');
  for (const [k, v] of Object.entries(values)) text = text.split(`@${k}@`).join(v);
  const left = text.match(/@[A-Z_]+@/);
  if (left) throw new Error(`deploy/nginx/${file}: placeholder ${left[0]} not filled in`);
  return text;
}

async function answers(origin: string): Promise<boolean> {
  try {
    await fetch(origin + '/peering/', { method: 'HEAD' });
    return true;
  } catch {
    return false;
  }
}

/** Starts nginx with deploy/nginx/peering-console.conf in front of `consulOrigin` (http://host:port). */
export async function startNginx(consulOrigin: string): Promise<Nginx> {
  if (!fs.existsSync(NGINX_BIN)) throw new Error(`${NGINX_BIN} missing: run scripts/setup.sh (Debian's nginx)`);
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'peering-nginx-'));
  // Workers drop to an unprivileged user when the master runs as root: let them in.
  fs.chmodSync(runDir, 0o755);
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const values = {
      RUN_DIR: runDir,
      LISTEN: `127.0.0.1:${port}`,
      SERVER_NAME: '127.0.0.1',
      DIST_DIR: path.resolve(dist),
      CONSUL_ADDR: new URL(consulOrigin).host,
    };
    fs.writeFileSync(path.join(runDir, 'nginx.conf'), render('nginx-standalone.conf', values));
    fs.writeFileSync(path.join(runDir, 'peering-console.conf'), render('peering-console.conf', values));
    const proc = spawn(NGINX_BIN, ['-p', runDir, '-c', path.join(runDir, 'nginx.conf'), '-e', path.join(runDir, 'error.log')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    proc.stderr!.on('data', (d) => (stderr += d));
    const origin = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 10_000;
    while (proc.exitCode === null && Date.now() < deadline && !(await answers(origin))) {
      await new Promise((r) => setTimeout(r, 50));
    }
    if (proc.exitCode === null && (await answers(origin))) {
      const stop = () =>
        new Promise<void>((resolve) => {
          const done = () => {
            fs.rmSync(runDir, { recursive: true, force: true });
            resolve();
          };
          if (proc.exitCode !== null) return done();
          proc.once('exit', done);
          proc.kill('SIGQUIT');
          setTimeout(() => proc.kill('SIGKILL'), 3_000).unref();
        });
      return { proc, origin, runDir, stop };
    }
    proc.kill('SIGKILL');
    const log = fs.existsSync(path.join(runDir, 'error.log')) ? fs.readFileSync(path.join(runDir, 'error.log'), 'utf8') : '';
    // The port was taken between choosing and binding: try another.
    if (attempt < 3 && /Address already in use/.test(stderr + log)) continue;
    fs.rmSync(runDir, { recursive: true, force: true });
    throw new Error(`nginx did not start: ${stderr}${log}`);
  }
}
