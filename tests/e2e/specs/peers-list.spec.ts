import { test, expect } from '../support/test';
import { addFault, generateToken, peerClusters, writeEntry } from '../support/api';
import { AddPeerPage, PeerPage, PeersPage } from '../support/pages';

test('search, state filter and sort live in the URL and survive a reload', async ({ page, cluster }) => {
  for (const name of ['alpha', 'bravo', 'charlie']) await generateToken(cluster, name);
  const peers = await new PeersPage(page).goto(cluster);
  await expect(peers.count('3 peerings')).toBeVisible();

  await peers.search.fill('br');
  await expect(peers.count('1 of 3 peerings')).toBeVisible();
  await expect(peers.row('bravo')).toBeVisible();
  await expect(page).toHaveURL(/q=br/);

  await page.reload();
  await expect(peers.search).toHaveValue('br');
  await expect(peers.count('1 of 3 peerings')).toBeVisible();

  await peers.search.fill('');
  await peers.sort.selectOption({ label: 'Name (Z to A)' });
  await expect(page).toHaveURL(/sort=-name/);
  await expect(peers.names).toHaveText(['charlie', 'bravo', 'alpha']);

  await peers.stateFilter.selectOption({ label: 'Active' });
  await expect(peers.noMatch).toBeVisible();
  await page.reload();
  await expect(peers.stateFilter).toHaveValue('active');
  await peers.stateFilter.selectOption({ label: 'Pending' });
  await expect(peers.names).toHaveText(['charlie', 'bravo', 'alpha']);
});

test('bad input in the forms shows a clear message and keeps what was typed', async ({ page, cluster, expectConsoleError }) => {
  expectConsoleError(/status of 500/);
  const add = await new AddPeerPage(page).goto(cluster);
  await add.name.fill('Prod-East');
  await expect(page.getByText('Use lowercase letters only')).toBeVisible();
  await add.addresses.fill('10.0.0.1');
  await expect(page.getByText('needs a port')).toBeVisible();
  await add.generateButton.click();
  await expect(add.name).toHaveValue('Prod-East');
  await expect(add.token).toHaveCount(0);

  // A name Consul refuses for another reason comes back from the server next to the form, input kept.
  await addFault(cluster, {
    path: '^/v1/peering/token$', method: 'POST', status: 500, times: 1,
    body: 'rpc error: code = Unknown desc = cannot create peering with name: "prod-east"; there is already an established peering',
  });
  await add.name.fill('prod-east');
  await add.addresses.fill('');
  await add.generateButton.click();
  await expect(page.getByText('there is already an established peering — pick another name')).toBeVisible();
  await expect(add.name).toHaveValue('prod-east');
  await add.generateButton.click();
  await expect(add.token).toBeVisible();

  await add.goto(cluster);
  await add.establishTab.click();
  await add.establishName.fill('west');
  await add.establishToken.fill('this is not a token');
  await expect(add.establishForm.getByText('it is not base64')).toBeVisible();
  await add.establishToken.fill(Buffer.from('{"CA":null}').toString('base64'));
  await expect(add.establishForm.getByText('peering token server addresses value is empty')).toBeVisible();
  await add.establishButton.click();
  await expect(add.establishName).toHaveValue('west');
  // Switching tabs keeps both drafts.
  await add.generateTab.click();
  await add.establishTab.click();
  await expect(add.establishName).toHaveValue('west');
});

test('an unknown peer shows a not-found view, not a blank page', async ({ page, cluster, expectConsoleError }) => {
  expectConsoleError(/status of 404/);
  const peer = await new PeerPage(page).goto(cluster, 'ghost');
  await expect(peer.notFound('ghost')).toBeVisible();
});

test('a token from the same cluster is refused with Consul\'s reason', async ({ page, cluster, expectConsoleError }) => {
  expectConsoleError(/status of 500/);
  const token = await generateToken(cluster, 'self');
  const add = await new AddPeerPage(page).goto(cluster, '?tab=establish');
  await add.establishName.fill('loop');
  await add.establishToken.fill(token);
  await add.establishButton.click();
  await expect(add.alert('cannot create a peering within the same cluster')).toBeVisible();
});

test('an Active peering whose heartbeat is older than 2 minutes is flagged stale', async ({ page, startCluster }) => {
  // Slow heartbeats so the backdated time is not overwritten during the test.
  const slow = ['--heartbeat-interval', '10m', '--heartbeat-timeout', '30m'];
  const dc1 = await startCluster({ datacenter: 'dc1', args: slow });
  const dc2 = await startCluster({ datacenter: 'dc2', args: slow });
  await peerClusters(dc1, dc2, { acceptorCalls: 'quiet' });
  const old = new Date(Date.now() - 5 * 60_000).toISOString();
  expect((await dc1.api('POST', '/_sim/stream', { peer: 'quiet', last_heartbeat: old, last_receive: old })).status).toBe(200);

  const peers = await new PeersPage(page).goto(dc1);
  await expect(peers.state('quiet', 'Active')).toBeVisible();
  await expect(peers.row('quiet').getByText('Stale: no heartbeat for over 2 min')).toBeVisible();
  await expect(peers.row('quiet').getByText('5 min ago')).toBeVisible();
  await peers.link('quiet').click();
  await expect(page.getByText('nothing has been received from the peer for over 2 minutes')).toBeVisible();
});

