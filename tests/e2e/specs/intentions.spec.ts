// Intentions whose sources are services of peered clusters: create, edit, conflict, validation,
// delete and "Can it talk?", driven through the console like an operator would.
import { Cluster } from '../support/cluster';
import { test, expect } from '../support/test';
import type { Page } from '@playwright/test';
import type { StartCluster } from '../support/test';
import { peerClusters, readEntry as readConfigEntry, waitForImport, writeEntry, addFault } from '../support/api';

/** dc1 (this console) peered with dc2, which exports `web` and `payments` to dc1. */
async function peeredClusters(startCluster: StartCluster): Promise<{ dc1: Cluster; dc2: Cluster }> {
  const dc2 = await startCluster({ datacenter: 'dc2', args: ['--seed', 'demo', '--seed-peer', 'dc1'] });
  const dc1 = await startCluster({ datacenter: 'dc1', args: ['--seed', 'demo'] });
  await peerClusters(dc2, dc1);
  await waitForImport(dc1, 'dc2', 'web');
  return { dc1, dc2 };
}

const readEntry = (cluster: Cluster, destination: string) => readConfigEntry(cluster, 'service-intentions', destination);

async function openRule(page: Page, cluster: Cluster, name: RegExp): Promise<void> {
  await page.goto(cluster.ui('intentions'));
  await page.getByRole('link', { name }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^Edit rule/ })).toBeVisible();
}

test('create an allow rule from a peer\'s service to a local one and see it listed', async ({ page, startCluster }) => {
  const { dc1 } = await peeredClusters(startCluster);
  await page.goto(dc1.ui('intentions'));
  await expect(page.getByText('No intentions yet')).toBeVisible();
  await page.getByRole('link', { name: 'New intention' }).click();
  await expect(page).toHaveURL(dc1.ui('intentions/new'));

  await page.getByLabel('Destination service').fill('api');
  await page.getByLabel('Source peer').fill('dc2');
  // A name dc2 does not export gets a note, but is allowed.
  await page.getByLabel('Source service').fill('billing');
  await expect(page.getByText('billing is not (yet) imported from dc2')).toBeVisible();
  await page.getByLabel('Source service').fill('web');
  await expect(page.getByText(/is not \(yet\) imported/)).toHaveCount(0);
  await expect(page.getByLabel('allow', { exact: true })).toBeChecked();
  await page.getByLabel('Description').fill('storefront calls the API');
  await page.getByRole('button', { name: 'Review changes' }).click();

  // The preview shows the whole new entry, every line added, and the runbook command.
  const json = page.getByLabel('The entry as JSON');
  await expect(json.locator('.added').filter({ hasText: '"Peer": "dc2"' })).toHaveCount(1);
  await expect(json.locator('.added').filter({ hasText: '"Action": "allow"' })).toHaveCount(1);
  await page.getByRole('button', { name: 'HCL', exact: true }).click();
  await expect(page.getByLabel('The entry as HCL')).toContainText('Peer        = "dc2"');
  await expect(page.getByTestId('write-command')).toContainText('consul config write -cas -modify-index=0 intentions-api.hcl');

  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page).toHaveURL(/\/ui\/intentions\?saved=/);
  await expect(page.getByText('Saved web (peer dc2) → api.')).toBeVisible();
  const row = page.locator('tr[data-destination="api"][data-source="web"][data-peer="dc2"]');
  await expect(row).toContainText('peer: dc2');
  await expect(row).toContainText('allow');
  await expect(row).toContainText('storefront calls the API');

  const entry = await readEntry(dc1, 'api');
  expect(entry.Sources).toEqual([
    expect.objectContaining({ Name: 'web', Peer: 'dc2', Action: 'allow', Description: 'storefront calls the API' }),
  ]);
});

test('edit an allow rule to deny; the preview marks exactly the changed line', async ({ page, cluster }) => {
  await writeEntry(cluster, {
    Kind: 'service-intentions',
    Name: 'api',
    Sources: [{ Name: 'web', Peer: 'dc2', Action: 'allow', Description: 'storefront' }],
  });
  await openRule(page, cluster, /Edit rule web \(peer dc2\) to api/);
  await expect(page.getByLabel('Destination service')).toHaveValue('api');
  await expect(page.getByLabel('Source peer')).toHaveValue('dc2');
  // By keyboard: arrow keys move the radio choice, Enter in a field asks for the review.
  await page.getByLabel('allow', { exact: true }).focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByLabel('deny', { exact: true })).toBeChecked();
  await page.getByLabel('Source service').press('Enter');

  const json = page.getByLabel('The entry as JSON');
  await expect(json.locator('.added')).toHaveText([/"Action": "deny"/]);
  await expect(json.locator('.removed')).toHaveText([/"Action": "allow"/]);
  await expect(page.getByText('1 changed line')).toHaveCount(0);
  await expect(page.getByText('2 changed lines')).toBeVisible();

  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText('Saved web (peer dc2) → api.')).toBeVisible();
  const row = page.locator('tr[data-destination="api"][data-source="web"][data-peer="dc2"]');
  await expect(row.locator('td.action')).toHaveText('deny');
  expect((await readEntry(cluster, 'api')).Sources[0]).toMatchObject({ Name: 'web', Peer: 'dc2', Action: 'deny', Description: 'storefront' });
});

