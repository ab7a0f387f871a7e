// Exporting services to peers: the peer's "Exported services" tab and /exports, driven like an
// operator would, checked on the importing cluster and through the API.
import { Page } from '@playwright/test';
import { Cluster, FAST_STREAM } from '../support/cluster';
import { test as base, expect } from '../support/test';
import { generateToken, peerClusters, readEntry, writeEntry } from '../support/api';
import { ROOT, tokenWith } from '../support/acl';
import { ExportsPage, PeerExports, PeerPage, PeersPage } from '../support/pages';

/** dc1 (the exporter, with the demo services) peered with dc2 (the importer), each with its operator. */
type Pair = { dc1: Cluster; dc2: Cluster; op1: Page; op2: Page };

const test = base.extend<{ pair: Pair }>({
  pair: async ({ newContext, startCluster }, use) => {
    const dc1 = await startCluster({ datacenter: 'dc1', args: [...FAST_STREAM, '--seed', 'demo'] });
    const dc2 = await startCluster({ datacenter: 'dc2', args: [...FAST_STREAM] });
    await peerClusters(dc1, dc2);
    const op1 = await (await newContext()).newPage();
    const op2 = await (await newContext()).newPage();
    await use({ dc1, dc2, op1, op2 });
  },
});

const exportsOf = (cluster: Cluster) => readEntry(cluster, 'exported-services', 'default');
const API_TO_DC2 = { Kind: 'exported-services', Name: 'default', Services: [{ Name: 'api', Consumers: [{ Peer: 'dc2' }] }] };

/** What dc2 imports from dc1 with instances (Consul ignores ?peer= on /v1/catalog/services). */
async function importedOnDc2(dc2: Cluster): Promise<string[]> {
  const list = JSON.parse((await dc2.api('GET', '/v1/internal/ui/services?peer=dc1')).text) ?? [];
  return list.map((s: { Name: string }) => s.Name);
}

/** Opens dc1's page for the peer dc2 on its "Exported services" tab, with the entry loaded. */
async function openExportsTab(page: Page, dc1: Cluster): Promise<PeerExports> {
  const peer = await new PeerPage(page).goto(dc1, 'dc2');
  await peer.openTab(/^Exported services/);
  const exports = peer.exportsTo('dc2');
  await expect(exports.heading).toBeVisible();
  await expect(exports.reviewButton).toBeEnabled();
  return exports;
}

test('export api to dc2 in the browser, see it imported on dc2, then remove it', async ({ pair }) => {
  const { dc1, dc2, op1, op2 } = pair;
  const exports = await openExportsTab(op1, dc1);
  await expect(exports.nothing).toBeVisible();

  await exports.reviewExport('api');
  await expect(exports.reviewHeading('export api to dc2')).toBeVisible();
  // No entry yet: the preview creates it, and the command only creates it (cas 0).
  await expect(exports.added('"Peer": "dc2"')).toHaveCount(1);
  await expect(exports.unchanged).toHaveCount(0);
  await expect(exports.writeCommand).toContainText('consul config write -cas -modify-index=0 exported-services-default.hcl');
  await exports.showHcl();
  await expect(exports.hcl).toContainText('Kind     = "exported-services"');
  // The page refreshes the peering every 5 s: the review stays open across a refresh.
  await op1.waitForResponse((r) => new URL(r.url()).pathname === '/v1/peering/dc2', { timeout: 10_000 });
  await expect(exports.reviewHeading('export api to dc2')).toBeVisible();
  const peer1 = new PeerPage(op1);
  await expect(peer1.tab(/^Exported services/)).toHaveAttribute('aria-selected', 'true');
  await exports.save();

  await expect(exports.saved('export api to dc2')).toBeVisible();
  await expect(exports.exported('api')).toBeVisible();
  // The live stream status catches up at the next poll.
  await expect(exports.table.getByText('Carried by the stream')).toBeVisible({ timeout: 12_000 });
  await expect(peer1.tab('Exported services (1)')).toBeVisible();
  expect((await exportsOf(dc1)).Services).toEqual([{ Name: 'api', Consumers: [{ Peer: 'dc2' }] }]);

  // dc2's operator sees it imported, and so does dc2's catalog.
  const peer2 = await new PeerPage(op2).goto(dc2, 'dc1');
  await expect(peer2.tab('Imported services (1)')).toBeVisible({ timeout: 15_000 });
  await peer2.openTab('Imported services (1)');
  await expect(peer2.imported('api')).toBeVisible({ timeout: 10_000 });
  expect(await importedOnDc2(dc2)).toContain('api');

  // Remove it: the entry stays (empty) and dc2 loses the service.
  await exports.stopExporting('api');
  await expect(exports.reviewHeading('stop exporting api to dc2')).toBeVisible();
  await expect(exports.removed('"Name": "api"')).toHaveCount(1);
  await exports.save();
  await expect(exports.saved('stop exporting api to dc2')).toBeVisible();
  await expect(exports.nothing).toBeVisible();
  expect((await exportsOf(dc1)).Services ?? []).toEqual([]);

  await expect(peer2.tab('Imported services (0)')).toBeVisible({ timeout: 15_000 });
  await expect(op2.getByText('No services imported from dc1')).toBeVisible({ timeout: 10_000 });
  await expect.poll(() => importedOnDc2(dc2)).not.toContain('api');
});