test('a heartbeat that stops and resumes turns the row stale and back in place, keeping the keyboard focus', async ({ page, startCluster }) => {
  const slow = ['--heartbeat-interval', '10m', '--heartbeat-timeout', '30m'];
  const dc1 = await startCluster({ datacenter: 'dc1', args: slow });
  const dc2 = await startCluster({ datacenter: 'dc2', args: slow });
  await peerClusters(dc1, dc2, { acceptorCalls: 'quiet' });
  const peers = await new PeersPage(page).goto(dc1);
  await expect(peers.state('quiet', 'Active')).toBeVisible();
  await peers.link('quiet').focus();

  const heard = async (msAgo: number) => {
    const at = new Date(Date.now() - msAgo).toISOString();
    expect((await dc1.api('POST', '/_sim/stream', { peer: 'quiet', last_heartbeat: at, last_receive: at })).status).toBe(200);
  };
  await heard(5 * 60_000);
  await expect(peers.row('quiet').getByText('Stale: no heartbeat for over 2 min')).toBeVisible({ timeout: 12_000 });
  await expect(peers.row('quiet').getByText('5 min ago')).toBeVisible();
  await heard(0);
  await expect(peers.row('quiet').getByText('Stale: no heartbeat for over 2 min')).toHaveCount(0, { timeout: 12_000 });
  // The row was updated, not rebuilt: the focus is still on its link.
  await expect(peers.link('quiet')).toBeFocused();
});

test('a long list is paged, and the page is kept in the URL', async ({ page, cluster }) => {
  expect((await cluster.api('POST', '/_sim/peerings?count=120')).status).toBe(200);
  const peers = await new PeersPage(page).goto(cluster);
  await expect(peers.count('120 peerings')).toBeVisible();
  await expect(peers.rows).toHaveCount(25);
  await expect(peers.pager).toContainText('Page 1 of 5');
  await peers.pager.getByRole('button', { name: 'Next' }).click();
  await expect(peers.pager).toContainText('Page 2 of 5');
  await expect(page).toHaveURL(/page=2/);
  await page.reload();
  await expect(peers.pager).toContainText('Page 2 of 5');
  // A new search starts again from the first page.
  await peers.search.fill('1');
  await expect(page).not.toHaveURL(/page=/);
});

test('a peer\'s page lists the intentions that name it as source, and links to add one', async ({ page, cluster }) => {
  await generateToken(cluster, 'dc2');
  await writeEntry(cluster, {
    Kind: 'service-intentions',
    Name: 'api',
    Sources: [
      { Name: 'web', Peer: 'dc2', Action: 'allow', Description: 'frontend from dc2' },
      { Name: 'batch', Action: 'deny' },
    ],
  });
  const peer = await new PeerPage(page).goto(cluster, 'dc2');
  await peer.openTab('Intentions');
  await expect(peer.intentions.getByText('frontend from dc2')).toBeVisible();
  await expect(peer.intentions.getByText('batch')).toHaveCount(0);
  await peer.intentions.getByRole('link', { name: 'New intention from this peer' }).click();
  await expect(page).toHaveURL(/\/ui\/intentions\/new\?peer=dc2/);
});

test('Regenerate token from the list opens the regenerate panel on the peer page', async ({ page, cluster }) => {
  await generateToken(cluster, 'east');
  const peers = await new PeersPage(page).goto(cluster);
  await peers.regenerateLink('east').click();
  await expect(page).toHaveURL(cluster.ui('peers/east/imported-services?action=regenerate'));
  const peer = new PeerPage(page);
  await expect(peer.regeneratePanel).toContainText('the old token stops working');
  await peer.regeneratePanel.getByLabel('Server external addresses (optional)').fill('gw.example.com:8443');
  const token = await peer.generateNewToken();
  // The new token carries the re-entered external address.
  const decoded = JSON.parse(Buffer.from(token, 'base64').toString());
  expect(decoded.ManualServerAddresses).toEqual(['gw.example.com:8443']);
});

test('Copy works on a plain-HTTP origin without the Clipboard API, with visible feedback', async ({ newContext, cluster }) => {
  const context = await newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await context.newPage();
  // As on http://consul.internal: no navigator.clipboard outside a secure context.
  await page.addInitScript(() => {
    Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined, configurable: true });
  });
  const add = await new AddPeerPage(page).goto(cluster);
  expect(await page.evaluate(() => navigator.clipboard)).toBeUndefined();
  const token = await add.generate('plain-http');
  await add.copyButton.click();
  await expect(add.copied).toBeVisible();
  const reader = await context.newPage();
  await reader.goto(cluster.ui('peers'));
  expect(await reader.evaluate(() => navigator.clipboard.readText())).toBe(token);
});

test('meta pairs typed with the keyboard reach the peering, and delete confirmation takes focus', async ({ page, cluster }) => {
  const add = await new AddPeerPage(page).goto(cluster);
  await add.name.fill('with-meta');
  await add.addMetaPair.click();
  await add.metaKey(1).click();
  await page.keyboard.type('env');
  await page.keyboard.press('Tab');
  await page.keyboard.type('prod');
  await expect(add.metaValue(1)).toHaveValue('prod');
  await add.generateButton.click();
  await expect(add.token).toBeVisible();
  await add.viewPeering('with-meta').click();
  const peer = new PeerPage(page);
  await expect(page.getByText('env = prod')).toBeVisible();
  await peer.deleteButton.click();
  await expect(peer.heading('Delete peering "with-meta"?')).toBeFocused();
});

test('tabs follow the arrow keys', async ({ page, cluster }) => {
  const add = await new AddPeerPage(page).goto(cluster);
  await add.generateTab.focus();
  await page.keyboard.press('ArrowRight');
  await expect(add.establishTab).toHaveAttribute('aria-selected', 'true');
  await expect(add.establishTab).toBeFocused();
  await expect(add.establishToken).toBeVisible();
  await page.keyboard.press('ArrowLeft');
  await expect(add.generateTab).toHaveAttribute('aria-selected', 'true');
  await expect(add.generateTab).toBeFocused();
});
