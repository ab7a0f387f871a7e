import { test, expect } from '../support/test';
import { addFault, generateToken, peerClusters, writeEntry } from '../support/api';

test('search, state filter and sort live in the URL and survive a reload', async ({ page, cluster }) => {
  for (const name of ['alpha', 'bravo', 'charlie']) {
    await generateToken(cluster, name);
  }
  await page.goto(cluster.ui('peers'));
  await expect(page.getByText('3 peerings')).toBeVisible();

  await page.getByLabel('Search peers').fill('br');
  await expect(page.getByText('1 of 3 peerings')).toBeVisible();
  await expect(page.getByRole('row', { name: /bravo/ })).toBeVisible();
  await expect(page).toHaveURL(/q=br/);

  await page.reload();
  await expect(page.getByLabel('Search peers')).toHaveValue('br');
  await expect(page.getByText('1 of 3 peerings')).toBeVisible();

  await page.getByLabel('Search peers').fill('');
  await page.getByLabel('Sort peers').selectOption({ label: 'Name (Z to A)' });
  await expect(page).toHaveURL(/sort=-name/);
  const names = page.locator('tbody tr td:first-child');
  await expect(names).toHaveText(['charlie', 'bravo', 'alpha']);

  await page.getByLabel('Filter by state').selectOption({ label: 'Active' });
  await expect(page.getByText('No peering matches this search or filter.')).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('Filter by state')).toHaveValue('active');
  await page.getByLabel('Filter by state').selectOption({ label: 'Pending' });
  await expect(names).toHaveText(['charlie', 'bravo', 'alpha']);
});

test('bad input in the forms shows a clear message and keeps what was typed', async ({ page, cluster, expectConsoleError }) => {
  expectConsoleError(/status of 500/);
  await page.goto(cluster.ui('peers/new'));
  const name = page.getByLabel('Name of peer').first();
  await name.fill('Prod-East');
  await expect(page.getByText('Use lowercase letters only')).toBeVisible();
  await page.getByLabel('Server external addresses (optional)').fill('10.0.0.1');
  await expect(page.getByText('needs a port')).toBeVisible();
  await page.getByRole('button', { name: 'Generate token' }).last().click();
  await expect(name).toHaveValue('Prod-East');
  await expect(page.getByRole('textbox', { name: 'Peering token' })).toHaveCount(0);

  // A name Consul refuses for another reason comes back from the server next to the form, input kept.
  await addFault(cluster, {
    path: '^/v1/peering/token$', method: 'POST', status: 500, times: 1,
    body: 'rpc error: code = Unknown desc = cannot create peering with name: "prod-east"; there is already an established peering',
  });
  await name.fill('prod-east');
  await page.getByLabel('Server external addresses (optional)').fill('');
  await page.getByRole('button', { name: 'Generate token' }).last().click();
  await expect(page.getByText('there is already an established peering — pick another name')).toBeVisible();
  await expect(name).toHaveValue('prod-east');
  await page.getByRole('button', { name: 'Generate token' }).last().click();
  await expect(page.getByRole('textbox', { name: 'Peering token' })).toBeVisible();

  await page.goto(cluster.ui('peers/new'));
  await page.getByRole('tab', { name: 'Establish peering' }).click();
  const form = page.getByRole('tabpanel').filter({ has: page.getByLabel('Peering token') });
  await form.getByLabel('Name of peer').fill('west');
  await form.getByLabel('Peering token').fill('this is not a token');
  await expect(form.getByText('it is not base64')).toBeVisible();
  await form.getByLabel('Peering token').fill(Buffer.from('{"CA":null}').toString('base64'));
  await expect(form.getByText('peering token server addresses value is empty')).toBeVisible();
  await form.getByRole('button', { name: 'Establish peering' }).click();
  await expect(form.getByLabel('Name of peer')).toHaveValue('west');
  // Switching tabs keeps both drafts.
  await page.getByRole('tab', { name: 'Generate token' }).click();
  await page.getByRole('tab', { name: 'Establish peering' }).click();
  await expect(form.getByLabel('Name of peer')).toHaveValue('west');
});

test('an unknown peer shows a not-found view, not a blank page', async ({ page, cluster, expectConsoleError }) => {
  expectConsoleError(/status of 404/);
  await page.goto(cluster.ui('peers/ghost'));
  await expect(page.getByRole('heading', { name: 'No peering named ghost' })).toBeVisible();
});

test('a token from the same cluster is refused with Consul\'s reason', async ({ page, cluster, expectConsoleError }) => {
  expectConsoleError(/status of 500/);
  const token = await generateToken(cluster, 'self');
  await page.goto(cluster.ui('peers/new?tab=establish'));
  const form = page.getByRole('tabpanel').filter({ has: page.getByLabel('Peering token') });
  await form.getByLabel('Name of peer').fill('loop');
  await form.getByLabel('Peering token').fill(token);
  await form.getByRole('button', { name: 'Establish peering' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'cannot create a peering within the same cluster' })).toBeVisible();
});

