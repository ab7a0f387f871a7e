// Intentions whose sources are services of peered clusters: create, edit, conflict, validation,
// delete and "Can it talk?", driven through the console like an operator would.
import { Cluster } from '../support/cluster';
import { test, expect } from '../support/test';
import type { StartCluster } from '../support/test';
import { peerClusters, readEntry as readConfigEntry, waitForImport, writeEntry, addFault } from '../support/api';
import { IntentionEditor, IntentionsPage } from '../support/pages';
import type { Page } from '@playwright/test';

/** dc1 (this console) peered with dc2, which exports `web` and `payments` to dc1. */
async function peeredClusters(startCluster: StartCluster): Promise<{ dc1: Cluster; dc2: Cluster }> {
  const dc2 = await startCluster({ datacenter: 'dc2', args: ['--seed', 'demo', '--seed-peer', 'dc1'] });
  const dc1 = await startCluster({ datacenter: 'dc1', args: ['--seed', 'demo'] });
  await peerClusters(dc2, dc1);
  await waitForImport(dc1, 'dc2', 'web');
  return { dc1, dc2 };
}

const readEntry = (cluster: Cluster, destination: string) => readConfigEntry(cluster, 'service-intentions', destination);

/** A source rule: web of the peer dc2, allowed. */
const WEB_TO_API = { Name: 'web', Peer: 'dc2', Action: 'allow' };
const WEB_FROM_DC2_TO_API = /Edit rule web \(peer dc2\) to api/;

/** Opens a rule from the intentions list. */
async function openRule(page: Page, cluster: Cluster, name: RegExp): Promise<IntentionEditor> {
  return (await new IntentionsPage(page).goto(cluster)).openRule(name);
}

test('create an allow rule from a peer\'s service to a local one and see it listed', async ({ page, startCluster }) => {
  const { dc1 } = await peeredClusters(startCluster);
  const list = await new IntentionsPage(page).goto(dc1);
  await expect(list.empty).toBeVisible();
  await list.newIntention.click();
  await expect(page).toHaveURL(dc1.ui('intentions/new'));

  const editor = new IntentionEditor(page);
  await editor.fill({ destination: 'api', peer: 'dc2' });
  // A name dc2 does not export gets a note, but is allowed.
  await editor.source.fill('billing');
  await expect(page.getByText('billing is not (yet) imported from dc2')).toBeVisible();
  await editor.source.fill('web');
  await expect(page.getByText(/is not \(yet\) imported/)).toHaveCount(0);
  await expect(editor.allow).toBeChecked();
  await editor.description.fill('storefront calls the API');
  await editor.reviewChanges();

  // The preview shows the whole new entry, every line added, and the runbook command.
  const review = editor.review;
  await expect(review.added('"Peer": "dc2"')).toHaveCount(1);
  await expect(review.added('"Action": "allow"')).toHaveCount(1);
  await review.showHcl();
  await expect(review.hcl).toContainText('Peer        = "dc2"');
  await expect(review.writeCommand).toContainText('consul config write -cas -modify-index=0 intentions-api.hcl');

  await review.save();
  // The confirmation comes from the console's own state: the URL carries no text to show.
  await expect(page).toHaveURL(/\/ui\/intentions$/);
  await expect(list.notice('Saved web (peer dc2) → api.')).toBeVisible();
  const row = list.row({ destination: 'api', source: 'web', peer: 'dc2' });
  await expect(row).toContainText('peer: dc2');
  await expect(row).toContainText('allow');
  await expect(row).toContainText('storefront calls the API');

  const entry = await readEntry(dc1, 'api');
  expect(entry.Sources).toEqual([
    expect.objectContaining({ Name: 'web', Peer: 'dc2', Action: 'allow', Description: 'storefront calls the API' }),
  ]);
});

