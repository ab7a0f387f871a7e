// Signing in refetches what the page shows: on a cluster with ACLs on, each page is opened without a
// token (it shows a denial, or nothing), the operator signs in through the header with the
// management token, and the page then shows the data it could not show before, without a reload.
import { test as aclTest, expect, ROOT } from '../support/acl';
import { Cluster } from '../support/cluster';
import { generateToken, peerClusters, waitForImport, writeEntry } from '../support/api';
import { AddPeerPage, ConsolePage, ExportsPage, IntentionEditor, IntentionsPage, PeerPage, PeersPage, suggestions } from '../support/pages';

const AS_ROOT = { token: ROOT };
const WEB_FROM_DC2_TO_API = { Kind: 'service-intentions', Name: 'api', Sources: [{ Name: 'web', Peer: 'dc2', Action: 'allow' }] };

const test = aclTest.extend<{ imports: Cluster }>({
  // dc2, without ACLs, exports web and payments to dc1 (the ACL cluster under test), which dials it.
  imports: async ({ cluster, startCluster }, use) => {
    const dc2 = await startCluster({ datacenter: 'dc2', args: ['--seed', 'demo', '--seed-peer', 'dc1'] });
    await peerClusters(dc2, cluster, { tokens: { dialer: ROOT } });
    await waitForImport(cluster, 'dc2', 'web', AS_ROOT);
    await use(dc2);
  },
});

// Every anonymous request is denied (403), and Chromium logs each one.
test.beforeEach(({ expectConsoleError }) => expectConsoleError(/status of 403/));

/**
 * Marks the document, then signs in through the header: the mark survives only if the page was not
 * reloaded (nor left), so whatever shows afterwards was fetched again by the page itself.
 */
async function signInWithoutReload(shell: ConsolePage): Promise<() => Promise<void>> {
  await shell.page.evaluate(() => ((window as any).__openedAnonymously = true));
  await shell.signIn(ROOT);
  await expect(shell.signedIn).toBeVisible();
  return async () => expect(await shell.page.evaluate(() => (window as any).__openedAnonymously), 'the page was reloaded').toBe(true);
}

const suggested = (field: Parameters<typeof suggestions>[0]) => () => suggestions(field);

test('peers list: the peerings appear after signing in', async ({ page, cluster }) => {
  await generateToken(cluster, 'dc2', AS_ROOT);
  const peers = await new PeersPage(page).goto(cluster);
  await expect(peers.alert()).toContainText('HTTP 403');
  await expect(peers.row('dc2')).toHaveCount(0);

  const sameDocument = await signInWithoutReload(peers);
  await expect(peers.state('dc2', 'Pending')).toBeVisible();
  await expect(peers.alert()).toHaveCount(0);
  await sameDocument();
});

test('a peer\'s page: the peering and its imported services appear after signing in', async ({ page, cluster, imports }) => {
  const peer = await new PeerPage(page).goto(cluster, 'dc2');
  await expect(peer.alert()).toContainText('HTTP 403');
  await expect(peer.state('Active')).toHaveCount(0);

  const sameDocument = await signInWithoutReload(peer);
  await expect(peer.state('Active')).toBeVisible();
  await peer.openTab(/^Imported services/);
  await expect(peer.imported('web')).toBeVisible();
  await expect(peer.imported('payments')).toBeVisible();
  await sameDocument();
});

test('add peer: generating a token is allowed after signing in', async ({ page, cluster }) => {
  const add = await new AddPeerPage(page).goto(cluster);
  await expect(add.generateButton).toBeDisabled();
  await expect(add.generateButton).toHaveAttribute('title', /needs peering:write/);

  const sameDocument = await signInWithoutReload(add);
  await expect(add.generateButton).toBeEnabled();
  await add.generate('dc9');
  await expect(add.token).toBeVisible();
  await sameDocument();
});

test('intentions list: the rules appear after signing in', async ({ page, cluster }) => {
  await writeEntry(cluster, WEB_FROM_DC2_TO_API, AS_ROOT);
  const list = await new IntentionsPage(page).goto(cluster);
  const rule = list.ruleLink(/Edit rule web \(peer dc2\) to api/);
  await expect(list.empty.or(list.alert())).toBeVisible();
  await expect(rule).toHaveCount(0);

  const sameDocument = await signInWithoutReload(list);
  await expect(rule).toBeVisible();
  await sameDocument();
});

test('intention editor: the peer and source-service suggestions appear after signing in', async ({ page, cluster, imports }) => {
  const editor = await new IntentionEditor(page).gotoNew(cluster);
  await expect(editor.peer).toBeVisible();
  expect(await suggestions(editor.peer)).toEqual([]);

  const sameDocument = await signInWithoutReload(editor);
  // The peerings this cluster has, and what the chosen peer exports to it.
  await expect.poll(suggested(editor.peer), { message: 'peers suggested for Source peer' }).toContain('dc2');
  await editor.fill({ destination: 'api', peer: 'dc2' });
  await expect.poll(suggested(editor.source), { message: 'services suggested for Source service' }).toEqual(expect.arrayContaining(['web', 'payments']));
  // And the note that needs to know what dc2 exports.
  await editor.source.fill('billing');
  await expect(page.getByText('billing is not (yet) imported from dc2')).toBeVisible();
  await sameDocument();
});

test('Can it talk?: the decision and the peer suggestions use the rules after signing in', async ({ page, cluster }) => {
  await writeEntry(cluster, WEB_FROM_DC2_TO_API, AS_ROOT);
  await generateToken(cluster, 'dc3', AS_ROOT);
  const list = await new IntentionsPage(page).goto(cluster);
  await expect(list.talk.answer.filter({ hasText: 'Decided by the rule' })).toHaveCount(0);

  const sameDocument = await signInWithoutReload(list);
  const talk = list.talk;
  await talk.ask({ peer: 'dc2', source: 'web', destination: 'api' });
  await expect(talk.answer).toContainText('Decided by the rule web (peer dc2) → api');
  // A peering without rules is suggested too: the page knows this cluster's peerings.
  await expect.poll(suggested(talk.peer), { message: 'peers suggested for Source peer' }).toContain('dc3');
  await sameDocument();
});

test('exports: the exported services, and which peers are peered, appear after signing in', async ({ page, cluster }) => {
  await generateToken(cluster, 'dc2', AS_ROOT);
  await generateToken(cluster, 'dc3', AS_ROOT);
  await writeEntry(
    cluster,
    {
      Kind: 'exported-services',
      Name: 'default',
      Services: [
        { Name: 'api', Consumers: [{ Peer: 'dc2' }] },
        { Name: 'web', Consumers: [{ Peer: 'dc9' }] },
      ],
    },
    AS_ROOT,
  );
  // Consul filters the list for the anonymous token; the entry itself answers 403.
  const exports = await new ExportsPage(page).goto(cluster);
  // A list filtered by ACLs is not "nothing exported": the page says what the token lacks.
  await expect(exports.alert()).toContainText('mesh:read');
  await expect(page.getByText('This cluster exports nothing yet')).toHaveCount(0);
  await expect(exports.row('api')).toHaveCount(0);

  const sameDocument = await signInWithoutReload(exports);
  await expect(exports.row('api')).toBeVisible();
  // Knowing this cluster's peerings: dc9 is not one of them, dc2 is, and dc3 can be filtered on.
  await expect(exports.row('web').getByText('(not peered)')).toBeVisible();
  await expect(exports.row('api')).not.toContainText('not peered');
  await expect(exports.peerFilter.locator('option', { hasText: 'dc3' })).toHaveCount(1);
  await sameDocument();
});