test('an Active peering whose heartbeat is older than 2 minutes is flagged stale', async ({ page, startCluster }) => {
  // Slow heartbeats so the backdated time is not overwritten during the test.
  const slow = ['--heartbeat-interval', '10m', '--heartbeat-timeout', '30m'];
  const dc1 = await startCluster({ datacenter: 'dc1', args: slow });
  const dc2 = await startCluster({ datacenter: 'dc2', args: slow });
  await peerClusters(dc1, dc2, { acceptorCalls: 'quiet' });
  const old = new Date(Date.now() - 5 * 60_000).toISOString();
  expect((await dc1.api('POST', '/_sim/stream', { peer: 'quiet', last_heartbeat: old, last_receive: old })).status).toBe(200);

  await page.goto(dc1.ui('peers'));
  const row = page.getByRole('row', { name: /quiet/ });
  await expect(row.locator('[data-state="Active"]')).toBeVisible();
  await expect(row.getByText('Stale: no heartbeat for over 2 min')).toBeVisible();
  await expect(row.getByText('5 min ago')).toBeVisible();
  await row.getByRole('link', { name: 'quiet' }).click();
  await expect(page.getByText('nothing has been received from the peer for over 2 minutes')).toBeVisible();
});

test('a long list is paged, and the page is kept in the URL', async ({ page, cluster }) => {
  expect((await cluster.api('POST', '/_sim/peerings?count=120')).status).toBe(200);
  await page.goto(cluster.ui('peers'));
  await expect(page.getByText('120 peerings')).toBeVisible();
  await expect(page.locator('tbody tr')).toHaveCount(25);
  const pager = page.getByRole('navigation', { name: 'Pages' });
  await expect(pager).toContainText('Page 1 of 5');
  await pager.getByRole('button', { name: 'Next' }).click();
  await expect(pager).toContainText('Page 2 of 5');
  await expect(page).toHaveURL(/page=2/);
  await page.reload();
  await expect(page.getByRole('navigation', { name: 'Pages' })).toContainText('Page 2 of 5');
  // A new search starts again from the first page.
  await page.getByLabel('Search peers').fill('1');
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
  await page.goto(cluster.ui('peers/dc2'));
  await page.getByRole('tab', { name: 'Intentions' }).click();
  const section = page.getByRole('region', { name: 'Intentions from this peer' });
  await expect(section.getByText('frontend from dc2')).toBeVisible();
  await expect(section.getByText('batch')).toHaveCount(0);
  await section.getByRole('link', { name: 'New intention from this peer' }).click();
  await expect(page).toHaveURL(/\/ui\/intentions\/new\?peer=dc2/);
});

test('Regenerate token from the list opens the regenerate panel on the peer page', async ({ page, cluster }) => {
  await generateToken(cluster, 'east');
  await page.goto(cluster.ui('peers'));
  await page.getByRole('row', { name: /east/ }).getByRole('link', { name: 'Regenerate token' }).click();
  await expect(page).toHaveURL(cluster.ui('peers/east?action=regenerate'));
  const panel = page.getByRole('region', { name: 'Regenerate token' });
  await expect(panel).toContainText('the old token stops working');
  await panel.getByLabel('Server external addresses (optional)').fill('gw.example.com:8443');
  await panel.getByRole('button', { name: 'Generate new token' }).click();
  const token = await page.getByRole('textbox', { name: 'Peering token' }).inputValue();
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
  await page.goto(cluster.ui('peers/new'));
  expect(await page.evaluate(() => navigator.clipboard)).toBeUndefined();
  await page.getByLabel('Name of peer').first().fill('plain-http');
  await page.getByRole('button', { name: 'Generate token' }).last().click();
  const token = await page.getByRole('textbox', { name: 'Peering token' }).inputValue();
  await page.getByRole('button', { name: 'Copy peering token' }).click();
  await expect(page.getByText('Copied', { exact: true })).toBeVisible();
  const reader = await context.newPage();
  await reader.goto(cluster.ui('peers'));
  expect(await reader.evaluate(() => navigator.clipboard.readText())).toBe(token);
});

test('meta pairs typed with the keyboard reach the peering, and delete confirmation takes focus', async ({ page, cluster }) => {
  await page.goto(cluster.ui('peers/new'));
  await page.getByLabel('Name of peer').first().fill('with-meta');
  await page.getByRole('button', { name: 'Add meta pair' }).first().click();
  await page.getByLabel('Meta key 1').first().click();
  await page.keyboard.type('env');
  await page.keyboard.press('Tab');
  await page.keyboard.type('prod');
  await expect(page.getByLabel('Meta value 1').first()).toHaveValue('prod');
  await page.getByRole('button', { name: 'Generate token' }).last().click();
  await expect(page.getByRole('textbox', { name: 'Peering token' })).toBeVisible();
  await page.getByRole('link', { name: 'View peering with-meta' }).click();
  await expect(page.getByText('env = prod')).toBeVisible();
  await page.getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByRole('heading', { name: 'Delete peering "with-meta"?' })).toBeFocused();
});

test('tabs follow the arrow keys', async ({ page, cluster }) => {
  await page.goto(cluster.ui('peers/new'));
  const generate = page.getByRole('tab', { name: 'Generate token' });
  const establish = page.getByRole('tab', { name: 'Establish peering' });
  await generate.focus();
  await page.keyboard.press('ArrowRight');
  await expect(establish).toHaveAttribute('aria-selected', 'true');
  await expect(establish).toBeFocused();
  await expect(page.getByLabel('Peering token')).toBeVisible();
  await page.keyboard.press('ArrowLeft');
  await expect(generate).toHaveAttribute('aria-selected', 'true');
  await expect(generate).toBeFocused();
});
