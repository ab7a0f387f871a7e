// The peers page's first `/v1/peerings` starts in public/loader.js, in parallel with the wasm
// download, and the app uses that answer instead of asking again: one request on
// first load, with the stored token, and every answer (a list, a denial) shown as before.
import { Page } from '@playwright/test';
import { test as plain, expect } from '../support/test';
import { test as withAcls, ROOT, tokenWith } from '../support/acl';
import { generateToken } from '../support/api';
import { PeersPage } from '../support/pages';

/** Every `/v1/peerings` request the page sends, with the token it carried. */
function watchPeerings(page: Page): { token: string | undefined }[] {
  const seen: { token: string | undefined }[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/v1/peerings') seen.push({ token: r.headers()['x-consul-token'] });
  });
  return seen;
}

/** Long enough for a second request to show up, well under the 5 s poll. */
const settle = (page: Page) => page.waitForTimeout(1_000);

plain('the peers page asks for the list once on first load, at the base path and at /peers', async ({ page, cluster }) => {
  for (const name of ['alpha', 'bravo']) await generateToken(cluster, name);
  for (const route of ['peers', '']) {
    const requests = watchPeerings(page);
    await page.goto(cluster.ui(route));
    const peers = new PeersPage(page);
    await expect(peers.row('alpha')).toBeVisible();
    await expect(peers.count('2 peerings')).toBeVisible();
    // The loader's answer carries the Date header the ages are measured by.
    await expect(peers.row('bravo')).toContainText(/Pending/i);
    await settle(page);
    expect(requests, `requests for /v1/peerings from /ui/${route}`).toEqual([{ token: undefined }]);
    page.removeAllListeners('request');
  }
});

plain('another page does not get the early answer: it asks itself', async ({ page, cluster }) => {
  await generateToken(cluster, 'alpha');
  const requests = watchPeerings(page);
  await page.goto(cluster.ui('exports'));
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await page.getByRole('link', { name: 'Peers', exact: true }).first().click();
  await expect(new PeersPage(page).row('alpha')).toBeVisible();
  // Exports asked once for its own list, the peers page once more for a fresh one.
  await expect.poll(() => requests.length).toBeGreaterThanOrEqual(2);
});

withAcls.describe('ACLs on', () => {
  withAcls.beforeEach(({ expectConsoleError }) => expectConsoleError(/status of 403/));

  withAcls('a denial on the first load is shown as before, from one request', async ({ page, cluster }) => {
    const requests = watchPeerings(page);
    const peers = await new PeersPage(page).goto(cluster);
    await expect(peers.alert()).toContainText('Sign in with an ACL token');
    await expect(peers.alert()).toContainText('HTTP 403');
    await expect(peers.alert()).toContainText('peering = "read"');
    await settle(page);
    expect(requests).toEqual([{ token: undefined }]);
  });

  withAcls('the stored token goes with the early request, for the tab and when remembered', async ({ page, cluster }) => {
    await generateToken(cluster, 'dc2', { token: ROOT });
    const reader = await tokenWith(cluster, 'peering-read', 'peering = "read"');
    const peers = await new PeersPage(page).goto(cluster);
    await peers.signIn(reader.secret);
    await expect(peers.row('dc2')).toBeVisible();
    for (const remember of [false, true]) {
      if (remember) {
        await peers.signOutButton.click();
        await peers.signIn(reader.secret, { remember: true });
        await expect(peers.row('dc2')).toBeVisible();
      }
      const requests = watchPeerings(page);
      await page.reload();
      await expect(peers.row('dc2')).toBeVisible();
      await expect(peers.signedIn).toHaveText('Signed in: peering-read token');
      await settle(page);
      expect(requests, remember ? 'remembered token' : 'tab token').toEqual([{ token: reader.secret }]);
      page.removeAllListeners('request');
    }
  });

  withAcls('a token without peering rights gets its denial explained from the early answer', async ({ page, cluster }) => {
    const { secret } = await tokenWith(cluster, 'services-only', 'service_prefix "" { policy = "read" }');
    const peers = await new PeersPage(page).goto(cluster);
    await peers.signIn(secret);
    await expect(peers.alert()).toContainText('Your token lacks peering:read');
    const requests = watchPeerings(page);
    await page.reload();
    await expect(peers.alert()).toContainText('Your token lacks peering:read');
    await expect(peers.alert()).toContainText('peering = "read"');
    await settle(page);
    expect(requests).toEqual([{ token: secret }]);
  });
});
