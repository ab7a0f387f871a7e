import { test, expect } from '../support/test';
import { addFault, clearFaults, generateToken } from '../support/api';
import { ConsolePage, PeersPage } from '../support/pages';

test('a fresh cluster shows the empty Peers page with the datacenter name', async ({ page, cluster }) => {
  const peers = new PeersPage(page);
  await peers.open(cluster, '');
  await expect(page).toHaveURL(cluster.ui('peers'));
  await expect(peers.heading('Peers', 1)).toBeVisible();
  await expect(peers.empty).toBeVisible();
  await expect(peers.datacenter).toHaveText('dc1');
  // The static loading shell is gone once the app is mounted.
  await expect(page.getByText('Loading the console…')).toHaveCount(0);
});

test('a peering created through the API appears as Pending after a reload', async ({ page, cluster }) => {
  const peers = await new PeersPage(page).goto(cluster);
  await expect(peers.empty).toBeVisible();
  await generateToken(cluster, 'dc2-east');
  await page.reload();
  await expect(peers.row('dc2-east')).toBeVisible();
  await expect(peers.row('dc2-east').getByText('Pending', { exact: true })).toBeVisible();
  // The badge explains the state on hover.
  await expect(peers.state('dc2-east', 'Pending')).toHaveAttribute('title', /not been established yet/);
});

test('a deep link to an unknown route shows the not-found page', async ({ page, cluster }) => {
  const shell = await new ConsolePage(page).open(cluster, 'no/such/page');
  await expect(shell.heading('Page not found')).toBeVisible();
  await expect(page.getByText('/ui/no/such/page')).toBeVisible();
  await page.getByRole('link', { name: 'Go to Peers' }).click();
  await expect(page).toHaveURL(cluster.ui('peers'));
});

test('navigation moves between Peers and Intentions without a reload', async ({ page, cluster }) => {
  const shell = await new PeersPage(page).goto(cluster);
  await shell.nav('Intentions').click();
  await expect(page).toHaveURL(cluster.ui('intentions'));
  await expect(shell.heading('Intentions', 1)).toBeVisible();
  await expect(shell.nav('Intentions')).toHaveAttribute('aria-current', 'page');
  await shell.nav('Peers').click();
  await expect(shell.heading('Peers', 1)).toBeVisible();
});

test('the console works under another content path, with deep links', async ({ page, startCluster }) => {
  const cluster = await startCluster({ datacenter: 'east-1', contentPath: '/consul/ui/' });
  await generateToken(cluster, 'west');
  const peers = await new PeersPage(page).goto(cluster);
  await expect(peers.row('west')).toBeVisible();
  await expect(peers.datacenter).toHaveText('east-1');
  await peers.nav('Intentions').click();
  await expect(page).toHaveURL(`${cluster.origin}/consul/ui/intentions`);
  await peers.open(cluster, 'nowhere');
  await expect(peers.heading('Page not found')).toBeVisible();
});

test('a failing API shows the HTTP status and Consul\'s message, and Retry recovers', async ({ page, cluster, expectConsoleError }) => {
  expectConsoleError(/status of 500/);
  await addFault(cluster, {
    path: '^/v1/peerings$',
    method: 'GET',
    status: 500,
    body: 'rpc error: code = Unknown desc = something broke in raft',
  });
  const peers = await new PeersPage(page).goto(cluster);
  await expect(peers.alert()).toContainText('HTTP 500');
  await expect(peers.alert()).toContainText('something broke in raft');
  await clearFaults(cluster);
  await peers.retry();
  await expect(peers.empty).toBeVisible({ timeout: 2_000 });
});