test('edit an allow rule to deny; the preview marks exactly the changed line', async ({ page, cluster }) => {
  await writeEntry(cluster, { Kind: 'service-intentions', Name: 'api', Sources: [{ ...WEB_TO_API, Description: 'storefront' }] });
  const editor = await openRule(page, cluster, WEB_FROM_DC2_TO_API);
  await expect(editor.destination).toHaveValue('api');
  await expect(editor.peer).toHaveValue('dc2');
  // By keyboard: arrow keys move the radio choice, Enter in a field asks for the review.
  await editor.allow.focus();
  await page.keyboard.press('ArrowDown');
  await expect(editor.deny).toBeChecked();
  await editor.source.press('Enter');

  const review = editor.review;
  await expect(review.added()).toHaveText([/"Action": "deny"/]);
  await expect(review.removed()).toHaveText([/"Action": "allow"/]);
  await expect(page.getByText('1 changed line')).toHaveCount(0);
  await expect(page.getByText('2 changed lines')).toBeVisible();

  await review.save();
  const list = new IntentionsPage(page);
  await expect(list.notice('Saved web (peer dc2) → api.')).toBeVisible();
  await expect(list.action({ destination: 'api', source: 'web', peer: 'dc2' })).toHaveText('deny');
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

  const editor = await openRule(page, cluster, WEB_FROM_DC2_TO_API);
  await expect(editor.permissions.getByRole('listitem')).toHaveCount(2);
  await expect(editor.permissions).toContainText('PathPrefix /v1/orders');
  await expect(page.getByText('Decided per request by the L7 permissions')).toBeVisible();

  await editor.description.fill('new text');
  await editor.reviewChanges();
  await expect(editor.review.added()).toHaveText([/"Description": "new text"/]);
  await expect(editor.review.removed()).toHaveText([/"Description": "old text"/]);
  await editor.review.save();
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
  await writeEntry(cluster, { Kind: 'service-intentions', Name: 'api', Sources: [WEB_TO_API] });
  const editor = await openRule(page, cluster, WEB_FROM_DC2_TO_API);
  await editor.deny.check();
  await editor.reviewChanges();
  await expect(editor.review.saveButton).toBeVisible();

  // Someone else adds a rule through the API while the operator reviews.
  const current = await readEntry(cluster, 'api');
  await writeEntry(
    cluster,
    { Kind: 'service-intentions', Name: 'api', Sources: [...current.Sources.map(({ Precedence, ...s }: any) => s), { Name: 'billing', Peer: 'dc2', Action: 'allow' }] },
    { cas: current.ModifyIndex },
  );

  await editor.review.save();
  const conflict = editor.review.conflict('Someone else changed these intentions');
  await expect(conflict).toBeVisible();
  await expect(conflict).toContainText('nothing was saved');
  await expect(editor.review.added('"Name": "billing"', conflict)).toHaveCount(1);
  // Nothing was overwritten.
  expect((await readEntry(cluster, 'api')).Sources.find((s: any) => s.Name === 'web').Action).toBe('allow');

  await editor.review.reapply(conflict);
  await expect(editor.review.added()).toHaveText([/"Action": "deny"/]);
  await expect(editor.review.json).toContainText('"billing"');
  await editor.review.save();
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
  const editor = await new IntentionEditor(page).gotoNew(cluster, '?peer=dc2');
  await expect(editor.peer).toHaveValue('dc2');
  await editor.fill({ destination: 'api', source: 'web*', description: 'keep me' });
  await editor.reviewAndSave();

  await expect(editor.source).toHaveAttribute('aria-invalid', 'true');
  await expect(editor.fieldError('source')).toHaveText("Name: wildcard character '*' cannot be used with partial values");
  await expect(editor.source).toHaveAccessibleDescription(/cannot be used with partial values/);
  await expect(editor.fieldError('peer')).toHaveText('');
  // The draft is intact; fixing the name saves.
  await expect(editor.description).toHaveValue('keep me');
  await editor.source.fill('web');
  await editor.reviewAndSave();
  await expect(page.getByText('Saved web (peer dc2) → api.')).toBeVisible();
  expect((await readEntry(cluster, 'api')).Sources).toHaveLength(3);
});

test('a wildcard peer is refused with Consul\'s reason before anything is sent', async ({ page, cluster }) => {
  const editor = await new IntentionEditor(page).gotoNew(cluster);
  await editor.fill({ destination: 'api', peer: '*', source: '*' });
  await editor.reviewChanges();
  await expect(editor.fieldError('peer')).toHaveText("cannot use wildcard '*' in peer");
  await expect(editor.peer).toHaveAttribute('aria-invalid', 'true');
  await expect(editor.review.saveButton).toHaveCount(0);
  expect(await readEntry(cluster, 'api')).toBeNull();
  // A wildcard service from a named peer is fine.
  await editor.peer.fill('dc2');
  await editor.reviewAndSave();
  const list = new IntentionsPage(page);
  await expect(list.notice('Saved * (peer dc2) → api.')).toBeVisible();
  // The wildcard rule opens from its row like any other.
  await list.ruleLink('Edit rule * (peer dc2) to api').click();
  await expect(editor.heading('Edit rule * (peer dc2) → api', 1)).toBeVisible();
  await expect(editor.source).toHaveValue('*');
});