test('L7 permissions, JWT, Meta and other rules survive an edit made in the console', async ({ page, cluster }) => {
  const permissions = [
    { Action: 'allow', HTTP: { PathPrefix: '/v1/orders', Methods: ['GET', 'POST'] } },
    { Action: 'deny', HTTP: { PathExact: '/admin', Header: [{ Name: 'x-debug', Present: true }] } },
  ];
  const jwt = { Providers: [{ Name: 'okta', VerifyClaims: [{ Path: ['aud'], Value: 'api' }] }] };
  await writeEntry(cluster, {
    Kind: 'service-intentions',
    Name: 'api',
    Meta: { owner: 'team-orders' },
    JWT: jwt,
    Sources: [
      { Name: 'web', Peer: 'dc2', Permissions: permissions, Description: 'old text' },
      { Name: '*', Action: 'deny' },
      { Name: 'billing', Peer: 'dc3', Action: 'allow' },
    ],
  });
  const before = await readEntry(cluster, 'api');

  await openRule(page, cluster, /Edit rule web \(peer dc2\) to api/);
  const l7 = page.getByRole('region', { name: 'L7 permissions (read-only)' });
  await expect(l7.getByRole('listitem')).toHaveCount(2);
  await expect(l7).toContainText('PathPrefix /v1/orders');
  await expect(page.getByText('Decided per request by the L7 permissions')).toBeVisible();

  await page.getByLabel('Description').fill('new text');
  await page.getByRole('button', { name: 'Review changes' }).click();
  const json = page.getByLabel('The entry as JSON');
  await expect(json.locator('.added')).toHaveText([/"Description": "new text"/]);
  await expect(json.locator('.removed')).toHaveText([/"Description": "old text"/]);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText('Saved web (peer dc2) → api.')).toBeVisible();

  const after = await readEntry(cluster, 'api');
  expect(after.JWT).toEqual(jwt);
  expect(after.Meta).toEqual({ owner: 'team-orders' });
  const web = after.Sources.find((s: any) => s.Name === 'web');
  expect(web.Permissions).toEqual(before.Sources.find((s: any) => s.Name === 'web').Permissions);
  expect(web.Action ?? '').toBe('');
  expect(web.Description).toBe('new text');
  // Every other rule is exactly as it was.
  const others = (e: any) => e.Sources.filter((s: any) => s.Name !== 'web');
  expect(others(after)).toEqual(others(before));
});

test('a change made meanwhile shows the conflict view; reapplying keeps both changes', async ({ page, cluster }) => {
  await writeEntry(cluster, {
    Kind: 'service-intentions',
    Name: 'api',
    Sources: [{ Name: 'web', Peer: 'dc2', Action: 'allow' }],
  });
  await openRule(page, cluster, /Edit rule web \(peer dc2\) to api/);
  await page.getByLabel('deny', { exact: true }).check();
  await page.getByRole('button', { name: 'Review changes' }).click();
  await expect(page.getByRole('button', { name: 'Save', exact: true })).toBeVisible();

  // Someone else adds a rule through the API while the operator reviews.
  const current = await readEntry(cluster, 'api');
  await writeEntry(
    cluster,
    { Kind: 'service-intentions', Name: 'api', Sources: [...current.Sources.map(({ Precedence, ...s }: any) => s), { Name: 'billing', Peer: 'dc2', Action: 'allow' }] },
    { cas: current.ModifyIndex },
  );

  await page.getByRole('button', { name: 'Save', exact: true }).click();
  const conflict = page.getByRole('alert').filter({ hasText: 'Someone else changed these intentions' });
  await expect(conflict).toBeVisible();
  await expect(conflict).toContainText('nothing was saved');
  await expect(conflict.locator('.added').filter({ hasText: '"Name": "billing"' })).toHaveCount(1);
  // Nothing was overwritten.
  expect((await readEntry(cluster, 'api')).Sources.find((s: any) => s.Name === 'web').Action).toBe('allow');

  await conflict.getByRole('button', { name: 'Reapply my change on the latest version' }).click();
  const json = page.getByLabel('The entry as JSON');
  await expect(json.locator('.added')).toHaveText([/"Action": "deny"/]);
  await expect(json).toContainText('"billing"');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText('Saved web (peer dc2) → api.')).toBeVisible();

  const after = await readEntry(cluster, 'api');
  expect(after.Sources).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ Name: 'web', Peer: 'dc2', Action: 'deny' }),
      expect.objectContaining({ Name: 'billing', Peer: 'dc2', Action: 'allow' }),
    ]),
  );
});

