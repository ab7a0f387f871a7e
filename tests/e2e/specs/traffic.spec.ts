// Traffic through peers: the path peering traffic takes (mesh gateways), failover and
// redirects to peers, and what a peer's deletion would break — driven in the browser against two
// stand-ins, checked through Consul's API.
import { Page } from '@playwright/test';
import { Cluster, FAST_STREAM } from '../support/cluster';
import { test as base, expect } from '../support/test';
import { peerClusters, readEntry, writeEntry } from '../support/api';
import { AddPeerPage, FailoverPage, GatewaysPage, PeerPage, PeersPage } from '../support/pages';

type Pair = { dc1: Cluster; dc2: Cluster; op: Page };

/** dc1 (with the demo services and mesh gateway) peered with dc2 (demo services, exporting nothing to dc1 yet). */
const test = base.extend<{ pair: Pair }>({
  pair: async ({ startCluster, page }, use) => {
    const dc1 = await startCluster({ datacenter: 'dc1', args: [...FAST_STREAM, '--seed', 'demo'] });
    const dc2 = await startCluster({ datacenter: 'dc2', args: [...FAST_STREAM, '--seed', 'demo'] });
    await peerClusters(dc1, dc2);
    await use({ dc1, dc2, op: page });
  },
});

async function setGatewayCheck(cluster: Cluster, status: 'passing' | 'critical'): Promise<void> {
  const res = await cluster.api('POST', '/_sim/check', { check_id: 'service:mesh-gateway', status });
  expect(res.status, res.text).toBe(200);
}

test('turning PeerThroughMeshGateways on makes the next token point at the mesh gateway', async ({ pair: { dc1, op } }) => {
  const gateways = await new GatewaysPage(op).goto(dc1);
  await expect(gateways.title).toBeVisible();
  await expect(gateways.peerThrough).toHaveText('Off');
  await gateways.reviewPeerThrough(true);
  await expect(gateways.review.added('"PeerThroughMeshGateways": true')).toHaveCount(1);
  await gateways.review.save();
  await expect(gateways.peerThrough).toHaveText('On');
  await expect(gateways.peerThroughButton(true)).toBeHidden();
  expect((await readEntry(dc1, 'mesh', 'mesh')).Peering.PeerThroughMeshGateways).toBe(true);
  await expect(gateways.tokenContents).toContainText("mesh gateways' addresses");

  // The next token names the gateway's (WAN) address, not the server's.
  const instances = JSON.parse((await dc1.api('GET', '/v1/health/service/mesh-gateway')).text);
  const wan = instances[0].Service.TaggedAddresses.wan;
  const token = await (await new AddPeerPage(op).goto(dc1)).generate('dc3');
  const decoded = JSON.parse(Buffer.from(token, 'base64').toString());
  expect(decoded.ServerAddresses).toEqual([`${wan.Address}:${wan.Port}`]);
});

test('an unhealthy mesh gateway raises the warning on Gateways and Peers while this cluster exports', async ({ pair: { dc1, op } }) => {
  // dc1 exports web to dc2 (the demo seed exports nothing without --seed-peer).
  await writeEntry(dc1, { Kind: 'exported-services', Name: 'default', Services: [{ Name: 'web', Consumers: [{ Peer: 'dc2' }] }] });
  const gateways = await new GatewaysPage(op).goto(dc1);
  await expect(gateways.row('mesh-gateway')).toContainText('passing');
  await expect(gateways.warning).toHaveCount(0);
  await setGatewayCheck(dc1, 'critical');
  await op.reload();
  await expect(gateways.warning).toContainText('The one mesh gateway instance registered in this cluster is not healthy:');
  await expect(gateways.warning).toContainText('This cluster exports services to dc2');
  const peers = await new PeersPage(op).goto(dc1);
  await expect(peers.gatewayWarning).toBeVisible();
  await peers.seeGateways();
  // Healthy again: no warning.
  await setGatewayCheck(dc1, 'passing');
  await peers.goto(dc1);
  await expect(peers.state('dc2', 'Active')).toBeVisible();
  await expect(peers.gatewayWarning).toHaveCount(0);
});

