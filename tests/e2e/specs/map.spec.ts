// The map: this cluster in the middle, each peer around it in its state, live; usable
// from the keyboard, readable at 200 peers, and the same data as a table.
import AxeBuilder from '@axe-core/playwright';
import { Page } from '@playwright/test';
import { FAST_STREAM } from '../support/cluster';
import { test, expect } from '../support/test';
import { peerClusters, waitForImport, writeEntry } from '../support/api';
import { MapPage } from '../support/pages';

async function noAxeViolations(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

test('two stand-ins: the map shows dc2 Active with its counts, then Failing when dc2 stops, and opens dc2 from the keyboard', async ({ page, startCluster }) => {
  const dc1 = await startCluster({ datacenter: 'dc1', args: FAST_STREAM });
  const dc2 = await startCluster({ datacenter: 'dc2', args: FAST_STREAM });
  await peerClusters(dc1, dc2);
  // dc2 exports api to dc1; dc1 exports web to dc2; dc1's api fails over to dc2.
  for (const [cluster, service] of [[dc2, 'api'], [dc1, 'web']] as const) {
    const reg = await cluster.api('PUT', '/v1/catalog/register', { Node: 'node-1', Address: '10.0.0.10', Service: { Service: service, Port: 8080 } });
    expect(reg.status).toBe(200);
  }
  await writeEntry(dc2, { Kind: 'exported-services', Name: 'default', Services: [{ Name: 'api', Consumers: [{ Peer: 'dc1' }] }] });
  await writeEntry(dc1, { Kind: 'exported-services', Name: 'default', Services: [{ Name: 'web', Consumers: [{ Peer: 'dc2' }] }] });
  await writeEntry(dc1, { Kind: 'service-resolver', Name: 'api', Failover: { '*': { Targets: [{ Peer: 'dc2' }] } } });
  await waitForImport(dc1, 'dc2', 'api');

  const map = new MapPage(page);
  await map.goto(dc1);
  await expect(map.node('dc2')).toHaveAccessibleName('dc2, Active, 1 imported, 1 exported, failover from api');
  await expect(map.node('dc2')).toContainText('Active');
  await expect(map.node('dc2')).toContainText('↓1 ↑1 ⇠1');
  // Failover points at dc2: an arrowhead at dc2's end of the link.
  await expect(map.failoverArrow('dc2')).toBeVisible();
  const table = await map.openTable();
  await expect(table.getByRole('row', { name: /dc2/ })).toContainText('api');
  // The heartbeat moves at every poll; the focus on a row's link stays through two of them.
  const inTable = table.getByRole('link', { name: 'dc2' });
  await inTable.focus();
  for (let poll = 0; poll < 2; poll++) await page.waitForResponse((r) => new URL(r.url()).pathname.endsWith('/v1/peerings'));
  await expect(inTable).toBeFocused();
  await noAxeViolations(page);

  // dc2 goes away: the next polls show it Failing, without a reload.
  await dc2.stop();
  await expect(map.node('dc2')).toHaveAccessibleName(/^dc2, Failing, /, { timeout: 20_000 });
  await expect(map.node('dc2')).toContainText('Failing');

  // Keyboard: from the Refresh button, Tab reaches dc2's node; Enter opens its page.
  await map.refresh.focus();
  await page.keyboard.press('Tab');
  await expect(map.node('dc2')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(dc1.ui('peers/dc2/imported-services'));
  await expect(page.getByRole('heading', { name: 'dc2', level: 1 })).toBeVisible();
});

test('the header links to the map', async ({ page, cluster }) => {
  await page.goto(cluster.ui('peers'));
  const map = new MapPage(page);
  await map.nav('Map').click();
  await expect(page).toHaveURL(cluster.ui('map'));
  await expect(map.heading('Map', 1)).toBeVisible();
  await expect(page.getByText('No peer connections yet')).toBeVisible();
});

test('200 peers: grouped with the unhealthy first, the rest of a group behind one node that expands; axe finds nothing in light or dark', async ({ page, cluster }) => {
  // axe over 200 SVG nodes, twice, takes most of the default 30 s on a busy 2-core machine.
  test.slow();
  expect((await cluster.api('POST', '/_sim/peerings?count=200')).status).toBe(200);
  const lists: string[] = [];
  page.on('request', (r) => { if (new URL(r.url()).pathname === '/v1/peerings') lists.push(r.url()); });
  const map = await new MapPage(page).goto(cluster);
  await expect(map.map).toHaveAccessibleName("Map of this cluster's peerings: 200 peers");
  // The loader asked for the list while the wasm downloaded; the map used that answer.
  expect(lists).toHaveLength(1);
  // The stand-in's mix: 33 Failing, 67 Pending or Establishing, 33 Terminated, 67 Active.
  await expect(map.nodes.first()).toHaveAccessibleName(/^bench-\d+, Failing, /);
  await expect(map.more('Active')).toHaveAccessibleName('and 67 more Active: show them');
  await expect(map.more('Deleting or Terminated')).toBeVisible();
  expect(await map.nodes.count()).toBeLessThanOrEqual(49);
  await expect(map.node('bench-00000')).toHaveCount(0);

  await map.more('Active').click();
  await expect(map.node('bench-00000')).toHaveAccessibleName(/^bench-00000, Active, /);
  await expect(map.fewer('Active')).toBeFocused();
  await expect(map.more('Active')).toHaveCount(0);

  // The table holds every peer, collapsed or not.
  const table = await map.openTable();
  await expect(table.locator('tbody tr')).toHaveCount(200);
  await noAxeViolations(page);
  await page.emulateMedia({ colorScheme: 'dark' });
  await noAxeViolations(page);

  // Collapsing again from the keyboard.
  await map.fewer('Active').press('Enter');
  await expect(map.more('Active')).toBeFocused();
  await expect(map.node('bench-00000')).toHaveCount(0);
});
