// Exporting services to peers: the peer's "Exported services" tab and /exports, driven like an
// operator would, checked on the importing cluster and through the API.
import { Page, BrowserContext } from '@playwright/test';
import { Cluster, FAST_STREAM } from '../support/cluster';
import { test as base, expect } from '../support/test';
import { generateToken, peerClusters, readEntry, writeEntry } from '../support/api';
import { ROOT, tokenWith } from '../support/acl';

/** dc1 (the exporter, with the demo services) peered with dc2 (the importer), each with its operator. */
type Pair = { dc1: Cluster; dc2: Cluster; op1: Page; op2: Page; ctx1: BrowserContext; ctx2: BrowserContext };

const test = base.extend<{ pair: Pair }>({
  pair: async ({ newContext, startCluster }, use) => {
    const dc1 = await startCluster({ datacenter: 'dc1', args: [...FAST_STREAM, '--seed', 'demo'] });
    const dc2 = await startCluster({ datacenter: 'dc2', args: [...FAST_STREAM] });
    await peerClusters(dc1, dc2);
    const ctx1 = await newContext();
    const ctx2 = await newContext();
    const op1 = await ctx1.newPage();
    const op2 = await ctx2.newPage();
    await use({ dc1, dc2, op1, op2, ctx1, ctx2 });
  },
});

const exportsOf = (cluster: Cluster) => readEntry(cluster, 'exported-services', 'default');

async function importedOnDc2(dc2: Cluster): Promise<string[]> {
  return Object.keys(JSON.parse((await dc2.api('GET', '/v1/catalog/services?peer=dc1')).text) ?? {});
}

