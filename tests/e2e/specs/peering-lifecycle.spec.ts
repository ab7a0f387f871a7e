import { Page, BrowserContext } from '@playwright/test';
import { Cluster, FAST_STREAM } from '../support/cluster';
import { test as base, expect } from '../support/test';
import { generateToken, peerClusters, readPeering, writeEntry } from '../support/api';
import * as path from 'node:path';

// Two operators, one per cluster, each in their own browser context; the clusters keep their state
// in the test's output folder, so that one can be restarted from it.
type Pair = { dc1: Cluster; dc2: Cluster; op1: Page; op2: Page; ctx1: BrowserContext; ctx2: BrowserContext; dataDir: string };

const test = base.extend<{ pair: Pair }>({
  pair: async ({ newContext, startCluster }, use, testInfo) => {
    const dataDir = testInfo.outputPath('data');
    const dc1 = await startCluster({ datacenter: 'dc1', args: [...FAST_STREAM, '--data-dir', path.join(dataDir, 'dc1')] });
    const dc2 = await startCluster({ datacenter: 'dc2', args: [...FAST_STREAM, '--data-dir', path.join(dataDir, 'dc2')] });
    const ctx1 = await newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
    const ctx2 = await newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
    const pair = { dc1, dc2, op1: await ctx1.newPage(), op2: await ctx2.newPage(), ctx1, ctx2, dataDir };
    await use(pair);
  },
});

/** Generates a token for `peer` in the UI and returns it as shown on screen. */
async function generateInUi(page: Page, cluster: Cluster, peer: string): Promise<string> {
  await page.goto(cluster.ui('peers'));
  await page.getByRole('link', { name: 'Add peer connection' }).first().click();
  await expect(page).toHaveURL(cluster.ui('peers/new'));
  await page.getByLabel('Name of peer').first().fill(peer);
  await page.getByRole('button', { name: 'Generate token' }).last().click();
  const token = page.getByRole('textbox', { name: 'Peering token' });
  await expect(token).toBeVisible();
  await expect(page.getByText('Copy it now: it cannot be shown again.')).toBeVisible();
  return token.inputValue();
}

async function establishInUi(page: Page, cluster: Cluster, peer: string, token: string) {
  await page.goto(cluster.ui('peers/new'));
  await page.getByRole('tab', { name: 'Establish peering' }).click();
  const form = page.getByRole('tabpanel').filter({ has: page.getByLabel('Peering token') });
  await form.getByLabel('Name of peer').fill(peer);
  await form.getByLabel('Peering token').fill(token);
  await form.getByRole('button', { name: 'Establish peering' }).click();
}

test('two operators peer dc1 and dc2: generate, copy, paste, establish, both Active', async ({ pair }) => {
  const { dc1, dc2, op1, op2 } = pair;
  const token = await generateInUi(op1, dc1, 'dc2');
  await op1.getByRole('button', { name: 'Copy peering token' }).click();
  await expect(op1.getByText('Copied', { exact: true })).toBeVisible();
  const copied = await op1.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(token);

  // Operator 2 pastes it with the keyboard, as a person would.
  await op2.goto(dc2.ui('peers/new'));
  await op2.evaluate((t) => navigator.clipboard.writeText(t), copied);
  await op2.getByRole('tab', { name: 'Establish peering' }).click();
  const form = op2.getByRole('tabpanel').filter({ has: op2.getByLabel('Peering token') });
  await form.getByLabel('Name of peer').fill('dc1');
  await form.getByLabel('Peering token').focus();
  await op2.keyboard.press('ControlOrMeta+V');
  await expect(form.getByLabel('Peering token')).toHaveValue(token);
  // Decoded in the browser before anything is sent.
  const preview = form.getByLabel('What this token points to');
  await expect(preview).toContainText('dc1');
  await expect(preview).toContainText(`127.0.0.1:${dc1.port}`);
  await expect(preview).toContainText('Included');
  await form.getByRole('button', { name: 'Establish peering' }).click();

  await expect(op2).toHaveURL(dc2.ui('peers/dc1'));
  await expect(op2.locator('.state-line [data-state="Active"]')).toBeVisible({ timeout: 15_000 });
  await expect(op2.getByText('This cluster dialed the other one')).toBeVisible();

  await op1.goto(dc1.ui('peers/dc2'));
  await expect(op1.locator('.state-line [data-state="Active"]')).toBeVisible({ timeout: 15_000 });
  await expect(op1.getByText('This cluster generated the peering token')).toBeVisible();
  await op1.getByRole('link', { name: 'All peers' }).click();
  const row = op1.getByRole('row', { name: /dc2/ });
  await expect(row.locator('[data-state="Active"]')).toBeVisible();
  // Remote datacenter column.
  await expect(row.getByRole('cell').nth(2)).toHaveText('dc2');
});