test('Consul\'s validation error appears next to the field it concerns, and the draft is kept', async ({ page, cluster, expectConsoleError }) => {
  expectConsoleError(/status of 500/);
  // Stored order after Consul's sort: billing (9), * (8). A new exact rule is sent last but
  // validated as Sources[1]: the message must still land on the rule being edited.
  await writeEntry(cluster, {
    Kind: 'service-intentions',
    Name: 'api',
    Sources: [
      { Name: '*', Action: 'deny' },
      { Name: 'billing', Peer: 'dc2', Action: 'allow' },
    ],
  });
  await page.goto(cluster.ui('intentions/new?peer=dc2'));
  await expect(page.getByLabel('Source peer')).toHaveValue('dc2');
  await page.getByLabel('Destination service').fill('api');
  await page.getByLabel('Source service').fill('web*');
  await page.getByLabel('Description').fill('keep me');
  await page.getByRole('button', { name: 'Review changes' }).click();
  await page.getByRole('button', { name: 'Save', exact: true }).click();

  const source = page.getByLabel('Source service');
  await expect(source).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#ix-source-error')).toHaveText("Name: wildcard character '*' cannot be used with partial values");
  await expect(source).toHaveAccessibleDescription(/cannot be used with partial values/);
  await expect(page.locator('#ix-peer-error')).toHaveText('');
  // The draft is intact; fixing the name saves.
  await expect(page.getByLabel('Description')).toHaveValue('keep me');
  await source.fill('web');
  await page.getByRole('button', { name: 'Review changes' }).click();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText('Saved web (peer dc2) → api.')).toBeVisible();
  expect((await readEntry(cluster, 'api')).Sources).toHaveLength(3);
});