/** Opens dc1's page for the peer dc2 on its "Exported services" tab, with the entry loaded. */
async function openExportsTab(page: Page, dc1: Cluster) {
  await page.goto(dc1.ui('peers/dc2'));
  await page.getByRole('tab', { name: /^Exported services/ }).click();
  await expect(page.getByRole('heading', { name: 'What this cluster exports to dc2' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Review export' })).toBeEnabled();
}

test('export api to dc2 in the browser, see it imported on dc2, then remove it', async ({ pair }) => {
  const { dc1, dc2, op1, op2 } = pair;
  await openExportsTab(op1, dc1);
  await expect(op1.getByText('Nothing is exported to dc2 yet')).toBeVisible();

  await op1.getByLabel('Export a service to dc2').fill('api');
  await op1.getByRole('button', { name: 'Review export' }).click();
  await expect(op1.getByRole('heading', { name: 'Review: export api to dc2' })).toBeVisible();
  // No entry yet: the preview creates it, and the command only creates it (cas 0).
  const json = op1.getByLabel('The entry as JSON');
  await expect(json.locator('.added').filter({ hasText: '"Peer": "dc2"' })).toHaveCount(1);
  await expect(json.locator('.same')).toHaveCount(0);
  await expect(op1.getByTestId('write-command')).toContainText('consul config write -cas -modify-index=0 exported-services-default.hcl');
  await op1.getByRole('button', { name: 'HCL' }).click();
  await expect(op1.getByLabel('The entry as HCL')).toContainText('Kind     = "exported-services"');
  // The page refreshes the peering every 5 s: the review stays open across a refresh.
  await op1.waitForTimeout(6_000);
  await expect(op1.getByRole('heading', { name: 'Review: export api to dc2' })).toBeVisible();
  await expect(op1.getByRole('tab', { name: /^Exported services/ })).toHaveAttribute('aria-selected', 'true');
  await op1.getByRole('button', { name: 'Save', exact: true }).click();

  await expect(op1.getByText('Saved: export api to dc2.')).toBeVisible();
  const table = op1.getByRole('table', { name: 'Services exported to dc2' });
  await expect(table.getByRole('cell', { name: 'api', exact: true })).toBeVisible();
  // The live stream status catches up at the next poll.
  await expect(table.getByText('Carried by the stream')).toBeVisible({ timeout: 12_000 });
  await expect(op1.getByRole('tab', { name: 'Exported services (1)' })).toBeVisible();
  expect((await exportsOf(dc1)).Services).toEqual([{ Name: 'api', Consumers: [{ Peer: 'dc2' }] }]);

  // dc2's operator sees it imported, and so does dc2's catalog.
  await op2.goto(dc2.ui('peers/dc1'));
  await expect(op2.getByRole('tab', { name: 'Imported services (1)' })).toBeVisible({ timeout: 15_000 });
  await op2.getByRole('tab', { name: 'Imported services (1)' }).click();
  const imported = op2.getByRole('table', { name: 'Imported services' });
  await expect(imported.getByRole('cell', { name: 'api', exact: true })).toBeVisible({ timeout: 10_000 });
  expect(await importedOnDc2(dc2)).toContain('api');

  // Remove it: the entry stays (empty) and dc2 loses the service.
  await op1.getByRole('button', { name: 'Stop exporting api to dc2' }).click();
  await expect(op1.getByRole('heading', { name: 'Review: stop exporting api to dc2' })).toBeVisible();
  await expect(op1.getByLabel('The entry as JSON').locator('.removed').filter({ hasText: '"Name": "api"' })).toHaveCount(1);
  await op1.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(op1.getByText('Saved: stop exporting api to dc2.')).toBeVisible();
  await expect(op1.getByText('Nothing is exported to dc2 yet')).toBeVisible();
  expect((await exportsOf(dc1)).Services ?? []).toEqual([]);

  await expect(op2.getByRole('tab', { name: 'Imported services (0)' })).toBeVisible({ timeout: 15_000 });
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
  await op1.goto(dc1.ui('exports'));
  const table = op1.getByRole('table', { name: 'Exported services' });
  const web = table.getByRole('row').filter({ has: op1.getByRole('cell', { name: 'web', exact: true }) });
  await expect(web).toContainText('partition default');
  // dc2 is a peering of dc1; dc9 is not.
  await expect(table.getByRole('row').filter({ hasText: 'api' })).not.toContainText('not peered');

  // Filters: by service and by peer.
  const filters = op1.getByRole('search', { name: 'Filter exports' });
  await filters.getByLabel('Service').fill('ap');
  await expect(table.getByRole('row')).toHaveCount(2);
  await filters.getByLabel('Service').fill('');
  await filters.getByLabel('Peer').selectOption('dc2');
  await expect(table.getByRole('row')).toHaveCount(2);
  await expect(op1.getByText('1 of 2 exported services')).toBeVisible();
  await filters.getByLabel('Peer').selectOption('');
  await expect(op1.getByText('2 of 2 exported services')).toBeVisible();

  await web.getByLabel('Peer to export web to').fill('dc2');
  await web.getByRole('button', { name: 'Export web to this peer' }).click();
  await expect(op1.getByRole('heading', { name: 'Review: export web to dc2' })).toBeVisible();
  await expect(op1.getByLabel('The entry as JSON').locator('.added').filter({ hasText: '"Peer": "dc2"' })).toHaveCount(1);
  await expect(op1.getByLabel('The entry as JSON').locator('.removed').filter({ hasText: 'Partition' })).toHaveCount(0);
  await op1.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(op1.getByText('Saved: export web to dc2.')).toBeVisible();

  const after = await exportsOf(dc1);
  expect(after.Meta).toEqual({ owner: 'team-a', 'app.kubernetes.io/name': 'mesh' });
  expect(after.Services).toEqual([
    { Name: 'web', Consumers: [{ Partition: 'default' }, { Peer: 'dc2' }] },
    { Name: 'api', Consumers: [{ Peer: 'dc2' }], FutureField: { kept: true } },
  ]);

  // Removing the last peer of a service keeps its partition consumer.
  await expect(web.getByRole('button', { name: 'Stop exporting web to dc2' })).toBeVisible();
  await web.getByRole('button', { name: 'Stop exporting web to dc2' }).click();
  await op1.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(op1.getByText('Saved: stop exporting web to dc2.')).toBeVisible();
  const last = await exportsOf(dc1);
  expect(last.Meta.owner).toBe('team-a');
  expect(last.Services[0]).toEqual({ Name: 'web', Consumers: [{ Partition: 'default' }] });
  expect(last.Services[1].FutureField).toEqual({ kept: true });
});

test('a change made through the API meanwhile gives the conflict view, and reapplying keeps both', async ({ pair }) => {
  const { dc1, dc2, op1 } = pair;
  await writeEntry(dc1, { Kind: 'exported-services', Name: 'default', Services: [{ Name: 'api', Consumers: [{ Peer: 'dc2' }] }] }, { cas: 0 });
  await openExportsTab(op1, dc1);
  await expect(op1.getByRole('table', { name: 'Services exported to dc2' }).getByRole('cell', { name: 'api', exact: true })).toBeVisible();

  // Someone else exports payments while this operator works.
  const current = await exportsOf(dc1);
  await writeEntry(
    dc1,
    { Kind: 'exported-services', Name: 'default', Services: [...current.Services, { Name: 'payments', Consumers: [{ Peer: 'dc2' }] }] },
    { cas: current.ModifyIndex },
  );

  await op1.getByLabel('Export a service to dc2').fill('web');
  await op1.getByRole('button', { name: 'Review export' }).click();
  await op1.getByRole('button', { name: 'Save', exact: true }).click();
  const conflict = op1.getByRole('alert').filter({ hasText: 'Someone else changed the exported services' });
  await expect(conflict).toBeVisible();
  await expect(conflict).toContainText('nothing was saved');
  await expect(conflict.locator('.added').filter({ hasText: '"payments"' })).toHaveCount(1);
  expect((await exportsOf(dc1)).Services.map((s: any) => s.Name)).toEqual(['api', 'payments']);

  await conflict.getByRole('button', { name: 'Reapply my change on the latest version' }).click();
  const json = op1.getByLabel('The entry as JSON');
  await expect(json).toContainText('"payments"');
  await expect(json.locator('.added').filter({ hasText: '"web"' })).toHaveCount(1);
  await op1.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(op1.getByText('Saved: export web to dc2.')).toBeVisible();
  expect((await exportsOf(dc1)).Services.map((s: any) => s.Name)).toEqual(['api', 'payments', 'web']);
  await expect.poll(() => importedOnDc2(dc2), { timeout: 10_000 }).toEqual(expect.arrayContaining(['api', 'payments', 'web']));
});

test('a wildcard peer is refused before sending; * is warned about; Consul\'s validation text and a denial land where they belong', async ({ page, startCluster, expectConsoleError }) => {
  expectConsoleError(/status of 500/);
  expectConsoleError(/status of 403/);
  const dc1 = await startCluster({ datacenter: 'dc1', args: ['--seed', 'demo'] });
  await writeEntry(dc1, { Kind: 'exported-services', Name: 'default', Services: [{ Name: 'api', Consumers: [{ Peer: 'dc2' }] }] });
  const writes: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'PUT') writes.push(r.url());
  });
  await page.goto(dc1.ui('exports'));
  const row = page.getByRole('row').filter({ has: page.getByRole('cell', { name: 'api', exact: true }) });
  // This cluster has no peering named dc2: the export reaches nobody yet, and the row says so.
  await expect(row.getByText('(not peered)')).toBeVisible();
  await row.getByLabel('Peer to export api to').fill('*');
  await row.getByRole('button', { name: 'Export api to this peer' }).click();
  await expect(row.getByText('exporting to all peers (wildcard) is not supported')).toBeVisible();
  await expect(row.getByLabel('Peer to export api to')).toHaveAttribute('aria-invalid', 'true');

  const form = page.getByRole('form', { name: 'Export a service' });
  await form.getByLabel('Service').fill('web');
  await form.getByLabel('Peer').fill('*');
  await form.getByRole('button', { name: 'Review export' }).click();
  await expect(form.getByText('exporting to all peers (wildcard) is not supported')).toBeVisible();

  await form.getByLabel('Service').fill('*');
  await expect(form.getByText('* exports every service of this cluster')).toBeVisible();
  expect(writes).toEqual([]);

  // Consul's own validation message lands on the row it concerns.
  await page.route(/\/v1\/config\?cas=/, (route) =>
    route.fulfill({ status: 500, body: 'Services[0].Consumers[1]: must define at most one of Peer, Partition, or SamenessGroup' }),
  );
  await row.getByLabel('Peer to export api to').fill('dc3');
  await row.getByRole('button', { name: 'Export api to this peer' }).click();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(row.getByText('peer dc3: must define at most one of Peer, Partition, or SamenessGroup')).toBeVisible();

  // A denial on save is explained with the rule to ask for, and the review stays open.
  await page.unroute(/\/v1\/config\?cas=/);
  await page.route(/\/v1\/config\?cas=/, (route) =>
    route.fulfill({ status: 403, body: "Permission denied: token with AccessorID 'abc' lacks permission 'mesh:write'" }),
  );
  await row.getByRole('button', { name: 'Stop exporting api to dc2' }).click();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  const denial = page.getByRole('alert').filter({ hasText: 'mesh:write' });
  await expect(denial).toContainText('mesh = "write"');
  await expect(page.getByRole('heading', { name: 'Review: stop exporting api to dc2' })).toBeVisible();
});

