// The journeys that depend on Consul's words and shapes. Tagged @profile, they run
// against the stand-in as the newest Consul, as Consul 1.14, and as a client agent whose
// default_intention_policy is deny (the Playwright projects in playwright.config.ts).
import { test, expect } from '../support/test';
import { test as aclTest, ROOT } from '../support/acl';
import { FAST_STREAM } from '../support/cluster';
import { addFault, readEntry, writeEntry } from '../support/api';
import { AddPeerPage, ExportsPage, IntentionEditor, IntentionsPage, PeerPage, PeersPage } from '../support/pages';

test('@profile two operators peer dc1 and dc2 in the browser; list and detail read right on each side', async ({ startCluster, newContext, simProfile, expectConsoleError }) => {
  const dc1 = await startCluster({ datacenter: 'dc1', args: FAST_STREAM });
  const dc2 = await startCluster({ datacenter: 'dc2', args: FAST_STREAM });
  const op1 = await (await newContext()).newPage();
  const op2 = await (await newContext()).newPage();

  const add1 = await new AddPeerPage(op1).goto(dc1);
  const token = await add1.generate('dc2');
  // Before dc2 dials, dc1's peering is a pending acceptor: no stream times yet (1.14 sends zero
  // times for it), which must read as never, not as a date 56 years ago.
  const peers1 = await new PeersPage(op1).goto(dc1);
  await expect(peers1.state('dc2', 'Pending')).toBeVisible();
  await expect(peers1.row('dc2')).toContainText('None yet');
  await expect(peers1.row('dc2').locator('[title*="1970"], [title*="0001"]')).toHaveCount(0);
  await expect(peers1.row('dc2')).not.toContainText('years ago');

  const add2 = await new AddPeerPage(op2).goto(dc2);
  await add2.establish('dc1', token);
  const peer2 = new PeerPage(op2);
  await expect(peer2.state('Active')).toBeVisible({ timeout: 15_000 });
  await expect(op2.getByText('This cluster dialed the other one, using the token the other cluster generated.')).toBeVisible();
  await peers1.goto(dc1);
  await expect(peers1.state('dc2', 'Active')).toBeVisible({ timeout: 15_000 });
  const peer1 = await new PeerPage(op1).goto(dc1, 'dc2');
  await expect(peer1.state('Active')).toBeVisible();
  await expect(op1.getByText('This cluster generated the peering token and accepts the connection from the other cluster.')).toBeVisible();

  if (simProfile.name === 'consul-1.14') {
    // Consul 1.14 accepts upper-case names (1.15+ refuses them): listed, opened and deleted
    // (once gone, the page's poll gets a 404 and says so).
    expectConsoleError(/status of 404 .*\/v1\/peering\/DC3/);
    await dc1.api('POST', '/v1/peering/token', { PeerName: 'DC3' });
    await peers1.goto(dc1);
    await expect(peers1.state('DC3', 'Pending')).toBeVisible();
    await peers1.link('DC3').click();
    const dc3 = new PeerPage(op1);
    await expect(dc3.state('Pending')).toBeVisible();
    await dc3.deleteButton.click();
    await op1.getByRole('alertdialog').getByRole('button', { name: 'Delete peering' }).click();
    await expect(dc3.notFound('DC3')).toBeVisible({ timeout: 15_000 });
  }
});

test('@profile Consul\'s validation error on an intention save lands at its field, forwarded or not', async ({ page, cluster, expectConsoleError }) => {
  expectConsoleError(/status of 500/);
  const editor = await new IntentionEditor(page).gotoNew(cluster, '?peer=dc2');
  await editor.fill({ destination: 'api', source: 'web*', description: 'keep me' });
  await editor.reviewAndSave();
  await expect(editor.source).toHaveAttribute('aria-invalid', 'true');
  // Whatever wraps it (a client agent's "rpc error making call: ", 1.14's gRPC wrapper).
  await expect(editor.fieldError('source')).toHaveText("Name: wildcard character '*' cannot be used with partial values");
  await expect(editor.description).toHaveValue('keep me');
});

test('@profile an export saved from /exports reaches Consul', async ({ page, startCluster }) => {
  const dc1 = await startCluster({ datacenter: 'dc1', args: ['--seed', 'demo'] });
  const exports = await new ExportsPage(page).goto(dc1);
  await exports.formService.fill('db');
  await exports.formPeer.fill('dc2');
  await exports.reviewNewExport();
  await exports.review.save();
  await expect(exports.review.saved('export db to dc2')).toBeVisible();
  const names = (await readEntry(dc1, 'exported-services', 'default')).Services.map((s: any) => s.Name);
  expect(names).toContain('db');
});

