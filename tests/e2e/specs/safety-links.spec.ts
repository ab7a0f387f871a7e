// Crafted console links never reach another API path with the operator's token. Consul 1.14–1.19
// serve the API on Go's pre-1.22 ServeMux, which cleans the *decoded* path and answers 301 to the
// cleaned one (tests/consul-sim/README.md, profiles); fetch would follow it with X-Consul-Token.
// The console refuses such names before building a path (docs/routes.md) and never follows a
// redirect (src/api/client.rs).
import { Request } from '@playwright/test';
import { test, expect } from '../support/test';
import { ROOT } from '../support/acl';
import { generateToken } from '../support/api';
import { PeerPage, PeersPage } from '../support/pages';

type Seen = { path: string; token: boolean; redirected: boolean };

// Paths no page reads for a valid name: where the crafted links try to land.
const FORBIDDEN = [/\/v1\/acl\/(tokens|policies)/, /\/v1\/snapshot/, /\/v1\/config\/proxy-defaults/];

/** The path decoded until it stops changing (what Go's mux and the browser may make of it). */
function decoded(path: string): string {
  let text = path;
  for (let i = 0; i < 4; i++) {
    let next = text;
    try {
      next = decodeURIComponent(text);
    } catch {
      return text;
    }
    if (next === text) return text;
    text = next;
  }
  return text;
}

const LINKS: { link: string; unsafe: string }[] = [
  { link: 'peers/dc2/exported/..%252F..%252Facl%252Ftokens', unsafe: '..%2F..%2Facl%2Ftokens' },
  { link: 'peers/dc2/imported/..%252F..%252Fagent%252Fself', unsafe: '..%2F..%2Fagent%2Fself' },
  { link: 'peers/..%252Fsnapshot/exported/web', unsafe: '..%2Fsnapshot' },
  { link: 'peers/..%252Fconfig%252Fproxy-defaults%252Fglobal?action=delete', unsafe: '..%2Fconfig%2Fproxy-defaults%2Fglobal' },
  { link: 'intentions/..%252F..%252Facl%252Fpolicies/edit?peer=dc2&source=web', unsafe: '..%2F..%2Facl%2Fpolicies' },
  { link: 'peers/%252e%252e/exported/%252e%252e', unsafe: '%2e%2e' },
  // Encoded once (`..%2F..%2Facl%2Ftokens`), a link never reaches the console on these versions:
  // the agent's own mux cleans the UI path too and redirects the page (tests/consul-sim/README.md).
];

test.describe('Consul 1.18 (pre-1.22 Go mux), ACLs on, signed in with a management token', () => {
  test.beforeEach(({ expectConsoleError }) => {
    // The first page load, before signing in, is anonymous and Consul answers 403.
    expectConsoleError(/status of 403/);
  });

  for (const { link, unsafe } of LINKS) {
    test(`the link ${link} sends the token nowhere else`, async ({ page, startCluster }) => {
      const cluster = await startCluster({
        args: ['--consul-version', '1.18', '--acl-initial-management-token', ROOT, '--seed', 'demo', '--seed-peer', 'dc2'],
      });
      await generateToken(cluster, 'dc2', { token: ROOT });
      const peers = await new PeersPage(page).goto(cluster);
      await peers.signIn(ROOT);
      await expect(peers.row('dc2')).toBeVisible();

      const seen: Seen[] = [];
      const record = (request: Request) => {
        const url = new URL(request.url());
        if (!url.pathname.startsWith('/v1/')) return;
        seen.push({
          path: url.pathname,
          token: request.headers()['x-consul-token'] !== undefined,
          redirected: request.redirectedFrom() !== null,
        });
      };
      page.on('request', record);
      await page.goto(cluster.ui(link));
      await expect(page.getByRole('heading', { name: 'Cannot open this name safely' })).toBeVisible();
      await expect(page.locator('main')).toContainText('cannot open this');
      await expect(page.locator('main code').first()).toHaveText(unsafe);
      await expect(page.locator('main pre')).toContainText('consul ');
      // No page of the link mounts: nothing to delete, regenerate or save.
      await expect(page.getByRole('button', { name: /Delete|Regenerate|Save|Review/ })).toHaveCount(0);
      // A page that mounted would ask at once: wait until the network has been quiet for
      // 500 ms (its polls come only every 5 s) rather than for a fixed time.
      await page.waitForLoadState('networkidle');
      page.off('request', record);

      const withToken = seen.filter((s) => s.token);
      expect(withToken.length, 'the app itself still reads with the token').toBeGreaterThan(0);
      expect(seen.filter((s) => s.redirected), 'no redirect is followed').toEqual([]);
      for (const s of withToken) {
        const path = decoded(s.path);
        for (const forbidden of FORBIDDEN) expect(path, `${s.path} carried the token`).not.toMatch(forbidden);
        // No request is built from the refused name.
        expect(path, `${s.path} was built from the refused name`).not.toContain(decoded(unsafe));
        expect(path.split('/')).not.toContain('..');
      }
    });
  }

  test('a valid link on the same cluster still reads its objects', async ({ page, startCluster }) => {
    const cluster = await startCluster({
      args: ['--consul-version', '1.18', '--acl-initial-management-token', ROOT, '--seed', 'demo', '--seed-peer', 'dc2'],
    });
    await generateToken(cluster, 'dc2', { token: ROOT });
    const peers = await new PeersPage(page).goto(cluster);
    await peers.signIn(ROOT);
    await page.goto(cluster.ui('peers/dc2/exported/web'));
    await expect(page.getByRole('heading', { name: 'Cannot open this name safely' })).toHaveCount(0);
    await expect(page.getByRole('heading', { level: 1 })).toContainText('web');
  });
});

test('a peering named new opens from the Peers list and can be deleted', async ({ page, cluster, expectConsoleError }) => {
  // Once deleted, its page asks for it once more and Consul answers 404.
  expectConsoleError(/status of 404/, { optional: true });
  await generateToken(cluster, 'new');
  const peers = await new PeersPage(page).goto(cluster);
  await peers.link('new').click();
  await expect(page).toHaveURL(cluster.ui('peers/new/imported-services'));
  const peer = new PeerPage(page);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('new');
  await expect(page.getByRole('heading', { name: 'Add peer connection' })).toHaveCount(0);
  await peer.deleteButton.click();
  await peer.confirm('Delete peering');
  await expect(peer.notFound('new')).toBeVisible({ timeout: 15_000 });
});
