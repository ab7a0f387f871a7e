// Routes: a peer's tabs are URLs of their own (linkable, Back returns to them, arrow keys follow
// them), `/peers/:name` lands on its first tab in place, and every route names itself in the
// document title (src/routes/mod.rs `Route::title`, docs/routes.md).
import { Cluster } from '../support/cluster';
import { test as base, expect } from '../support/test';
import { generateToken } from '../support/api';
import { PeerPage, PEER_TABS } from '../support/pages';

const PRODUCT = 'Consul Peering Console';

/** The demo data set, and a pending peering named dc2: enough for its page and every tab. */
const test = base.extend<{ cluster: Cluster }>({
  cluster: async ({ startCluster }, use) => {
    const cluster = await startCluster({ args: ['--seed', 'demo'] });
    await generateToken(cluster, 'dc2');
    await use(cluster);
  },
});

test('a tab opened by its URL is selected and shows its content', async ({ page, cluster }) => {
  const peer = await new PeerPage(page).gotoTab(cluster, 'dc2', 'exported-services');
  await expect(peer.tab(/^Exported services/)).toHaveAttribute('aria-selected', 'true');
  await expect(peer.selectedTab).toHaveCount(1);
  await expect(peer.exportsTo('dc2').heading).toBeVisible();
  await expect(page).toHaveTitle(`dc2 · Exported services · Peers · ${PRODUCT}`);
  // The panel is labelled by its tab.
  await expect(page.getByRole('tabpanel', { name: /^Exported services/ })).toBeVisible();
});

test('choosing a tab changes the URL, Back returns to the previous tab, the peering is not fetched again', async ({ page, cluster }) => {
  const peer = await new PeerPage(page).gotoTab(cluster, 'dc2', 'imported-services');
  await expect(peer.tab(/^Imported services/)).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('heading', { name: 'dc2', level: 1 })).toBeVisible();

  const reads: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/v1/peering/dc2') reads.push(r.url());
  });
  await peer.openTab('Server addresses');
  await expect(page).toHaveURL(cluster.ui('peers/dc2/addresses'));
  await expect(peer.tab('Server addresses')).toHaveAttribute('aria-selected', 'true');
  await expect(page).toHaveTitle(`dc2 · Server addresses · Peers · ${PRODUCT}`);
  await peer.openTab('Intentions');
  await expect(page).toHaveURL(cluster.ui('peers/dc2/intentions'));
  await expect(peer.intentions).toBeVisible();

  await page.goBack();
  await expect(page).toHaveURL(cluster.ui('peers/dc2/addresses'));
  await expect(peer.tab('Server addresses')).toHaveAttribute('aria-selected', 'true');
  await page.goBack();
  await expect(page).toHaveURL(cluster.ui('peers/dc2/imported-services'));
  await expect(peer.tab(/^Imported services/)).toHaveAttribute('aria-selected', 'true');
  await page.goForward();
  await expect(peer.tab('Server addresses')).toHaveAttribute('aria-selected', 'true');
  // The page stayed mounted: at most the 5 s poll asked for the peering meanwhile.
  expect(reads.length).toBeLessThanOrEqual(1);
});

test('/peers/:name replaces itself with its first tab, keeping ?action=', async ({ page, cluster }) => {
  await page.goto(cluster.ui('peers'));
  await expect(page.getByRole('heading', { name: 'Peers', level: 1 })).toBeVisible();
  const peer = await new PeerPage(page).goto(cluster, 'dc2');
  await expect(page).toHaveURL(cluster.ui('peers/dc2/imported-services'));
  await expect(peer.tab(/^Imported services/)).toHaveAttribute('aria-selected', 'true');
  // Replaced, not pushed: Back leaves the peer.
  await page.goBack();
  await expect(page).toHaveURL(cluster.ui('peers'));

  await peer.goto(cluster, 'dc2', '?action=delete');
  await expect(page).toHaveURL(cluster.ui('peers/dc2/imported-services?action=delete'));
  await expect(peer.alertDialog).toBeVisible();
  await expect(peer.alertDialog).toContainText('dc2');
});