test('a service exported by dc1 appears in dc2\'s imported tab with its virtual address', async ({ pair }) => {
  const { dc1, dc2, op2 } = pair;
  const token = await generateToken(dc1, 'dc2');
  await establishInUi(op2, dc2, 'dc1', token);
  await expect(op2.locator('.state-line [data-state="Active"]')).toBeVisible({ timeout: 15_000 });

  const reg = await dc1.api('PUT', '/v1/catalog/register', {
    Node: 'node-1', Address: '10.0.0.10', Service: { Service: 'api', Port: 8080 },
  });
  expect(reg.status).toBe(200);
  await writeEntry(dc1, { Kind: 'exported-services', Name: 'default', Services: [{ Name: 'api', Consumers: [{ Peer: 'dc2' }] }] });

  // The tab count follows the live stream; then the tab lists the service.
  await expect(op2.getByRole('tab', { name: 'Imported services (1)' })).toBeVisible({ timeout: 15_000 });
  await op2.getByRole('tab', { name: 'Imported services (1)' }).click();
  const table = op2.getByRole('table', { name: 'Imported services' });
  await expect(table.getByRole('cell', { name: 'api', exact: true })).toBeVisible({ timeout: 10_000 });
  await expect(table.getByText('api.virtual.dc1.consul')).toBeVisible();
});

test('dc1 stops: dc2 goes Failing and raises a notice; dc1 restarts from its data dir and both recover', async ({ pair, startCluster }) => {
  const { dc1, dc2, op1, op2 } = pair;
  await peerClusters(dc1, dc2);

  await op2.goto(dc2.ui('peers'));
  const row = op2.getByRole('row', { name: /dc1/ });
  await expect(row.locator('[data-state="Active"]')).toBeVisible({ timeout: 15_000 });

  const port = dc1.port;
  await dc1.stop();
  await expect(row.locator('[data-state="Failing"]')).toBeVisible({ timeout: 20_000 });
  await expect(op2.getByRole('alert').filter({ hasText: 'Peering "dc1" is failing' })).toBeVisible();

  pair.dc1 = await startCluster({ datacenter: 'dc1', port, args: [...FAST_STREAM, '--data-dir', path.join(pair.dataDir, 'dc1')] });
  await expect(row.locator('[data-state="Active"]')).toBeVisible({ timeout: 20_000 });
  // The notice stays until it is dismissed.
  await op2.getByRole('alert').filter({ hasText: 'Peering "dc1" is failing' }).getByRole('button', { name: 'Dismiss' }).click();
  await expect(op2.getByText('Peering "dc1" is failing')).toHaveCount(0);

  await op1.goto(pair.dc1.ui('peers/dc2'));
  await expect(op1.locator('.state-line [data-state="Active"]')).toBeVisible({ timeout: 20_000 });
});

