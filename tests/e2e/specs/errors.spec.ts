import { test, expect } from '../support/test';
import { addFault, clearFaults } from '../support/api';
import { PeersPage } from '../support/pages';

test('peering disabled on the agent: the page explains it and names the setting', async ({ page, startCluster, expectConsoleError }) => {
  expectConsoleError(/status of 500/);
  const cluster = await startCluster({ args: ['--peering-disabled'] });
  const peers = await new PeersPage(page).goto(cluster);
  await expect(peers.alert()).toContainText('Cluster peering is disabled on this agent');
  await expect(peers.alert()).toContainText('peering { enabled = true }');
  await expect(peers.alert()).toContainText('HTTP 500');
});

test('malformed JSON is reported and Retry recovers', async ({ page, cluster }) => {
  await addFault(cluster, { path: '^/v1/peerings$', method: 'GET', malformed_json: true });
  const peers = await new PeersPage(page).goto(cluster);
  await expect(peers.alert()).toContainText("Consul's answer could not be read");
  await clearFaults(cluster);
  await peers.retry();
  // Sooner than the next poll (5 s): it is Retry that fetched.
  await expect(peers.empty).toBeVisible({ timeout: 2_000 });
});

test('a request Consul does not answer in time says so and Retry recovers', async ({ page, cluster }) => {
  test.setTimeout(45_000);
  await addFault(cluster, { path: '^/v1/peerings$', method: 'GET', delay_ms: 13_000, times: 1 });
  const peers = await new PeersPage(page).goto(cluster);
  await expect(page.getByText('Loading peers…')).toBeVisible();
  await expect(peers.alert()).toContainText('Consul did not answer in time', { timeout: 15_000 });
  await peers.retry();
  await expect(peers.empty).toBeVisible({ timeout: 2_000 });
});

test('a dropped connection is reported as unreachable, and the page recovers', async ({ page, cluster, expectConsoleError }) => {
  expectConsoleError(/ERR_EMPTY_RESPONSE/);
  // Chromium silently retries a GET whose connection drops once, so drop every attempt until cleared.
  await addFault(cluster, { path: '^/v1/peerings$', method: 'GET', drop: true });
  const peers = await new PeersPage(page).goto(cluster);
  await expect(peers.alert()).toContainText('Cannot reach Consul');
  await clearFaults(cluster);
  await peers.retry();
  await expect(peers.empty).toBeVisible({ timeout: 2_000 });
});

for (const [status, title] of [
  [429, 'Consul is rate-limiting requests'],
  [405, 'Consul refused this request method'],
  [503, 'Consul reported an error'],
] as const) {
  test(`HTTP ${status} gets its own message`, async ({ page, cluster, expectConsoleError }) => {
    expectConsoleError(`status of ${status}`);
    await addFault(cluster, { path: '^/v1/peerings$', method: 'GET', status, body: `injected ${status}` });
    const peers = await new PeersPage(page).goto(cluster);
    await expect(peers.alert()).toContainText(title);
    await expect(peers.alert()).toContainText(`HTTP ${status}`);
    await clearFaults(cluster);
    await peers.retry();
    await expect(peers.empty).toBeVisible({ timeout: 2_000 });
  });
}