test('a wildcard peer is refused with Consul\'s reason before anything is sent', async ({ page, cluster }) => {
  await page.goto(cluster.ui('intentions/new'));
  await page.getByLabel('Destination service').fill('api');
  await page.getByLabel('Source peer').fill('*');
  await page.getByLabel('Source service').fill('*');
  await page.getByRole('button', { name: 'Review changes' }).click();
  await expect(page.locator('#ix-peer-error')).toHaveText("cannot use wildcard '*' in peer");
  await expect(page.getByLabel('Source peer')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('button', { name: 'Save', exact: true })).toHaveCount(0);
  expect(await readEntry(cluster, 'api')).toBeNull();
  // A wildcard service from a named peer is fine.
  await page.getByLabel('Source peer').fill('dc2');
  await page.getByRole('button', { name: 'Review changes' }).click();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText('Saved * (peer dc2) → api.')).toBeVisible();
  // The wildcard rule opens from its row like any other.
  await page.getByRole('link', { name: 'Edit rule * (peer dc2) to api' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Edit rule * (peer dc2) → api' })).toBeVisible();
  await expect(page.getByLabel('Source service')).toHaveValue('*');
});

test('deleting the last rule, after confirming, deletes the whole entry', async ({ page, cluster }) => {
  await writeEntry(cluster, {
    Kind: 'service-intentions',
    Name: 'api',
    Sources: [{ Name: 'web', Peer: 'dc2', Action: 'allow' }],
  });
  await writeEntry(cluster, {
    Kind: 'service-intentions',
    Name: 'db',
    Sources: [
      { Name: 'web', Peer: 'dc2', Action: 'allow' },
      { Name: 'api', Action: 'allow' },
    ],
  });
  // A rule among others: only that rule goes.
  await openRule(page, cluster, /Edit rule web \(peer dc2\) to db/);
  await page.getByRole('button', { name: 'Delete rule' }).click();
  let dialog = page.getByRole('alertdialog');
  await expect(dialog).toContainText('The other rules for db stay as they are.');
  await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(page.getByText('Deleted web (peer dc2) → db.')).toBeVisible();
  expect((await readEntry(cluster, 'db')).Sources).toEqual([expect.objectContaining({ Name: 'api' })]);

  // The last rule: the confirmation says the entry goes, Cancel keeps it.
  await page.getByRole('link', { name: /Edit rule web \(peer dc2\) to api/ }).click();
  await page.getByRole('button', { name: 'Delete rule' }).click();
  dialog = page.getByRole('alertdialog');
  await expect(dialog).toContainText('the whole service-intentions entry for api is deleted');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('alertdialog')).toHaveCount(0);
  expect(await readEntry(cluster, 'api')).not.toBeNull();
  await page.getByRole('button', { name: 'Delete rule' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(page.getByText('Deleted web (peer dc2) → api.')).toBeVisible();
  await expect(page.locator('tr[data-destination="api"]')).toHaveCount(0);
  expect(await readEntry(cluster, 'api')).toBeNull();
});

test('the list filters by peer, destination, action and text', async ({ page, cluster }) => {
  await writeEntry(cluster, {
    Kind: 'service-intentions',
    Name: 'api',
    Sources: [
      { Name: 'web', Peer: 'dc2', Action: 'allow', Description: 'storefront' },
      { Name: 'web', Action: 'deny' },
      { Name: 'admin', Peer: 'dc3', Permissions: [{ Action: 'allow', HTTP: { PathPrefix: '/admin' } }] },
    ],
  });
  await writeEntry(cluster, { Kind: 'service-intentions', Name: 'db', Sources: [{ Name: 'api', Action: 'allow' }] });
  await page.goto(cluster.ui('intentions'));
  const filters = page.getByRole('search');
  const rows = page.locator('tbody tr');
  await expect(rows).toHaveCount(4);
  await expect(page.locator('tr[data-source="admin"] td.action')).toHaveText('L7 (1 permission)');

  await filters.getByLabel('Source peer').selectOption('dc2');
  await expect(rows).toHaveCount(1);
  await expect(page.getByText('1 of 4 rules')).toBeVisible();
  await filters.getByLabel('Source peer').selectOption({ label: 'This cluster only' });
  await expect(rows).toHaveCount(2);
  await filters.getByLabel('Destination').selectOption('db');
  await expect(rows).toHaveCount(1);
  await filters.getByLabel('Source peer').selectOption({ label: 'Any' });
  await filters.getByLabel('Destination').selectOption({ label: 'Any' });
  await filters.getByLabel('Action').selectOption({ label: 'L7 permissions' });
  await expect(rows).toHaveCount(1);
  await filters.getByLabel('Action').selectOption({ label: 'Any' });
  await filters.getByRole('searchbox', { name: 'Search' }).fill('STOREFRONT');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('peer: dc2');
});

test('Can it talk? names the deciding rule, keeps peers apart and falls back to the default', async ({ page, cluster }) => {
  await writeEntry(cluster, {
    Kind: 'service-intentions',
    Name: 'api',
    Sources: [
      { Name: 'web', Peer: 'dc2', Action: 'allow', Description: 'storefront' },
      { Name: '*', Peer: 'dc2', Action: 'deny' },
      { Name: 'web', Action: 'deny' },
    ],
  });
  await page.goto(cluster.ui('intentions'));
  const panel = page.getByRole('region', { name: 'Can it talk?' });
  await panel.getByLabel('Source peer').fill('dc2');
  await panel.getByLabel('Source service').fill('web');
  await panel.getByLabel('Destination service').fill('api');
  const answer = panel.getByTestId('talk-answer');
  await expect(answer).toContainText('Allowed');
  await expect(answer).toContainText('Decided by the rule web (peer dc2) → api (precedence 9)');

  // Another service of dc2 meets the peer-wide wildcard.
  await panel.getByLabel('Source service').fill('billing');
  await expect(answer).toContainText('Denied');
  await expect(answer).toContainText('* (peer dc2) → api (precedence 8)');

  // The same name in this cluster is a different service: the local rule decides.
  await panel.getByLabel('Source peer').fill('');
  await panel.getByLabel('Source service').fill('web');
  await expect(answer).toContainText('Decided by the rule web → api');

  // No rule for dc3: the cluster default (ACLs off: allow).
  await panel.getByLabel('Source peer').fill('dc3');
  await expect(answer).toContainText('Allowed. No matching intention: the default (allow) applies');
  await expect(answer.getByRole('link')).toHaveCount(0);
  await panel.getByLabel('Source peer').fill('dc2');
  await answer.getByRole('link', { name: 'Open this rule' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Edit rule web (peer dc2) → api' })).toBeVisible();
});

test('a failed save keeps the draft; Save shows progress and sends once', async ({ page, cluster, expectConsoleError }) => {
  expectConsoleError(/status of 500/);
  await writeEntry(cluster, {
    Kind: 'service-intentions',
    Name: 'api',
    Sources: [{ Name: 'web', Peer: 'dc2', Action: 'allow' }],
  });
  const puts: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'PUT' && new URL(r.url()).pathname === '/v1/config') puts.push(r.url());
  });
  await openRule(page, cluster, /Edit rule web \(peer dc2\) to api/);
  await page.getByLabel('deny', { exact: true }).check();
  await page.getByLabel('Description').fill('blocked during the incident');
  await page.getByRole('button', { name: 'Review changes' }).click();
  await addFault(cluster, {
    path: '^/v1/config',
    method: 'PUT',
    delay_ms: 1500,
    status: 500,
    body: 'rpc error: code = Unknown desc = raft apply failed: leadership lost while committing log',
    times: 1,
  });

  const save = page.getByRole('button', { name: 'Save', exact: true });
  await save.dblclick();
  const saving = page.getByRole('button', { name: 'Saving…' });
  await expect(saving).toBeDisabled();
  const alert = page.getByRole('alert').filter({ hasText: 'leadership lost' });
  await expect(alert).toContainText('HTTP 500');
  expect(puts).toHaveLength(1);
  // Still reviewing the same change; nothing was lost.
  await expect(page.getByLabel('The entry as JSON').locator('.added')).toHaveText([/"Action": "deny"/, /"Description": "blocked during the incident"/]);
  await page.getByRole('button', { name: 'Back to the form' }).click();
  await expect(page.getByLabel('Description')).toHaveValue('blocked during the incident');
  await expect(page.getByLabel('deny', { exact: true })).toBeChecked();
  await page.getByRole('button', { name: 'Review changes' }).click();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText('Saved web (peer dc2) → api.')).toBeVisible();
  expect((await readEntry(cluster, 'api')).Sources[0]).toMatchObject({ Action: 'deny', Description: 'blocked during the incident' });
});

