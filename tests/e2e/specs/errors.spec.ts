import { test, expect } from '../support/test';
import { addFault, clearFaults } from '../support/api';

test('peering disabled on the agent: the page explains it and names the setting', async ({ page, startCluster, expectConsoleError }) => {
  expectConsoleError(/status of 500/);
  const cluster = await startCluster({ args: ['--peering-disabled'] });
  await page.goto(cluster.ui('peers'));
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Cluster peering is disabled on this agent');
  await expect(alert).toContainText('peering { enabled = true }');
  await expect(alert).toContainText('HTTP 500');
});

test('malformed JSON is reported and Retry recovers', async ({ page, cluster }) => {
  await addFault(cluster, { path: '^/v1/peerings$', method: 'GET', malformed_json: true });
  await page.goto(cluster.ui('peers'));
  const alert = page.getByRole('alert');
  await expect(alert).toContainText("Consul's answer could not be read");
  await clearFaults(cluster);
  await alert.getByRole('button', { name: 'Retry' }).click();
  // Sooner than the next poll (5 s): it is Retry that fetched.
  await expect(page.getByText('No peer connections yet')).toBeVisible({ timeout: 2_000 });
});

test('a request Consul does not answer in time says so and Retry recovers', async ({ page, cluster }) => {
  test.setTimeout(45_000);
  await addFault(cluster, { path: '^/v1/peerings$', method: 'GET', delay_ms: 13_000, times: 1 });
  await page.goto(cluster.ui('peers'));
  await expect(page.getByText('Loading peers…')).toBeVisible();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Consul did not answer in time', { timeout: 15_000 });
  await alert.getByRole('button', { name: 'Retry' }).click();
  await expect(page.getByText('No peer connections yet')).toBeVisible({ timeout: 2_000 });
});

test('a dropped connection is reported as unreachable, and the page recovers', async ({ page, cluster, expectConsoleError }) => {
  expectConsoleError(/ERR_EMPTY_RESPONSE/);
  // Chromium silently retries a GET whose connection drops once, so drop every attempt until cleared.
  await addFault(cluster, { path: '^/v1/peerings$', method: 'GET', drop: true });
  await page.goto(cluster.ui('peers'));
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Cannot reach Consul');
  await clearFaults(cluster);
  await alert.getByRole('button', { name: 'Retry' }).click();
  await expect(page.getByText('No peer connections yet')).toBeVisible({ timeout: 2_000 });
});

for (const [status, title] of [
  [429, 'Consul is rate-limiting requests'],
  [405, 'Consul refused this request method'],
  [503, 'Consul reported an error'],
] as const) {
  test(`HTTP ${status} gets its own message`, async ({ page, cluster, expectConsoleError }) => {
    expectConsoleError(`status of ${status}`);
    await addFault(cluster, { path: '^/v1/peerings$', method: 'GET', status, body: `injected ${status}` });
    await page.goto(cluster.ui('peers'));
    const alert = page.getByRole('alert');
    await expect(alert).toContainText(title);
    await expect(alert).toContainText(`HTTP ${status}`);
    await clearFaults(cluster);
    await alert.getByRole('button', { name: 'Retry' }).click();
    await expect(page.getByText('No peer connections yet')).toBeVisible({ timeout: 2_000 });
  });
}