test('regenerating a token makes the older one fail with a clear message', async ({ pair, expectConsoleError }) => {
  expectConsoleError(/status of 403/);
  const { dc1, dc2, op1, op2 } = pair;
  const first = await generateInUi(op1, dc1, 'dc2');
  await op1.goto(dc1.ui('peers/dc2'));
  await expect(op1.locator('.state-line [data-state="Pending"]')).toBeVisible();
  await op1.getByRole('button', { name: 'Regenerate token' }).click();
  await expect(op1.getByText('the old token stops working')).toBeVisible();
  let polls = 0;
  op1.on('request', (r) => { if (r.url().endsWith('/v1/peering/dc2') && r.method() === 'GET') polls++; });
  await op1.getByRole('button', { name: 'Generate new token' }).click();
  const second = await op1.getByRole('textbox', { name: 'Peering token' }).inputValue();
  expect(second).not.toBe(first);
  // The page keeps polling; the token that cannot be shown again must survive the refreshes.
  await expect.poll(() => polls, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
  await expect(op1.getByRole('textbox', { name: 'Peering token' })).toHaveValue(second);

  await establishInUi(op2, dc2, 'dc1', first);
  await expect(op2.getByText('This token was already used or replaced by a newer one')).toBeVisible({ timeout: 10_000 });
  // The form keeps what was typed.
  await expect(op2.getByRole('tabpanel').getByLabel('Peering token')).toHaveValue(first);

  await op2.getByRole('tabpanel').getByLabel('Peering token').fill(second);
  await op2.getByRole('button', { name: 'Establish peering' }).last().click();
  await expect(op2).toHaveURL(dc2.ui('peers/dc1'));
  await expect(op2.locator('.state-line [data-state="Active"]')).toBeVisible({ timeout: 15_000 });
});

test('delete on dc1: Deleting then gone; dc2 shows Terminated and can delete it too', async ({ pair, expectConsoleError }) => {
  expectConsoleError(/status of 404/);
  const { dc1, dc2, op1, op2 } = pair;
  await peerClusters(dc1, dc2);

  await op1.goto(dc1.ui('peers'));
  const row1 = op1.getByRole('row', { name: /dc2/ });
  await expect(row1.locator('[data-state="Active"]')).toBeVisible({ timeout: 15_000 });
  await row1.getByRole('button', { name: 'Delete dc2' }).click();
  const dialog = op1.getByRole('alertdialog', { name: 'Delete peering "dc2"?' });
  await expect(dialog).toContainText('Services imported from dc2 disappear');
  await dialog.getByRole('button', { name: 'Delete peering' }).click();
  await expect(row1.locator('[data-state="Deleting"]')).toBeVisible({ timeout: 10_000 });
  await expect(op1.getByText('No peer connections yet')).toBeVisible({ timeout: 15_000 });

  await op2.goto(dc2.ui('peers/dc1'));
  await expect(op2.locator('.state-line [data-state="Terminated"]')).toBeVisible({ timeout: 15_000 });
  await expect(op2.getByRole('link', { name: 'Re-establish with a new token' })).toBeVisible();
  await op2.getByRole('button', { name: 'Delete' }).click();
  await op2.getByRole('alertdialog').getByRole('button', { name: 'Delete peering' }).click();
  await expect(op2.getByText('No peering named')).toBeVisible({ timeout: 15_000 });
});

test('a terminated peering is re-established under the same name through the prefilled form', async ({ pair }) => {
  const { dc1, dc2, op2 } = pair;
  await peerClusters(dc1, dc2);
  await op2.goto(dc2.ui('peers/dc1'));
  await expect(op2.locator('.state-line [data-state="Active"]')).toBeVisible({ timeout: 15_000 });
  await dc1.api('DELETE', '/v1/peering/dc2');
  await expect(op2.locator('.state-line [data-state="Terminated"]')).toBeVisible({ timeout: 15_000 });

  // dc1's record must be gone before the same name can be generated again.
  await expect.poll(() => readPeering(dc1, 'dc2'), { timeout: 15_000 }).toBeNull();
  const token = await generateToken(dc1, 'dc2');

  await op2.getByRole('link', { name: 'Re-establish with a new token' }).click();
  await expect(op2.getByRole('tab', { name: 'Establish peering' })).toHaveAttribute('aria-selected', 'true');
  const form = op2.getByRole('tabpanel').filter({ has: op2.getByLabel('Peering token') });
  await expect(form.getByLabel('Name of peer')).toHaveValue('dc1');
  await form.getByLabel('Peering token').fill(token);
  await form.getByRole('button', { name: 'Establish peering' }).click();
  await expect(op2.locator('.state-line [data-state="Active"]')).toBeVisible({ timeout: 15_000 });
});