test('an entry with a partition consumer, Meta and unknown fields keeps them through edits on /exports', async ({ pair }) => {
  const { dc1, op1 } = pair;
  await writeEntry(dc1, {
    Kind: 'exported-services',
    Name: 'default',
    Meta: { owner: 'team-a', 'app.kubernetes.io/name': 'mesh' },
    Services: [
      { Name: 'web', Consumers: [{ Partition: 'default' }] },
      { Name: 'api', Consumers: [{ Peer: 'dc2' }], FutureField: { kept: true } },
    ],
  });
  const exports = await new ExportsPage(op1).goto(dc1);
  await expect(exports.row('web')).toContainText('partition default');
  // dc2 is a peering of dc1; dc9 is not.
  await expect(exports.row('api')).not.toContainText('not peered');

  // Filters: by service and by peer.
  const rows = exports.table.getByRole('row');
  await exports.serviceFilter.fill('ap');
  await expect(rows).toHaveCount(2);
  await exports.serviceFilter.fill('');
  await exports.peerFilter.selectOption('dc2');
  await expect(rows).toHaveCount(2);
  await expect(exports.count('1 of 2 exported services')).toBeVisible();
  await exports.peerFilter.selectOption('');
  await expect(exports.count('2 of 2 exported services')).toBeVisible();

  const review = exports.review;
  await exports.exportTo('web', 'dc2');
  await expect(review.reviewHeading('export web to dc2')).toBeVisible();
  await expect(review.added('"Peer": "dc2"')).toHaveCount(1);
  await expect(review.removed('Partition')).toHaveCount(0);
  await review.save();
  await expect(review.saved('export web to dc2')).toBeVisible();

  const after = await exportsOf(dc1);
  expect(after.Meta).toEqual({ owner: 'team-a', 'app.kubernetes.io/name': 'mesh' });
  expect(after.Services).toEqual([
    { Name: 'web', Consumers: [{ Partition: 'default' }, { Peer: 'dc2' }] },
    { Name: 'api', Consumers: [{ Peer: 'dc2' }], FutureField: { kept: true } },
  ]);

  // Removing the last peer of a service keeps its partition consumer.
  await expect(exports.stopButton('web', 'dc2')).toBeVisible();
  await exports.stopButton('web', 'dc2').click();
  await review.save();
  await expect(review.saved('stop exporting web to dc2')).toBeVisible();
  const last = await exportsOf(dc1);
  expect(last.Meta.owner).toBe('team-a');
  expect(last.Services[0]).toEqual({ Name: 'web', Consumers: [{ Partition: 'default' }] });
  expect(last.Services[1].FutureField).toEqual({ kept: true });
});

test('a change made through the API meanwhile gives the conflict view, and reapplying keeps both', async ({ pair }) => {
  const { dc1, dc2, op1 } = pair;
  await writeEntry(dc1, API_TO_DC2, { cas: 0 });
  const exports = await openExportsTab(op1, dc1);
  await expect(exports.exported('api')).toBeVisible();

  // Someone else exports payments while this operator works.
  const current = await exportsOf(dc1);
  await writeEntry(
    dc1,
    { Kind: 'exported-services', Name: 'default', Services: [...current.Services, { Name: 'payments', Consumers: [{ Peer: 'dc2' }] }] },
    { cas: current.ModifyIndex },
  );

  await exports.reviewExport('web');
  await exports.save();
  const conflict = exports.conflict('Someone else changed the exported services');
  await expect(conflict).toBeVisible();
  await expect(conflict).toContainText('nothing was saved');
  await expect(exports.added('"payments"', conflict)).toHaveCount(1);
  expect((await exportsOf(dc1)).Services.map((s: any) => s.Name)).toEqual(['api', 'payments']);

  await exports.reapply(conflict);
  await expect(exports.json).toContainText('"payments"');
  await expect(exports.added('"web"')).toHaveCount(1);
  await exports.save();
  await expect(exports.saved('export web to dc2')).toBeVisible();
  expect((await exportsOf(dc1)).Services.map((s: any) => s.Name)).toEqual(['api', 'payments', 'web']);
  await expect.poll(() => importedOnDc2(dc2), { timeout: 10_000 }).toEqual(expect.arrayContaining(['api', 'payments', 'web']));
});

