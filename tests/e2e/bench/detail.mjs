// `detail`: a peer's page with 500 imported services. A second pair of stand-ins, dc1 and dc2, go
// through a real peering; dc2 registers 500 services, each with a health check, and exports them
// all to dc1; /ui/peers/dc2 on dc1 is loaded cold: peering summary painted, first imported service
// row painted, every row painted. The same pair serves the detail page's idle network (network.mjs).
import { DETAIL_CFG, log, RUNS } from './lib/context.mjs';
import { firstResource, loadOnce } from './lib/load.mjs';
import { sleep } from './lib/rawpage.mjs';
import { spread } from './lib/report.mjs';
import { startSim } from './lib/sim.mjs';
import { simArgs } from './lib/setup.mjs';
import { summary } from './lib/stats.mjs';

export async function detailSetup(benchDist) {
  const a = await startSim(simArgs('dc1', benchDist));
  const b = await startSim(simArgs('dc2', null));
  const token = (await a.api('POST', '/v1/peering/token', { PeerName: 'dc2' })).json().PeeringToken;
  await b.api('POST', '/v1/peering/establish', { PeerName: 'dc1', PeeringToken: token });
  const names = Array.from({ length: 500 }, (_, i) => `svc-${String(i).padStart(3, '0')}`);
  for (let i = 0; i < names.length; i += 25) {
    await Promise.all(
      names.slice(i, i + 25).map((name, j) => {
        const n = i + j;
        const status = n % 10 === 0 ? 'critical' : n % 7 === 0 ? 'warning' : 'passing';
        return b.api('PUT', '/v1/catalog/register', {
          Node: `dc2-node-${n % 20}`,
          Address: `10.2.${n % 20}.10`,
          Service: { ID: `${name}-1`, Service: name, Port: 8000 + (n % 100), Tags: ['v1'] },
          Checks: [{ CheckID: `service:${name}-1`, Name: `Service '${name}' check`, Status: status, ServiceID: `${name}-1` }],
        });
      }),
    );
  }
  log(`detail: registered ${names.length} services on dc2`);
  await b.api('PUT', '/v1/config', {
    Kind: 'exported-services',
    Name: 'default',
    Services: names.map((Name) => ({ Name, Consumers: [{ Peer: 'dc1' }] })),
  });
  const end = Date.now() + 60_000;
  let imported = 0;
  let listed = 0;
  while (Date.now() < end) {
    const p = (await a.api('GET', '/v1/peering/dc2')).json();
    imported = (p.StreamStatus?.ImportedServices || []).length;
    if (imported >= 500) {
      listed = (await a.api('GET', '/v1/internal/ui/services?peer=dc2')).json().length;
      if (listed >= 500) break;
    }
    await sleep(250);
  }
  return { a, b, imported, listed, state: (await a.api('GET', '/v1/peering/dc2')).json().State };
}

export async function detailBench(d) {
  const url = `${d.a.origin}/ui/peers/dc2`;
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const r = await loadOnce(url, DETAIL_CFG);
    const api = firstResource(r, /^\/v1\/internal\/ui\/services/);
    runs.push({
      summaryPainted: r.markPainted,
      firstServicePainted: r.firstRowPainted,
      settledPainted: r.settledPaint,
      rows: r.rows,
      servicesRequestStart: api?.requestStart ?? null,
      servicesResponseEnd: api?.end ?? null,
      errors: r.errors,
    });
  }
  const out = {
    url: '/ui/peers/dc2',
    importedServices: d.imported,
    peeringState: d.state,
    runs,
    summary: summary(runs.map((r) => r.summaryPainted)),
    firstService: summary(runs.map((r) => r.firstServicePainted)),
    settled: summary(runs.map((r) => r.settledPainted)),
    rowsInDom: runs.at(-1).rows,
    servicesResponseEnd: summary(runs.map((r) => r.servicesResponseEnd)).median,
  };
  log(`detail (500 imported): summary ${out.summary.median} ms, first service ${out.firstService.median} ms, all ${out.settled.median} ms`);
  return out;
}

export function tableRows(R, add) {
  if (!R.detail) return;
  const d = R.detail;
  if (d.notMeasured) add('detail', 'peer with 500 imported services', `not measured: ${d.notMeasured}`, '—', null);
  else {
    add('detail', `summary painted (${d.importedServices} imported)`, spread(d.summary), '—', null);
    add('detail', 'first imported service row painted', spread(d.firstService), '—', null);
    add('detail', `all ${d.rowsInDom} service rows painted`, spread(d.settled), '—', null);
  }
}