test('deleting the last rule, after confirming, deletes the whole entry', async ({ page, cluster }) => {
  await writeEntry(cluster, { Kind: 'service-intentions', Name: 'api', Sources: [WEB_TO_API] });
  await writeEntry(cluster, { Kind: 'service-intentions', Name: 'db', Sources: [WEB_TO_API, { Name: 'api', Action: 'allow' }] });
  // A rule among others: only that rule goes.
  const editor = await openRule(page, cluster, /Edit rule web \(peer dc2\) to db/);
  await editor.deleteButton.click();
  await expect(editor.alertDialog).toContainText('The other rules for db stay as they are.');
  await editor.confirm('Delete');
  const list = new IntentionsPage(page);
  await expect(list.notice('Deleted web (peer dc2) → db.')).toBeVisible();
  expect((await readEntry(cluster, 'db')).Sources).toEqual([expect.objectContaining({ Name: 'api' })]);

  // The last rule: the confirmation says the entry goes, Cancel keeps it.
  await list.ruleLink(WEB_FROM_DC2_TO_API).click();
  await editor.deleteButton.click();
  await expect(editor.alertDialog).toContainText('the whole service-intentions entry for api is deleted');
  await editor.confirm('Cancel');
  await expect(editor.alertDialog).toHaveCount(0);
  expect(await readEntry(cluster, 'api')).not.toBeNull();
  await editor.deleteButton.click();
  await editor.confirm('Delete');
  await expect(list.notice('Deleted web (peer dc2) → api.')).toBeVisible();
  await expect(list.row({ destination: 'api' })).toHaveCount(0);
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
  const list = await new IntentionsPage(page).goto(cluster);
  await expect(list.rows).toHaveCount(4);
  await expect(list.action({ source: 'admin' })).toHaveText('L7 (1 permission)');

  await list.filter('Source peer').selectOption('dc2');
  await expect(list.rows).toHaveCount(1);
  await expect(page.getByText('1 of 4 rules')).toBeVisible();
  await list.filter('Source peer').selectOption({ label: 'This cluster only' });
  await expect(list.rows).toHaveCount(2);
  await list.filter('Destination').selectOption('db');
  await expect(list.rows).toHaveCount(1);
  await list.filter('Source peer').selectOption({ label: 'Any' });
  await list.filter('Destination').selectOption({ label: 'Any' });
  await list.filter('Action').selectOption({ label: 'L7 permissions' });
  await expect(list.rows).toHaveCount(1);
  await list.filter('Action').selectOption({ label: 'Any' });
  await list.search.fill('STOREFRONT');
  await expect(list.rows).toHaveCount(1);
  await expect(list.rows.first()).toContainText('peer: dc2');
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
  const list = await new IntentionsPage(page).goto(cluster);
  const talk = list.talk;
  await talk.ask({ peer: 'dc2', source: 'web', destination: 'api' });
  await expect(talk.answer).toContainText('Allowed');
  await expect(talk.answer).toContainText('Decided by the rule web (peer dc2) → api (precedence 9)');

  // Another service of dc2 meets the peer-wide wildcard.
  await talk.ask({ source: 'billing' });
  await expect(talk.answer).toContainText('Denied');
  await expect(talk.answer).toContainText('* (peer dc2) → api (precedence 8)');

  // The same name in this cluster is a different service: the local rule decides.
  await talk.ask({ peer: '', source: 'web' });
  await expect(talk.answer).toContainText('Decided by the rule web → api');

  // No rule for dc3: the cluster default (ACLs off: allow).
  await talk.ask({ peer: 'dc3' });
  await expect(talk.answer).toContainText('Allowed. No matching intention: the default (allow) applies');
  await expect(talk.answer.getByRole('link')).toHaveCount(0);
  await talk.ask({ peer: 'dc2' });
  await talk.answer.getByRole('link', { name: 'Open this rule' }).click();
  await expect(list.heading('Edit rule web (peer dc2) → api', 1)).toBeVisible();
});

