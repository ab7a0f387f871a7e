import { Page } from '@playwright/test';
import { Cluster, FAST_STREAM } from '../support/cluster';
import { test as base, expect } from '../support/test';
import { generateToken, peerClusters, readPeering, writeEntry } from '../support/api';
import { AddPeerPage, PeerPage, PeersPage } from '../support/pages';
import * as path from 'node:path';

// Two operators, one per cluster, each in their own browser context; the clusters keep their state
// in the test's output folder, so that one can be restarted from it.
type Pair = { dc1: Cluster; dc2: Cluster; op1: Page; op2: Page; dataDir: string };

const test = base.extend<{ pair: Pair }>({
  pair: async ({ newContext, startCluster }, use, testInfo) => {
    const dataDir = testInfo.outputPath('data');
    const dc1 = await startCluster({ datacenter: 'dc1', args: [...FAST_STREAM, '--data-dir', path.join(dataDir, 'dc1')] });
    const dc2 = await startCluster({ datacenter: 'dc2', args: [...FAST_STREAM, '--data-dir', path.join(dataDir, 'dc2')] });
    const clipboard = { permissions: ['clipboard-read', 'clipboard-write'] };
    const op1 = await (await newContext(clipboard)).newPage();
    const op2 = await (await newContext(clipboard)).newPage();
    await use({ dc1, dc2, op1, op2, dataDir });
  },
});

/** Generates a token for `peer` in the UI, from the Peers list, and returns it as shown on screen. */
async function generateInUi(page: Page, cluster: Cluster, peer: string): Promise<string> {
  const peers = await new PeersPage(page).goto(cluster);
  await peers.addPeer.click();
  await expect(page).toHaveURL(cluster.ui('add-peer'));
  const token = await new AddPeerPage(page).generate(peer);
  await expect(page.getByText('Copy it now: it cannot be shown again.')).toBeVisible();
  return token;
}

async function establishInUi(page: Page, cluster: Cluster, peer: string, token: string): Promise<AddPeerPage> {
  const add = await new AddPeerPage(page).goto(cluster);
  await add.establish(peer, token);
  return add;
}

test('two operators peer dc1 and dc2: generate, copy, paste, establish, both Active', async ({ pair }) => {
  const { dc1, dc2, op1, op2 } = pair;
  const token = await generateInUi(op1, dc1, 'dc2');
  const add1 = new AddPeerPage(op1);
  await add1.copyButton.click();
  await expect(add1.copied).toBeVisible();
  const copied = await op1.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(token);

  // Operator 2 pastes it with the keyboard, as a person would.
  const add2 = await new AddPeerPage(op2).goto(dc2);
  await op2.evaluate((t) => navigator.clipboard.writeText(t), copied);
  await add2.establishTab.click();
  await add2.establishName.fill('dc1');
  await add2.establishToken.focus();
  await op2.keyboard.press('ControlOrMeta+V');
  await expect(add2.establishToken).toHaveValue(token);
  // Decoded in the browser before anything is sent.
  await expect(add2.tokenPreview).toContainText('dc1');
  await expect(add2.tokenPreview).toContainText(`127.0.0.1:${dc1.port}`);
  await expect(add2.tokenPreview).toContainText('Included');
  await add2.establishButton.click();

  await expect(op2).toHaveURL(dc2.ui('peers/dc1/imported-services'));
  const peer2 = new PeerPage(op2);
  await expect(peer2.state('Active')).toBeVisible({ timeout: 15_000 });
  await expect(op2.getByText('This cluster dialed the other one')).toBeVisible();

  const peer1 = await new PeerPage(op1).goto(dc1, 'dc2');
  await expect(peer1.state('Active')).toBeVisible({ timeout: 15_000 });
  await expect(op1.getByText('This cluster generated the peering token')).toBeVisible();
  await peer1.allPeers.click();
  const peers1 = new PeersPage(op1);
  await expect(peers1.state('dc2', 'Active')).toBeVisible();
  // Remote datacenter column.
  await expect(peers1.row('dc2').getByRole('cell').nth(2)).toHaveText('dc2');
});

test('a service exported by dc1 appears in dc2\'s imported tab with its virtual address', async ({ pair }) => {
  const { dc1, dc2, op2 } = pair;
  await establishInUi(op2, dc2, 'dc1', await generateToken(dc1, 'dc2'));
  const peer = new PeerPage(op2);
  await expect(peer.state('Active')).toBeVisible({ timeout: 15_000 });

  const reg = await dc1.api('PUT', '/v1/catalog/register', {
    Node: 'node-1', Address: '10.0.0.10', Service: { Service: 'api', Port: 8080 },
  });
  expect(reg.status).toBe(200);
  await writeEntry(dc1, { Kind: 'exported-services', Name: 'default', Services: [{ Name: 'api', Consumers: [{ Peer: 'dc2' }] }] });

  // The tab count follows the live stream; then the tab lists the service.
  await expect(peer.tab('Imported services (1)')).toBeVisible({ timeout: 15_000 });
  await peer.openTab('Imported services (1)');
  await expect(peer.imported('api')).toBeVisible({ timeout: 10_000 });
  await expect(peer.importedTable.getByText('api.virtual.dc1.consul')).toBeVisible();
});

