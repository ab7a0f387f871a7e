// The bench's view of a stand-in: the shared launcher (support/launch.cjs, which the Playwright suite
// uses too) plus an API call that throws on any non-2xx answer and gives headers and JSON.
import { startSim as launch, simArgs, stopAll, killAllSync } from '../../support/launch.cjs';

export { simArgs, stopAll, killAllSync };

export async function startSim(args, opts) {
  const sim = await launch(args, opts);
  return {
    ...sim,
    async api(method, path, body, { timeoutMs: t = 60_000 } = {}) {
      const res = await fetch(sim.origin + path, {
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