test('a wildcard peer is refused before sending; * is warned about; Consul\'s validation text and a denial land where they belong', async ({ page, startCluster, expectConsoleError }) => {
  expectConsoleError(/status of 500/);
  expectConsoleError(/status of 403/);
  const dc1 = await startCluster({ datacenter: 'dc1', args: ['--seed', 'demo'] });
  await writeEntry(dc1, API_TO_DC2);
  const writes: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'PUT') writes.push(r.url());
  });
  const exports = await new ExportsPage(page).goto(dc1);
  const row = exports.row('api');
  // This cluster has no peering named dc2: the export reaches nobody yet, and the row says so.
  await expect(row.getByText('(not peered)')).toBeVisible();
  await exports.exportTo('api', '*');
  await expect(row.getByText('exporting to all peers (wildcard) is not supported')).toBeVisible();
  await expect(exports.peerField('api')).toHaveAttribute('aria-invalid', 'true');

  await exports.formService.fill('web');
  await exports.formPeer.fill('*');
  await exports.reviewNewExport();
  await expect(exports.form.getByText('exporting to all peers (wildcard) is not supported')).toBeVisible();

  await exports.formService.fill('*');
  await expect(exports.form.getByText('* exports every service of this cluster')).toBeVisible();
  expect(writes).toEqual([]);

  // Consul's own validation message lands on the row it concerns.
  await page.route(/\/v1\/config\?cas=/, (route) =>
    route.fulfill({ status: 500, body: 'Services[0].Consumers[1]: must define at most one of Peer, Partition, or SamenessGroup' }),
  );
  await exports.exportTo('api', 'dc3');
  await exports.review.save();
  await expect(row.getByText('peer dc3: must define at most one of Peer, Partition, or SamenessGroup')).toBeVisible();

  // A denial on save is explained with the rule to ask for, and the review stays open.
  await page.unroute(/\/v1\/config\?cas=/);
  await page.route(/\/v1\/config\?cas=/, (route) =>
    route.fulfill({ status: 403, body: "Permission denied: token with AccessorID 'abc' lacks permission 'mesh:write'" }),
  );
  await exports.stopButton('api', 'dc2').click();
  await exports.review.save();
  await expect(exports.alert('mesh:write')).toContainText('mesh = "write"');
  await expect(exports.review.reviewHeading('stop exporting api to dc2')).toBeVisible();
});

test('a token without mesh:write sees the export controls disabled, naming the permission', async ({ page, startCluster, expectConsoleError }) => {
  expectConsoleError(/status of 403/);
  const dc1 = await startCluster({ datacenter: 'dc1', args: ['--acl-initial-management-token', ROOT] });
  await generateToken(dc1, 'dc2', { token: ROOT });
  const { secret } = await tokenWith(dc1, 'peering-read', 'peering = "read"');

  const peers = await new PeersPage(page).goto(dc1);
  await peers.signIn(secret);
  await peers.link('dc2').click();
  const peer = new PeerPage(page);
  await peer.openTab(/^Exported services/);
  const exports = peer.exportsTo('dc2');
  await expect(exports.reviewButton).toBeDisabled();
  await expect(exports.reviewButton).toHaveAttribute('title', /needs mesh:write/);
  await expect(exports.service).toBeDisabled();
  await expect(page.getByText('Your token cannot change exports: needs mesh:write')).toBeVisible();

  await peer.nav('Exports').click();
  const all = new ExportsPage(page);
  await expect(all.heading('Exports', 1)).toBeVisible();
  await expect(all.reviewButton).toHaveAttribute('title', /needs mesh:write/);
  await expect(all.reviewButton).toBeDisabled();
});