test('arrow keys, Home and End move between tabs and follow them', async ({ page, cluster }) => {
  const peer = await new PeerPage(page).gotoTab(cluster, 'dc2', 'imported-services');
  const first = peer.tab(/^Imported services/);
  await expect(first).toHaveAttribute('aria-selected', 'true');
  await expect(peer.tabs).toHaveCount(PEER_TABS.length);
  // Only the selected tab is in the Tab order.
  await expect(first).toHaveAttribute('tabindex', '0');
  await expect(peer.tab(/^Exported services/)).toHaveAttribute('tabindex', '-1');
  await first.focus();

  await page.keyboard.press('ArrowRight');
  await expect(page).toHaveURL(cluster.ui('peers/dc2/exported-services'));
  await expect(peer.tab(/^Exported services/)).toBeFocused();
  await expect(peer.tab(/^Exported services/)).toHaveAttribute('aria-selected', 'true');

  await page.keyboard.press('End');
  await expect(page).toHaveURL(cluster.ui('peers/dc2/failover'));
  await expect(peer.tab('Failover')).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect(page).toHaveURL(cluster.ui('peers/dc2/intentions'));
  await expect(peer.tab('Intentions')).toBeFocused();
  await page.keyboard.press('Home');
  await expect(page).toHaveURL(cluster.ui('peers/dc2/imported-services'));
  await expect(first).toBeFocused();
  await expect(first).toHaveAttribute('aria-selected', 'true');
});

test('every route names itself in the document title', async ({ page, cluster, expectConsoleError }) => {
  // One fresh load per route.
  test.setTimeout(120_000);
  // The edit page asks for an intentions entry that may not exist.
  expectConsoleError(/status of 404/, { optional: true });
  const titles: [string, string][] = [
    ['', 'Peers'],
    ['peers', 'Peers'],
    ['peers?q=dc', 'Peers'],
    ['add-peer', 'Add peer connection · Peers'],
    ['peers/dc2/imported-services', 'dc2 · Imported services · Peers'],
    ['peers/dc2/exported-services', 'dc2 · Exported services · Peers'],
    ['peers/dc2/addresses', 'dc2 · Server addresses · Peers'],
    ['peers/dc2/intentions', 'dc2 · Intentions · Peers'],
    ['peers/dc2/failover', 'dc2 · Failover · Peers'],
    ['peers/dc2/exported/web', 'web (dc2) · Can dc2 see it? · Peers'],
    ['peers/dc2/imported/web', 'web (dc2) · Can this cluster call it? · Peers'],
    ['map', 'Map'],
    ['exports', 'Exports'],
    ['exports?peer=dc2', 'Exports'],
    ['intentions', 'Intentions'],
    ['intentions/new', 'New intention · Intentions'],
    ['intentions/api/edit?peer=dc2&source=web', 'web (peer dc2) → api · Edit intention · Intentions'],
    ['gateways', 'Gateways'],
    ['failover', 'Failover'],
    ['no/such/page', 'Page not found'],
  ];
  for (const [route, title] of titles) {
    await page.goto(cluster.ui(route));
    await expect(page, route).toHaveTitle(`${title} · ${PRODUCT}`);
  }
  // And as the operator moves inside the app, not only on a fresh load.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Map', exact: true }).click();
  await expect(page).toHaveTitle(`Map · ${PRODUCT}`);
});

test('the Exports and Failover filters live in the URL both ways, as on Peers', async ({ page, cluster }) => {
  for (const [route, name] of [['exports', 'Filter exports'], ['failover', 'Filter failover']] as const) {
    await page.goto(cluster.ui(`${route}?service=web`));
    const service = page.getByRole('search', { name }).getByLabel('Service');
    await expect(service, route).toHaveValue('web');
    // Typed: the URL follows once typing pauses, in place (Back leaves the page).
    await service.fill('pay');
    await expect(page).toHaveURL(cluster.ui(`${route}?service=pay`));
    // A link sets the filter.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: route === 'exports' ? 'Exports' : 'Failover', exact: true }).click();
    await expect(page).toHaveURL(cluster.ui(route));
    await expect(service, route).toHaveValue('');
    await page.goBack();
    await expect(page).toHaveURL(cluster.ui(`${route}?service=pay`));
    await expect(service, route).toHaveValue('pay');
  }
});
