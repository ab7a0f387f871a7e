// The stand-ins the benches load pages from: a copy of dist/ they serve as their UI directory, and
// the two stand-ins seeded with 1,000 and 10,000 peerings, each serving its static floor page.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DIST, log, tmpDir } from './context.mjs';
import { floorHtml } from './floor.mjs';
import { startSim, simArgs as launchArgs } from './sim.mjs';

// Seeded heartbeats stay "fresh" for the whole run (the default 2 m timeout would turn them FAILING mid-run).
export const simArgs = (datacenter, uiDir) => launchArgs({ datacenter, uiDir, args: ['--heartbeat-timeout', '1h'] });

async function listPeerings(sim) {
  const res = await sim.api('GET', '/v1/peerings');
  return { peerings: res.json(), date: res.headers.get('date') };
}

export function prepareDist() {
  const dir = path.join(tmpDir(), 'bench-dist');
  fs.cpSync(DIST, dir, { recursive: true });
  return dir;
}

/** Starts the stand-ins with 1,000 and 10,000 peerings and writes their floor pages into `benchDist`;
 *  records what was seeded in `meta`. Returns `{ sims, data }`, keyed by the count. */
export async function startListSims(benchDist, meta) {
  const cssFiles = fs.readdirSync(benchDist).filter((f) => f.endsWith('.css')).sort();
  const ctx = { sims: {}, data: {} };
  for (const n of [1000, 10000]) {
    ctx.sims[n] = await startSim(simArgs('dc1', benchDist));
    await ctx.sims[n].api('POST', `/_sim/peerings?count=${n}`);
    ctx.data[n] = await listPeerings(ctx.sims[n]);
    const states = {};
    for (const p of ctx.data[n].peerings) states[p.State] = (states[p.State] || 0) + 1;
    meta[`seeded${n}`] = { count: ctx.data[n].peerings.length, states };
    // Both stand-ins serve the same directory; each floor file holds its own stand-in's rows.
    fs.writeFileSync(path.join(benchDist, `floor-${n}.html`), floorHtml(ctx.data[n].peerings, ctx.data[n].date, cssFiles));
    const check = await ctx.sims[n].api('GET', `/ui/floor-${n}.html`);
    if (!check.text.includes('bench-00000')) throw new Error('the stand-in does not serve the floor page');
    log(`stand-in with ${n} peerings at ${ctx.sims[n].origin} (${JSON.stringify(states)})`);
  }
  return ctx;
}
