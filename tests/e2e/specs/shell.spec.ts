import { test, expect } from '../support/test';
import { addFault, clearFaults, generateToken } from '../support/api';

test('a fresh cluster shows the empty Peers page with the datacenter name', async ({ page, cluster }) => {
  await page.goto(cluster.ui());
  await expect(page).toHaveURL(cluster.ui('peers'));
  await expect(page.getByRole('heading', { name: 'Peers', level: 1 })).toBeVisible();
  await expect(page.getByText('No peer connections yet')).toBeVisible();
  await expect(page.getByTestId('datacenter')).toHaveText('dc1');
  // The static loading shell is gone once the app is mounted.
  await expect(page.getByText('Loading the console…')).toHaveCount(0);
});

test('a peering created through the API appears as Pending after a reload', async ({ page, cluster }) => {
  await page.goto(cluster.ui('peers'));
  await expect(page.getByText('No peer connections yet')).toBeVisible();
  await generateToken(cluster, 'dc2-east');
  await page.reload();
  const row = page.getByRole('row', { name: /dc2-east/ });
  await expect(row).toBeVisible();
  await expect(row.getByText('Pending', { exact: true })).toBeVisible();
  // The badge explains the state on hover.
  await expect(row.locator('[data-state="Pending"]')).toHaveAttribute('title', /not been established yet/);
});

test('a deep link to an unknown route shows the not-found page', async ({ page, cluster }) => {
  await page.goto(cluster.ui('no/such/page'));
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await expect(page.getByText('/ui/no/such/page')).toBeVisible();
  await page.getByRole('link', { name: 'Go to Peers' }).click();
  await expect(page).toHaveURL(cluster.ui('peers'));
});

test('navigation moves between Peers and Intentions without a reload', async ({ page, cluster }) => {
  await page.goto(cluster.ui('peers'));
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Intentions' }).click();
  await expect(page).toHaveURL(cluster.ui('intentions'));
  await expect(page.getByRole('heading', { name: 'Intentions', level: 1 })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Intentions' })).toHaveAttribute('aria-current', 'page');
  await page.getByRole('link', { name: 'Peers' }).click();
  await expect(page.getByRole('heading', { name: 'Peers', level: 1 })).toBeVisible();
});

test('the console works under another content path, with deep links', async ({ page, startCluster }) => {
  const cluster = await startCluster({ datacenter: 'east-1', contentPath: '/consul/ui/' });
  await generateToken(cluster, 'west');
  await page.goto(cluster.ui('peers'));
  await expect(page.getByRole('row', { name: /west/ })).toBeVisible();
  await expect(page.getByTestId('datacenter')).toHaveText('east-1');
  await page.getByRole('link', { name: 'Intentions' }).click();
  await expect(page).toHaveURL(`${cluster.origin}/consul/ui/intentions`);
  await page.goto(cluster.ui('nowhere'));
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
});

test('a failing API shows the HTTP status and Consul\'s message, and Retry recovers', async ({ page, cluster, expectConsoleError }) => {
  expectConsoleError(/status of 500/);
  await addFault(cluster, {
    path: '^/v1/peerings$',
    method: 'GET',
    status: 500,
    body: 'rpc error: code = Unknown desc = something broke in raft',
  });
  await page.goto(cluster.ui('peers'));
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('HTTP 500');
  await expect(alert).toContainText('something broke in raft');
  await clearFaults(cluster);
  await alert.getByRole('button', { name: 'Retry' }).click();
  await expect(page.getByText('No peer connections yet')).toBeVisible({ timeout: 2_000 });
});
