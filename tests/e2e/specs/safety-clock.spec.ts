// Staleness is judged on Consul's clock (the Date header of its answer). Behind a proxy that drops
// that header, an Active peering whose last heartbeat is 10 minutes old must not pass as fresh: the
// console says it cannot tell. The stand-in always sends Date (and has no fault that strips a
// header), so the browser's side of the proxy is imitated here: the answers reach the page without it.
import { Page } from '@playwright/test';
import { test, expect } from '../support/test';
import { peerClusters } from '../support/api';
import { MapPage, PeersPage } from '../support/pages';

/** Every peering answer reaches the page without its Date header, as from a proxy that drops it. */
async function dropDateHeader(page: Page): Promise<void> {
  await page.route(
    (url) => url.pathname.startsWith('/v1/peering'),
    async (route) => {
      const response = await route.fetch();
      const headers = { ...response.headers() };
      delete headers['date'];
      await route.fulfill({ response, headers });
    },
  );
}

test('without Consul\'s clock an Active peering heard from 10 minutes ago is not shown fresh', async ({ page, startCluster }) => {
  // Slow heartbeats so the backdated time is not overwritten during the test.
  const slow = ['--heartbeat-interval', '10m', '--heartbeat-timeout', '30m'];
  const dc1 = await startCluster({ datacenter: 'dc1', args: slow });
  const dc2 = await startCluster({ datacenter: 'dc2', args: slow });
  await peerClusters(dc1, dc2, { acceptorCalls: 'quiet' });
  const old = new Date(Date.now() - 10 * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
  expect((await dc1.api('POST', '/_sim/stream', { peer: 'quiet', last_heartbeat: old, last_receive: old })).status).toBe(200);
  await dropDateHeader(page);

  const peers = await new PeersPage(page).goto(dc1);
  await expect(peers.state('quiet', 'Active')).toBeVisible();
  const row = peers.row('quiet');
  await expect(row.getByText("Can't tell if alive: no server clock")).toBeVisible();
  await expect(row.getByText("Can't tell if alive: no server clock")).toHaveAttribute('title', /no Date header/);
  // Not judged fresh or stale on the browser's clock: the time is shown as Consul sent it.
  await expect(row.getByText('Stale: no heartbeat for over 2 min')).toHaveCount(0);
  await expect(row.getByText(old)).toBeVisible();
  await expect(row.getByText(/ago$/)).toHaveCount(0);

  const map = await new MapPage(page).goto(dc1);
  await expect(map.node('quiet')).toHaveAccessibleName(/^quiet, Active, but cannot tell if still heard from \(no server clock\), /);
  // The word under the node (drawn text, not colour alone): not "Active".
  await expect(map.node('quiet').locator('text.word')).toHaveText('Unknown');
  const table = await map.openTable();
  await expect(table.getByRole('row', { name: /quiet/ })).toContainText("Can't tell if alive: no server clock");
});

test('with Consul\'s clock the same peering is flagged stale (the twin of the case above)', async ({ page, startCluster }) => {
  const slow = ['--heartbeat-interval', '10m', '--heartbeat-timeout', '30m'];
  const dc1 = await startCluster({ datacenter: 'dc1', args: slow });
  const dc2 = await startCluster({ datacenter: 'dc2', args: slow });
  await peerClusters(dc1, dc2, { acceptorCalls: 'quiet' });
  const old = new Date(Date.now() - 10 * 60_000).toISOString();
  expect((await dc1.api('POST', '/_sim/stream', { peer: 'quiet', last_heartbeat: old, last_receive: old })).status).toBe(200);

  const peers = await new PeersPage(page).goto(dc1);
  await expect(peers.row('quiet').getByText('Stale: no heartbeat for over 2 min')).toBeVisible();
  await expect(peers.row('quiet').getByText("Can't tell if alive")).toHaveCount(0);
});
