import { Page } from '@playwright/test';
import { test, expect, ROOT, tokenWith } from '../support/acl';
import { generateToken, writeEntry } from '../support/api';
import { AddPeerPage, ConsolePage, GatewaysPage, PeerPage, PeersPage } from '../support/pages';

test.describe('ACLs on', () => {
  // The console starts signed out: Consul answers the anonymous token's requests with 403, which
  // Chromium logs (and so do tokens that lack a permission).
  test.beforeEach(({ expectConsoleError }) => expectConsoleError(/status of 403/));


  test('without a token the Peers view explains the anonymous denial and offers sign-in', async ({ page, cluster }) => {
    const peers = await new PeersPage(page).goto(cluster);
    await expect(peers.alert()).toContainText('Sign in with an ACL token');
    await expect(peers.alert()).toContainText('HTTP 403');
    await expect(peers.alert()).toContainText('peering = "read"');
    await peers.signInFromAlert();
    await expect(peers.signInDialog.root).toBeVisible();
  });

  test('a read-only token sees peers, and write actions are disabled naming peering:write', async ({ page, cluster }) => {
    await generateToken(cluster, 'dc2', { token: ROOT });
    const { secret } = await tokenWith(cluster, 'peering-read', 'peering = "read"');
    const peers = await new PeersPage(page).goto(cluster);
    await peers.signIn(secret);
    await expect(peers.signedIn).toHaveText('Signed in: peering-read token');
    await expect(peers.row('dc2')).toBeVisible();
    await expect(peers.deleteButton('dc2')).toBeDisabled();
    await expect(peers.deleteButton('dc2')).toHaveAttribute('title', /needs peering:write/);
    await expect(peers.addPeer).toHaveAttribute('aria-disabled', 'true');
    await expect(peers.addPeer).toHaveAttribute('title', /needs peering:write/);
    await peers.link('dc2').click();
    const peer = new PeerPage(page);
    await expect(peer.regenerateButton).toBeDisabled();
    await expect(peer.deleteButton).toHaveAttribute('title', /needs peering:write/);
  });

  test('a token without peering rights sees the permission and rule in place', async ({ page, cluster }) => {
    const { secret } = await tokenWith(cluster, 'services-only', 'service_prefix "" { policy = "read" }');
    const peers = await new PeersPage(page).goto(cluster);
    await peers.signIn(secret);
    await expect(peers.alert()).toContainText('Your token lacks peering:read');
    await expect(peers.alert()).toContainText('peering = "read"');
  });

  test('an operator-only token works through the operator fallback', async ({ page, cluster }) => {
    const { secret } = await tokenWith(cluster, 'operator', 'operator = "write"');
    const peers = await new PeersPage(page).goto(cluster);
    await peers.signIn(secret);
    await expect(peers.empty).toBeVisible();
    await peers.addPeer.click();
    const add = new AddPeerPage(page);
    await add.name.fill('dc9');
    await add.generateButton.click();
    await expect(add.token).toBeVisible();
  });

  test('sign-in for the tab, remember on this browser, reload, and sign out', async ({ page, context, cluster }) => {
    const { secret } = await tokenWith(cluster, 'peering-read', 'peering = "read"');
    const first = await new PeersPage(page).goto(cluster);
    await first.signIn(secret);
    await page.reload();
    await expect(first.signedIn).toBeVisible();
    // Not remembered: another tab starts signed out.
    const other = await new PeersPage(await context.newPage()).goto(cluster);
    await expect(other.signInButton).toBeVisible();
    // Remembered: another tab is signed in.
    await other.signInButton.click();
    await signInFromOpenDialog(other, secret, true);
    const third = await new PeersPage(await context.newPage()).goto(cluster);
    await expect(third.signedIn).toBeVisible();
    await third.signOutButton.click();
    await expect(third.signInButton).toBeVisible();
    await expect(third.alert()).toContainText('Sign in with an ACL token');
    const fourth = await new PeersPage(await context.newPage()).goto(cluster);
    await expect(fourth.signInButton).toBeVisible();
  });

  /** Signs in from the open dialog by filling the field and clicking, checking show/hide on the way. */
  async function signInFromOpenDialog(shell: ConsolePage, secret: string, remember: boolean) {
    const dialog = shell.signInDialog;
    await dialog.token.fill(secret);
    // Masked by default, with show/hide.
    await expect(dialog.token).toHaveAttribute('type', 'password');
    await dialog.show.click();
    await expect(dialog.token).toHaveAttribute('type', 'text');
    if (remember) await dialog.remember.check();
    await dialog.submit.click();
    await expect(shell.signedIn).toBeVisible();
  }

  test('a deleted token gives the ACL-not-found path and sign-in again works', async ({ page, cluster }) => {
    const doomed = await tokenWith(cluster, 'peering-read', 'peering = "read"');
    const spare = await tokenWith(cluster, 'peering-write', 'peering = "write"');
    const peers = await new PeersPage(page).goto(cluster);
    await peers.signIn(doomed.secret);
    await expect(peers.empty).toBeVisible();
    expect((await cluster.api('DELETE', `/v1/acl/token/${doomed.accessor}`, undefined, ROOT)).status).toBe(200);
    await page.reload();
    const alert = peers.alert('ACL not found');
    await expect(alert).toContainText('Consul does not know this ACL token');
    await peers.signInFromAlert('ACL not found');
    await signInFromOpenDialog(peers, spare.secret, false);
    await expect(peers.empty).toBeVisible();
  });

  test('a wrong token is refused at sign-in and what was typed is kept', async ({ page, cluster }) => {
    const peers = await new PeersPage(page).goto(cluster);
    await peers.signInButton.click();
    const dialog = peers.signInDialog;
    await dialog.token.fill('00000000-not-a-real-token');
    await dialog.submit.click();
    await expect(dialog.error).toContainText('ACL not found');
    await expect(dialog.token).toHaveValue('00000000-not-a-real-token');
  });

  test('the token never appears in a request URL', async ({ page, cluster }) => {
    const { secret } = await tokenWith(cluster, 'peering-write', 'peering = "write"');
    const urls: string[] = [];
    page.on('request', (r) => urls.push(r.url()));
    const peers = await new PeersPage(page).goto(cluster);
    await peers.signIn(secret, { remember: true });
    await peers.addPeer.click();
    const add = new AddPeerPage(page);
    await add.generate('dc3');
    const peer = await new PeerPage(page).goto(cluster, 'dc3');
    await expect(peer.state('Pending')).toBeVisible();
    expect(urls.length).toBeGreaterThan(5);
    for (const url of urls) expect(url).not.toContain(secret);
  });

  test('a token that may not see services is not told that no mesh gateway is registered', async ({ page, startCluster }) => {
    // A cluster with a healthy mesh gateway that exports to dc2: no gateway warning is due.
    const acl = await startCluster({ args: ['--acl-initial-management-token', ROOT, '--seed', 'demo'] });
    await writeEntry(acl, { Kind: 'exported-services', Name: 'default', Services: [{ Name: 'web', Consumers: [{ Peer: 'dc2' }] }] }, { token: ROOT });
    const { secret } = await tokenWith(acl, 'no-services', 'peering = "read"\nmesh = "read"');
    const peers = await new PeersPage(page).goto(acl);
    await peers.signIn(secret);
    await expect(peers.signedIn).toHaveText('Signed in: no-services token');
    // Consul hides the gateway from this token: unknown, so no alarm.
    await peers.nav('Gateways').click();
    const gateways = new GatewaysPage(page);
    await expect(gateways.noneVisible).toBeVisible();
    await expect(page.getByText('it needs service:read')).toBeVisible();
    await expect(gateways.warning).toHaveCount(0);
    // On Peers the warning's data ends with the exported-services entry: once it is in and a frame
    // has been drawn, a warning would be on screen.
    const lastRead = page.waitForResponse((r) => r.url().includes('/v1/config/exported-services'));
    await gateways.nav('Peers').click();
    await expect(peers.heading('Peers', 1)).toBeVisible();
    await lastRead;
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    await expect(peers.gatewayWarning).toHaveCount(0);
  });

  test('Escape closes the sign-in panel', async ({ page, cluster }) => {
    const peers = await new PeersPage(page).goto(cluster);
    await peers.signInButton.click();
    await expect(peers.signInDialog.root).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(peers.signInDialog.root).toHaveCount(0);
  });
});

test('ACLs off: no sign-in needed and the header says so', async ({ page, startCluster }) => {
  const cluster = await startCluster();
  const peers = await new PeersPage(page).goto(cluster);
  await expect(page.getByText('ACLs off')).toBeVisible();
  await expect(peers.signInButton).toHaveCount(0);
});