test('a failed save keeps the draft; Save shows progress and sends once', async ({ page, cluster, expectConsoleError }) => {
  expectConsoleError(/status of 500/);
  await writeEntry(cluster, { Kind: 'service-intentions', Name: 'api', Sources: [WEB_TO_API] });
  const puts: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'PUT' && new URL(r.url()).pathname === '/v1/config') puts.push(r.url());
  });
  const editor = await openRule(page, cluster, WEB_FROM_DC2_TO_API);
  await editor.deny.check();
  await editor.description.fill('blocked during the incident');
  await editor.reviewChanges();
  await addFault(cluster, {
    path: '^/v1/config',
    method: 'PUT',
    delay_ms: 1500,
    status: 500,
    body: 'rpc error: code = Unknown desc = raft apply failed: leadership lost while committing log',
    times: 1,
  });

  await editor.review.saveButton.dblclick();
  const saving = page.getByRole('button', { name: 'Saving…' });
  await expect(saving).toBeDisabled();
  const alert = editor.alert('leadership lost');
  await expect(alert).toContainText('HTTP 500');
  expect(puts).toHaveLength(1);
  // Still reviewing the same change; nothing was lost.
  await expect(editor.review.added()).toHaveText([/"Action": "deny"/, /"Description": "blocked during the incident"/]);
  await editor.backToForm();
  await expect(editor.description).toHaveValue('blocked during the incident');
  await expect(editor.deny).toBeChecked();
  await editor.reviewAndSave();
  await expect(page.getByText('Saved web (peer dc2) → api.')).toBeVisible();
  expect((await readEntry(cluster, 'api')).Sources[0]).toMatchObject({ Action: 'deny', Description: 'blocked during the incident' });
});

test('a delete that loses the race deletes nothing and shows what changed', async ({ page, cluster }) => {
  await writeEntry(cluster, {
    Kind: 'service-intentions',
    Name: 'api',
    Sources: [WEB_TO_API, { Name: 'billing', Peer: 'dc2', Action: 'allow' }],
  });
  const editor = await openRule(page, cluster, WEB_FROM_DC2_TO_API);
  // Meanwhile someone turns billing into a deny.
  const current = await readEntry(cluster, 'api');
  const changed = current.Sources.map(({ Precedence, ...s }: any) => (s.Name === 'billing' ? { ...s, Action: 'deny' } : s));
  await writeEntry(cluster, { Kind: 'service-intentions', Name: 'api', Sources: changed }, { cas: current.ModifyIndex });

  await editor.deleteButton.click();
  await editor.confirm('Delete');
  const conflict = editor.review.conflict('Nothing was deleted');
  await expect(conflict).toBeVisible();
  await expect(editor.review.added(undefined, conflict)).toHaveText([/"Action": "deny"/]);
  expect((await readEntry(cluster, 'api')).Sources).toHaveLength(2);

  await conflict.getByRole('button', { name: 'Delete from the latest version' }).click();
  await editor.confirm('Delete');
  await expect(page.getByText('Deleted web (peer dc2) → api.')).toBeVisible();
  expect((await readEntry(cluster, 'api')).Sources).toEqual([expect.objectContaining({ Name: 'billing', Action: 'deny' })]);
});

test('the editor works under another content path, deep links included', async ({ page, startCluster }) => {
  const cluster = await startCluster({ contentPath: '/consul/ui/' });
  await writeEntry(cluster, { Kind: 'service-intentions', Name: 'api', Sources: [WEB_TO_API] });
  const editor = await new IntentionEditor(page).gotoRule(cluster, 'api', 'peer=dc2&source=web');
  await expect(editor.heading('Edit rule web (peer dc2) → api', 1)).toBeVisible();
  await editor.deny.check();
  await editor.reviewAndSave();
  await expect(page).toHaveURL(`${cluster.origin}/consul/ui/intentions`);
  const list = new IntentionsPage(page);
  await expect(list.action({ source: 'web' })).toHaveText('deny');
  await list.newIntention.click();
  await expect(page).toHaveURL(`${cluster.origin}/consul/ui/intentions/new`);
});