test('a delete that loses the race deletes nothing and shows what changed', async ({ page, cluster }) => {
  await writeEntry(cluster, {
    Kind: 'service-intentions',
    Name: 'api',
    Sources: [
      { Name: 'web', Peer: 'dc2', Action: 'allow' },
      { Name: 'billing', Peer: 'dc2', Action: 'allow' },
    ],
  });
  await openRule(page, cluster, /Edit rule web \(peer dc2\) to api/);
  // Meanwhile someone turns billing into a deny.
  const current = await readEntry(cluster, 'api');
  const changed = current.Sources.map(({ Precedence, ...s }: any) => (s.Name === 'billing' ? { ...s, Action: 'deny' } : s));
  await writeEntry(cluster, { Kind: 'service-intentions', Name: 'api', Sources: changed }, { cas: current.ModifyIndex });

  await page.getByRole('button', { name: 'Delete rule' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Delete', exact: true }).click();
  const conflict = page.getByRole('alert').filter({ hasText: 'Nothing was deleted' });
  await expect(conflict).toBeVisible();
  await expect(conflict.locator('.added')).toHaveText([/"Action": "deny"/]);
  expect((await readEntry(cluster, 'api')).Sources).toHaveLength(2);

  await conflict.getByRole('button', { name: 'Delete from the latest version' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(page.getByText('Deleted web (peer dc2) → api.')).toBeVisible();
  expect((await readEntry(cluster, 'api')).Sources).toEqual([expect.objectContaining({ Name: 'billing', Action: 'deny' })]);
});

test('the editor works under another content path, deep links included', async ({ page, startCluster }) => {
  const cluster = await startCluster({ contentPath: '/consul/ui/' });
  await writeEntry(cluster, { Kind: 'service-intentions', Name: 'api', Sources: [{ Name: 'web', Peer: 'dc2', Action: 'allow' }] });
  await page.goto(cluster.ui('intentions/api/edit?peer=dc2&source=web'));
  await expect(page.getByRole('heading', { level: 1, name: 'Edit rule web (peer dc2) → api' })).toBeVisible();
  await page.getByLabel('deny', { exact: true }).check();
  await page.getByRole('button', { name: 'Review changes' }).click();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`^${cluster.origin}/consul/ui/intentions\\?saved=`));
  await expect(page.locator('tr[data-source="web"] td.action')).toHaveText('deny');
  await page.getByRole('link', { name: 'New intention' }).click();
  await expect(page).toHaveURL(`${cluster.origin}/consul/ui/intentions/new`);
});
