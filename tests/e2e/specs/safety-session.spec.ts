// Two tabs of one browser: signing in "for this tab" in one leaves the token another tab chose to
// remember on this browser alone, and each tab keeps using its own.
import { test, expect, tokenWith } from '../support/acl';
import { PeersPage } from '../support/pages';

test.describe('sessions in two tabs', () => {
  // Signed-out pages ask Consul without a token and get 403s, which Chromium logs.
  test.beforeEach(({ expectConsoleError }) => expectConsoleError(/status of 403.*\/v1\//));

  test('a tab-only sign-in keeps the remembered token of the other tab', async ({ page, context, cluster }) => {
    const alice = await tokenWith(cluster, 'alice', 'peering = "read"');
    const bob = await tokenWith(cluster, 'bob', 'peering = "read"');
    const a = await new PeersPage(page).goto(cluster);
    const b = await new PeersPage(await context.newPage()).goto(cluster);

    await a.signIn(alice.secret, { remember: true });
    await expect(a.signedIn).toHaveText('Signed in: alice token');
    await b.signInButton.click();
    await expect(b.signInDialog.root).toContainText('Signing in for this tab leaves a token remembered on this browser in place for other tabs.');
    await b.signInDialog.token.fill(bob.secret);
    await expect(b.signInDialog.remember).not.toBeChecked();
    await b.signInDialog.submit.click();
    await expect(b.signedIn).toHaveText('Signed in: bob token');

    await a.page.reload();
    await expect(a.signedIn).toHaveText('Signed in: alice token');
    await b.page.reload();
    await expect(b.signedIn).toHaveText('Signed in: bob token');

    // A new tab uses the remembered token.
    const c = await new PeersPage(await context.newPage()).goto(cluster);
    await expect(c.signedIn).toHaveText('Signed in: alice token');

    // Signing out of the tab-only token signs out that tab only, and it stays signed out.
    await b.signOutButton.click();
    await expect(b.signInButton).toBeVisible();
    await expect(b.signedIn).toBeHidden();
    await b.page.reload();
    await expect(b.signInButton).toBeVisible();
    await expect(b.signedIn).toBeHidden();
    await a.page.reload();
    await expect(a.signedIn).toHaveText('Signed in: alice token');

    // Signing out where the remembered token is used forgets it on this browser.
    await expect(a.signOutButton).toHaveAttribute('title', 'Also forgets the token remembered on this browser');
    await a.signOutButton.click();
    await expect(a.signInButton).toBeVisible();
    const d = await new PeersPage(await context.newPage()).goto(cluster);
    await expect(d.signInButton).toBeVisible();
    await expect(d.signedIn).toBeHidden();
  });
});