test('a token without mesh:write sees the export controls disabled, naming the permission', async ({ page, startCluster, expectConsoleError }) => {
  expectConsoleError(/status of 403/);
  const dc1 = await startCluster({ datacenter: 'dc1', args: ['--acl-initial-management-token', ROOT] });
  await generateToken(dc1, 'dc2', { token: ROOT });
  const { secret: SecretID } = await tokenWith(dc1, 'peering-read', 'peering = "read"');

  await page.goto(dc1.ui('peers'));
  await page.getByRole('button', { name: 'Sign in', exact: true }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Sign in with an ACL token' });
  await dialog.getByLabel('ACL token (SecretID)').fill(SecretID);
  await dialog.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(dialog).toHaveCount(0);

  await page.getByRole('link', { name: 'dc2', exact: true }).click();
  await page.getByRole('tab', { name: /^Exported services/ }).click();
  const review = page.getByRole('button', { name: 'Review export' });
  await expect(review).toBeDisabled();
  await expect(review).toHaveAttribute('title', /needs mesh:write/);
  await expect(page.getByLabel('Export a service to dc2')).toBeDisabled();
  await expect(page.getByText('Your token cannot change exports: needs mesh:write')).toBeVisible();

  await page.getByRole('link', { name: 'Exports', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Exports' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Review export' })).toHaveAttribute('title', /needs mesh:write/);
  await expect(page.getByRole('button', { name: 'Review export' })).toBeDisabled();
});
