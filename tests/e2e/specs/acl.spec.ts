import { Page } from '@playwright/test';
import { test, expect, ROOT, tokenWith, signIn } from '../support/acl';
import { generateToken } from '../support/api';

test.describe('ACLs on', () => {
  // The console starts signed out: Consul answers the anonymous token's requests with 403, which
  // Chromium logs (and so do tokens that lack a permission).
  test.beforeEach(({ expectConsoleError }) => expectConsoleError(/status of 403/));

  test('without a token the Peers view explains the anonymous denial and offers sign-in', async ({ page, cluster }) => {
    await page.goto(cluster.ui('peers'));
    const alert = page.getByRole('alert');
    await expect(alert).toContainText('Sign in with an ACL token');
    await expect(alert).toContainText('HTTP 403');
    await expect(alert).toContainText('peering = "read"');
    await alert.getByRole('button', { name: 'Sign in with another token' }).click();
    await expect(page.getByRole('dialog', { name: 'Sign in with an ACL token' })).toBeVisible();
  });

  test('a read-only token sees peers, and write actions are disabled naming peering:write', async ({ page, cluster }) => {
    await generateToken(cluster, 'dc2', { token: ROOT });
    const { secret } = await tokenWith(cluster, 'peering-read', 'peering = "read"');
    await page.goto(cluster.ui('peers'));
    await signIn(page, secret);
    await expect(page.getByTestId('signed-in')).toHaveText('Signed in: peering-read token');
    const row = page.getByRole('row', { name: /dc2/ });
    await expect(row).toBeVisible();
    await expect(row.getByRole('button', { name: 'Delete dc2' })).toBeDisabled();
    await expect(row.getByRole('button', { name: 'Delete dc2' })).toHaveAttribute('title', /needs peering:write/);
    const add = page.getByRole('link', { name: 'Add peer connection' });
    await expect(add).toHaveAttribute('aria-disabled', 'true');
    await expect(add).toHaveAttribute('title', /needs peering:write/);
    await row.getByRole('link', { name: 'dc2' }).click();
    await expect(page.getByRole('button', { name: 'Regenerate token' })).toBeDisabled();
    await expect(page.getByRole('button', { name: 'Delete' })).toHaveAttribute('title', /needs peering:write/);
  });

  test('a token without peering rights sees the permission and rule in place', async ({ page, cluster }) => {
    const { secret } = await tokenWith(cluster, 'services-only', 'service_prefix "" { policy = "read" }');
    await page.goto(cluster.ui('peers'));
    await signIn(page, secret);
    const alert = page.getByRole('alert');
    await expect(alert).toContainText('Your token lacks peering:read');
    await expect(alert).toContainText('peering = "read"');
  });

  test('an operator-only token works through the operator fallback', async ({ page, cluster }) => {
    const { secret } = await tokenWith(cluster, 'operator', 'operator = "write"');
    await page.goto(cluster.ui('peers'));
    await signIn(page, secret);
    await expect(page.getByText('No peer connections yet')).toBeVisible();
    await page.getByRole('link', { name: 'Add peer connection' }).first().click();
    await page.getByLabel('Name of peer').first().fill('dc9');
    await page.getByRole('button', { name: 'Generate token' }).last().click();
    await expect(page.getByRole('textbox', { name: 'Peering token' })).toBeVisible();
  });

  test('sign-in for the tab, remember on this browser, reload, and sign out', async ({ page, context, cluster }) => {
    const { secret } = await tokenWith(cluster, 'peering-read', 'peering = "read"');
    await page.goto(cluster.ui('peers'));
    await signIn(page, secret);
    await page.reload();
    await expect(page.getByTestId('signed-in')).toBeVisible();
    // Not remembered: another tab starts signed out.
    const other = await context.newPage();
    await other.goto(cluster.ui('peers'));
    await expect(other.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
    // Remembered: another tab is signed in.
    await other.getByRole('button', { name: 'Sign in', exact: true }).click();
    await signInFromOpenDialog(other, secret, true);
    const third = await context.newPage();
    await third.goto(cluster.ui('peers'));
    await expect(third.getByTestId('signed-in')).toBeVisible();
    await third.getByRole('button', { name: 'Sign out' }).click();
    await expect(third.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
    await expect(third.getByRole('alert')).toContainText('Sign in with an ACL token');
    const fourth = await context.newPage();
    await fourth.goto(cluster.ui('peers'));
    await expect(fourth.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
  });

  async function signInFromOpenDialog(page: Page, secret: string, remember: boolean) {
    const dialog = page.getByRole('dialog', { name: 'Sign in with an ACL token' });
    await dialog.getByLabel('ACL token (SecretID)').fill(secret);
    // Masked by default, with show/hide.
    await expect(dialog.getByLabel('ACL token (SecretID)')).toHaveAttribute('type', 'password');
    await dialog.getByRole('button', { name: 'Show' }).click();
    await expect(dialog.getByLabel('ACL token (SecretID)')).toHaveAttribute('type', 'text');
    if (remember) await dialog.getByLabel('Remember on this browser').check();
    await dialog.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.getByTestId('signed-in')).toBeVisible();
  }

  test('a deleted token gives the ACL-not-found path and sign-in again works', async ({ page, cluster }) => {
    const doomed = await tokenWith(cluster, 'peering-read', 'peering = "read"');
    const spare = await tokenWith(cluster, 'peering-write', 'peering = "write"');
    await page.goto(cluster.ui('peers'));
    await signIn(page, doomed.secret);
    await expect(page.getByText('No peer connections yet')).toBeVisible();
    expect((await cluster.api('DELETE', `/v1/acl/token/${doomed.accessor}`, undefined, ROOT)).status).toBe(200);
    await page.reload();
    const alert = page.getByRole('alert').filter({ hasText: 'ACL not found' });
    await expect(alert).toContainText('Consul does not know this ACL token');
    await alert.getByRole('button', { name: 'Sign in with another token' }).click();
    await signInFromOpenDialog(page, spare.secret, false);
    await expect(page.getByText('No peer connections yet')).toBeVisible();
  });

  test('a wrong token is refused at sign-in and what was typed is kept', async ({ page, cluster }) => {
    await page.goto(cluster.ui('peers'));
    await page.getByRole('button', { name: 'Sign in', exact: true }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Sign in with an ACL token' });
    await dialog.getByLabel('ACL token (SecretID)').fill('00000000-not-a-real-token');
    await dialog.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(dialog.getByRole('alert')).toContainText('ACL not found');
    await expect(dialog.getByLabel('ACL token (SecretID)')).toHaveValue('00000000-not-a-real-token');
  });

  test('the token never appears in a request URL', async ({ page, cluster }) => {
    const { secret } = await tokenWith(cluster, 'peering-write', 'peering = "write"');
    const urls: string[] = [];
    page.on('request', (r) => urls.push(r.url()));
    await page.goto(cluster.ui('peers'));
    await signIn(page, secret, true);
    await page.getByRole('link', { name: 'Add peer connection' }).first().click();
    await page.getByLabel('Name of peer').first().fill('dc3');
    await page.getByRole('button', { name: 'Generate token' }).last().click();
    await expect(page.getByRole('textbox', { name: 'Peering token' })).toBeVisible();
    await page.goto(cluster.ui('peers/dc3'));
    await expect(page.locator('.state-line [data-state="Pending"]')).toBeVisible();
    expect(urls.length).toBeGreaterThan(5);
    for (const url of urls) expect(url).not.toContain(secret);
  });

  test('Escape closes the sign-in panel', async ({ page, cluster }) => {
    await page.goto(cluster.ui('peers'));
    await page.getByRole('button', { name: 'Sign in', exact: true }).first().click();
    await expect(page.getByRole('dialog', { name: 'Sign in with an ACL token' })).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog', { name: 'Sign in with an ACL token' })).toHaveCount(0);
  });
});

test('ACLs off: no sign-in needed and the header says so', async ({ page, startCluster }) => {
  const cluster = await startCluster();
  await page.goto(cluster.ui('peers'));
  await expect(page.getByText('ACLs off')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toHaveCount(0);
});