test('a failover target that the peer does not export is warned about until it does; targets reorder and go', async ({ pair: { dc1, dc2, op } }) => {
  await writeEntry(dc1, {
    Kind: 'service-resolver',
    Name: 'api',
    ConnectTimeout: '5s',
    Failover: { '*': { Targets: [{ Datacenter: 'dc9' }] } },
  });
  const failover = await new FailoverPage(op).goto(dc1);
  await expect(failover.title).toBeVisible();
  await failover.reviewFailoverTarget('api', 'dc2');
  await expect(failover.review.reviewHeading('add dc2 as a failover target for api')).toBeVisible();
  await failover.review.save();
  const card = failover.card('api');
  await expect(failover.targets('api')).toHaveText([/datacenter dc9/, /peer dc2/]);
  await expect(card).toContainText('dc2 does not export api to this cluster: failing over to it would find nothing.');

  // dc2 exports api to dc1: the warning goes once dc1 imports it.
  await writeEntry(dc2, { Kind: 'exported-services', Name: 'default', Services: [{ Name: 'api', Consumers: [{ Peer: 'dc1' }] }] });
  await expect(async () => {
    await op.reload();
    await expect(card).not.toContainText('does not export api', { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });

  // Reorder from the keyboard: dc2 first.
  await failover.moveUpButton('api', 'dc2').focus();
  await op.keyboard.press('Enter');
  await failover.review.save();
  await expect(failover.targets('api')).toHaveText([/peer dc2/, /datacenter dc9/]);
  let stored = await readEntry(dc1, 'service-resolver', 'api');
  expect(stored.Failover['*'].Targets).toEqual([{ Peer: 'dc2' }, { Datacenter: 'dc9' }]);
  expect(stored.ConnectTimeout).toBe('5s');

  // And remove it: api then names no peer, so it leaves this page.
  await failover.removeTarget('api', 'dc2');
  await expect(card).toHaveCount(0);
  stored = await readEntry(dc1, 'service-resolver', 'api');
  expect(stored.Failover['*'].Targets).toEqual([{ Datacenter: 'dc9' }]);
});

test('a change made to the resolver meanwhile gives the conflict view, and reapplying keeps it', async ({ pair: { dc1, op } }) => {
  await writeEntry(dc1, { Kind: 'service-resolver', Name: 'api', Failover: { '*': { Targets: [{ Peer: 'dc2' }, { Datacenter: 'dc9' }] } } });
  const failover = await new FailoverPage(op).goto(dc1);
  await failover.askToRemove('api', 'dc2');
  const current = await readEntry(dc1, 'service-resolver', 'api');
  await writeEntry(dc1, { Kind: 'service-resolver', Name: 'api', ConnectTimeout: '7s', Failover: current.Failover }, { cas: current.ModifyIndex });
  await failover.review.save();
  const conflict = failover.review.conflict('Someone else changed this service-resolver');
  await expect(conflict).toBeVisible();
  await failover.review.reapply(conflict);
  await failover.review.save();
  await expect(failover.review.saved('remove dc2 from the failover targets of api')).toBeVisible();
  const stored = await readEntry(dc1, 'service-resolver', 'api');
  expect(stored.ConnectTimeout).toBe('7s');
  expect(stored.Failover['*'].Targets).toEqual([{ Datacenter: 'dc9' }]);
});

test('Consul\'s rule for redirects lands next to the redirect, and a peer\'s page lists its failover', async ({ pair: { dc1, op }, expectConsoleError }) => {
  expectConsoleError(/status of 500/, { optional: true });
  await writeEntry(dc1, { Kind: 'service-resolver', Name: 'api', Failover: { '*': { Targets: [{ Peer: 'dc2' }] } } });
  const peer = await new PeerPage(op).goto(dc1, 'dc2');
  await peer.openTab('Failover');
  const tab = peer.failoverTo('dc2');
  await expect(tab.title).toBeVisible();
  await expect(tab.card('api')).toContainText('peer dc2');
  // Redirecting a service that already fails over breaks Consul's rule: refused at the field.
  const failover = await new FailoverPage(op).goto(dc1);
  await failover.reviewRedirect('api', 'dc2');
  await expect(failover.card('api').getByText('Redirect and Failover cannot both be set')).toBeVisible();
});

test('deleting a peering first lists the intention, export and failover that name it', async ({ pair: { dc1, op } }) => {
  await writeEntry(dc1, { Kind: 'service-intentions', Name: 'api', Sources: [{ Name: 'web', Peer: 'dc2', Action: 'allow' }] });
  await writeEntry(dc1, { Kind: 'service-resolver', Name: 'api', Failover: { '*': { Targets: [{ Peer: 'dc2' }] } } });
  // dc1 exports web to dc2 (the demo seed exports nothing without --seed-peer).
  await writeEntry(dc1, { Kind: 'exported-services', Name: 'default', Services: [{ Name: 'web', Consumers: [{ Peer: 'dc2' }] }] });
  const peer = await new PeerPage(op).goto(dc1, 'dc2');
  await peer.deleteButton.click();
  await expect(peer.deleteImpact).toBeVisible();
  await expect(peer.impactLink('Intention web (peer dc2) → api')).toBeVisible();
  await expect(peer.impactLink('Export of web')).toBeVisible();
  await expect(peer.impactLink('Failover of api')).toBeVisible();
  // Nothing is changed by looking.
  expect((await readEntry(dc1, 'service-intentions', 'api')).Sources).toHaveLength(1);
  await peer.impactLink('Failover of api').click();
  await expect(op).toHaveURL(/\/ui\/failover\?service=api$/);
  const failover = new FailoverPage(op);
  await expect(failover.serviceFilter).toHaveValue('api');
});

test('a service redirected to a peer is saved, shown, warned about, and the redirect can be removed', async ({ pair: { dc1, op } }) => {
  const failover = await new FailoverPage(op).goto(dc1);
  await failover.reviewRedirect('db', 'dc2');
  await expect(failover.review.reviewHeading('redirect db to db on dc2')).toBeVisible();
  await failover.review.save();
  const card = failover.card('db');
  await expect(card).toContainText('Every call to db goes to: peer dc2.');
  await expect(card).toContainText('the redirect would send every call to nothing');
  expect((await readEntry(dc1, 'service-resolver', 'db')).Redirect).toEqual({ Service: 'db', Peer: 'dc2' });
  // The card is gone during the review too: removeRedirect waits for the save itself.
  await failover.removeRedirect('db');
  await expect(card).toHaveCount(0);
  expect((await readEntry(dc1, 'service-resolver', 'db')).Redirect ?? null).toBeNull();
});