test('dc1 stops: dc2 goes Failing and raises a notice; dc1 restarts from its data dir and both recover', async ({ pair, startCluster }) => {
  const { dc1, dc2, op1, op2 } = pair;
  await peerClusters(dc1, dc2);

  const peers2 = await new PeersPage(op2).goto(dc2);
  await expect(peers2.state('dc1', 'Active')).toBeVisible({ timeout: 15_000 });

  const port = dc1.port;
  await dc1.stop();
  await expect(peers2.state('dc1', 'Failing')).toBeVisible({ timeout: 20_000 });
  const notice = peers2.alert('Peering "dc1" is failing');
  await expect(notice).toBeVisible();

  pair.dc1 = await startCluster({ datacenter: 'dc1', port, args: [...FAST_STREAM, '--data-dir', path.join(pair.dataDir, 'dc1')] });
  await expect(peers2.state('dc1', 'Active')).toBeVisible({ timeout: 20_000 });
  // The notice stays until it is dismissed.
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await expect(op2.getByText('Peering "dc1" is failing')).toHaveCount(0);

  const peer1 = await new PeerPage(op1).goto(pair.dc1, 'dc2');
  await expect(peer1.state('Active')).toBeVisible({ timeout: 20_000 });
});

test('regenerating a token makes the older one fail with a clear message', async ({ pair, expectConsoleError }) => {
  // Establishing with the replaced token: Consul answers 403.
  expectConsoleError(/status of 403/);
  const { dc1, dc2, op1, op2 } = pair;
  const first = await generateInUi(op1, dc1, 'dc2');
  const peer1 = await new PeerPage(op1).goto(dc1, 'dc2');
  await expect(peer1.state('Pending')).toBeVisible();
  await peer1.regenerateButton.click();
  await expect(op1.getByText('the old token stops working')).toBeVisible();
  let polls = 0;
  op1.on('request', (r) => { if (r.url().endsWith('/v1/peering/dc2') && r.method() === 'GET') polls++; });
  const second = await peer1.generateNewToken();
  expect(second).not.toBe(first);
  // The page keeps polling; the token that cannot be shown again must survive the refreshes.
  await expect.poll(() => polls, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
  await expect(peer1.token).toHaveValue(second);

  const add2 = await establishInUi(op2, dc2, 'dc1', first);
  await expect(op2.getByText('This token was already used or replaced by a newer one')).toBeVisible({ timeout: 10_000 });
  // The form keeps what was typed.
  await expect(add2.establishToken).toHaveValue(first);

  await add2.establishToken.fill(second);
  await add2.establishButton.click();
  await expect(op2).toHaveURL(dc2.ui('peers/dc1/imported-services'));
  await expect(new PeerPage(op2).state('Active')).toBeVisible({ timeout: 15_000 });
});

test('delete on dc1: Deleting then gone; dc2 shows Terminated and can delete it too', async ({ pair, expectConsoleError }) => {
  // Once dc2's peering is deleted, its page asks for it once more and Consul answers 404.
  expectConsoleError(/status of 404/);
  const { dc1, dc2, op1, op2 } = pair;
  await peerClusters(dc1, dc2);

  const peers1 = await new PeersPage(op1).goto(dc1);
  await expect(peers1.state('dc2', 'Active')).toBeVisible({ timeout: 15_000 });
  const dialog = await peers1.askToDelete('dc2');
  await expect(dialog).toContainText('Services imported from dc2 disappear');
  await peers1.confirm('Delete peering');
  await expect(peers1.state('dc2', 'Deleting')).toBeVisible({ timeout: 10_000 });
  await expect(peers1.empty).toBeVisible({ timeout: 15_000 });

  const peer2 = await new PeerPage(op2).goto(dc2, 'dc1');
  await expect(peer2.state('Terminated')).toBeVisible({ timeout: 15_000 });
  await expect(peer2.reestablishLink).toBeVisible();
  await peer2.deleteButton.click();
  await peer2.confirm('Delete peering');
  await expect(peer2.notFound()).toBeVisible({ timeout: 15_000 });
});

test('a terminated peering is re-established under the same name through the prefilled form', async ({ pair }) => {
  const { dc1, dc2, op2 } = pair;
  await peerClusters(dc1, dc2);
  const peer2 = await new PeerPage(op2).goto(dc2, 'dc1');
  await expect(peer2.state('Active')).toBeVisible({ timeout: 15_000 });
  await dc1.api('DELETE', '/v1/peering/dc2');
  await expect(peer2.state('Terminated')).toBeVisible({ timeout: 15_000 });

  // dc1's record must be gone before the same name can be generated again.
  await expect.poll(() => readPeering(dc1, 'dc2'), { timeout: 15_000 }).toBeNull();
  const token = await generateToken(dc1, 'dc2');

  await peer2.reestablishLink.click();
  const add2 = new AddPeerPage(op2);
  await expect(add2.establishTab).toHaveAttribute('aria-selected', 'true');
  await expect(add2.establishName).toHaveValue('dc1');
  await add2.establishToken.fill(token);
  await add2.establishButton.click();
  await expect(peer2.state('Active')).toBeVisible({ timeout: 15_000 });
});