aclTest('@profile an anonymous denial leads to sign-in, in every wording', async ({ page, cluster, expectConsoleError }) => {
  expectConsoleError(/status of 403/);
  await cluster.api('POST', '/v1/peering/token', { PeerName: 'west' }, ROOT);
  const peers = await new PeersPage(page).goto(cluster);
  // Never "your token lacks …" to someone who has not signed in.
  await expect(peers.alert()).toContainText('Sign in with an ACL token');
  await expect(peers.alert()).not.toContainText('Your token lacks');
  await peers.signInFromAlert();
  const dialog = peers.signInDialog;
  await expect(dialog.token).toBeFocused();
  await page.keyboard.type(ROOT);
  await page.keyboard.press('Enter');
  await expect(peers.state('west', 'Pending')).toBeVisible();
});

test('@profile "Can it talk?" with no matching intention gives the default that Consul applies', async ({ page, cluster, simProfile }) => {
  await writeEntry(cluster, { Kind: 'service-intentions', Name: 'api', Sources: [{ Name: 'web', Peer: 'dc2', Action: 'allow' }] });
  const list = await new IntentionsPage(page).goto(cluster);
  await list.talk.ask({ peer: 'dc3', source: 'web', destination: 'api' });
  if (simProfile.name === 'client-agent') {
    // default_intention_policy = deny on this agent decides before the ACL default (allow: ACLs off).
    await expect(list.talk.answer).toContainText('Denied. No matching intention: the default (deny) applies');
    await expect(list.talk.answer).toContainText('as configured on this agent');
  } else {
    await expect(list.talk.answer).toContainText('Allowed. No matching intention: the default (allow) applies');
    await expect(list.talk.answer).toContainText('ACL default policy');
  }
});

test('"Can it talk?" says the answer depends on the agent when the token may not read its setting', async ({ page, cluster, expectConsoleError }) => {
  expectConsoleError(/status of 403 .*\/v1\/agent\/self/);
  await addFault(cluster, { path: '^/v1/agent/self$', status: 403, body: "Permission denied: token with AccessorID 'x' lacks permission 'agent:read' on \"dc1\"" });
  const list = await new IntentionsPage(page).goto(cluster);
  await list.talk.ask({ peer: 'dc3', source: 'web', destination: 'api' });
  await expect(list.talk.answer).toContainText("Depends on this agent's default_intention_policy");
  await expect(list.talk.answer).toContainText('if it is allow, the connection is allowed; if deny, denied');
});

test('suggested source services of a peer are what it exports here, never this cluster\'s own', async ({ page, startCluster }) => {
  const dc1 = await startCluster({ datacenter: 'dc1', args: [...FAST_STREAM, '--seed', 'demo'] });
  const dc2 = await startCluster({ datacenter: 'dc2', args: [...FAST_STREAM, '--seed', 'demo', '--seed-peer', 'dc1'] });
  const token = JSON.parse((await dc2.api('POST', '/v1/peering/token', { PeerName: 'dc1' })).text).PeeringToken;
  await dc1.api('POST', '/v1/peering/establish', { PeerName: 'dc2', PeeringToken: token });
  // dc2's demo entry exports web and payments to dc1; dc1 has web, api, payments, db itself.
  const editor = await new IntentionEditor(page).gotoNew(dc1, '?peer=dc2');
  await editor.fill({ destination: 'api', source: 'db' });
  await expect(page.getByText('db is not (yet) imported from dc2')).toBeVisible({ timeout: 15_000 });
  await editor.source.fill('web');
  await expect(page.getByText('web is not (yet) imported from dc2')).toHaveCount(0);
});

test('generating a token for a name that already waits to be dialed warns first', async ({ page, cluster }) => {
  await cluster.api('POST', '/v1/peering/token', { PeerName: 'dc2' });
  const add = await new AddPeerPage(page).goto(cluster);
  await add.name.fill('dc2');
  await expect(page.getByText('A peering named dc2 is already waiting for the other cluster to use its token (Pending).')).toBeVisible();
  await add.name.fill('dc9');
  await expect(page.getByText(/already waiting for the other cluster/)).toHaveCount(0);
});

test('a state this console does not know shows Consul\'s own word, explained', async ({ page, cluster }) => {
  await addFault(cluster, {
    path: '^/v1/peerings$',
    status: 200,
    body: JSON.stringify([{ Name: 'old', State: 'INITIAL', StreamStatus: {} }]),
  });
  const peers = await new PeersPage(page).goto(cluster);
  const badge = peers.row('old').locator('.badge');
  await expect(badge).toHaveText(/INITIAL/);
  await expect(badge).toHaveAttribute('title', /does not know/);
});
