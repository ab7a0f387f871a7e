// Names from the URL and from Consul, as the checklists and export lists show them: `*` (every
// service) is refused where a page is about one service, and a service name carrying a
// right-to-left override is isolated (`<bdi>`), so it cannot reorder the words around it.
import { Page } from '@playwright/test';
import { test, expect } from '../support/test';
import { Cluster } from '../support/cluster';
import { generateToken, writeEntry } from '../support/api';
import { ChecklistPage, ExportsPage } from '../support/pages';

const EVERY = '* means every service: this page checks one service.';
// Displays as "web-api" without isolation: U+202E reverses "bew" up to U+202C.
const TRICKY = '\u202Ebew\u202C-api';

/** The elements inside `scope` whose whole text is `name`: tag and computed unicode-bidi. */
async function holders(page: Page, scope: string, name: string): Promise<{ tag: string; bidi: string }[]> {
  return page.locator(scope).evaluateAll(
    (els, n) =>
      els.flatMap((el) => [...el.querySelectorAll('*')])
        .filter((e) => e.textContent === n && e.children.length === 0)
        .map((e) => ({ tag: e.tagName.toLowerCase(), bidi: getComputedStyle(e).unicodeBidi })),
    name,
  );
}

async function exportTricky(cluster: Cluster): Promise<void> {
  const reg = await cluster.api('PUT', '/v1/agent/service/register', { Name: TRICKY, Port: 8080 });
  expect(reg.status).toBe(200);
  await generateToken(cluster, 'dc2');
  await writeEntry(cluster, { Kind: 'exported-services', Name: 'default', Services: [{ Name: TRICKY, Consumers: [{ Peer: 'dc2' }] }] });
}

test('the importer\'s checklist for `*` is refused: no intention for every service to copy', async ({ page, cluster }) => {
  await generateToken(cluster, 'dc2');
  const check = await new ChecklistPage(page).gotoImport(cluster, 'dc2', '%2A');
  await expect(page.getByRole('alert').filter({ hasText: EVERY })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Intention as JSON' })).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Intention as HCL' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Copy intention/ })).toHaveCount(0);
  await expect(page.getByLabel('Your calling service (in this cluster)')).toHaveCount(0);
  await expect(check.lines).toHaveCount(0);
  await expect(page.getByText('"Name": "*"')).toHaveCount(0);
});

test('the exporter\'s checklist for `*` is refused', async ({ page, cluster }) => {
  await generateToken(cluster, 'dc2');
  const check = await new ChecklistPage(page).gotoExport(cluster, 'dc2', '%2A');
  await expect(page.getByRole('alert').filter({ hasText: EVERY })).toBeVisible();
  await expect(check.lines).toHaveCount(0);
  await expect(check.checkAgain).toHaveCount(0);
});

test('a caller typed as `*` gets the message, not an intention', async ({ page, startCluster }) => {
  const cluster = await startCluster({ args: ['--seed', 'demo'] });
  await generateToken(cluster, 'dc2');
  await new ChecklistPage(page).gotoImport(cluster, 'dc2', 'web');
  const caller = page.getByLabel('Your calling service (in this cluster)');
  const json = page.getByRole('region', { name: 'Intention as JSON' });
  await caller.fill('frontend');
  await expect(json).toContainText('"Name": "frontend"');
  await caller.fill('*');
  await expect(page.getByRole('alert').filter({ hasText: EVERY })).toBeVisible();
  await expect(json).toBeHidden();
  await expect(page.getByRole('button', { name: /^Copy intention/ })).toHaveCount(0);
});

test('a service name with a right-to-left override is isolated on /exports and on its checklist', async ({ page, cluster }) => {
  await exportTricky(cluster);
  const exports = await new ExportsPage(page).goto(cluster);
  await expect(exports.table).toBeVisible();
  await expect.poll(() => holders(page, 'table[aria-label="Exported services"]', TRICKY)).toContainEqual({ tag: 'bdi', bidi: 'isolate' });
  // Every element holding exactly the name is an isolate: none shows it bare.
  for (const h of await holders(page, 'table[aria-label="Exported services"]', TRICKY)) expect(h).toEqual({ tag: 'bdi', bidi: 'isolate' });

  const check = await new ChecklistPage(page).gotoExport(cluster, 'dc2', encodeURIComponent(TRICKY));
  const heading = page.getByRole('heading', { level: 1 });
  await expect(heading).toHaveText(`Can dc2 see ${TRICKY}?`);
  const name = heading.locator('bdi').nth(1);
  await expect(name).toHaveText(TRICKY);
  expect(await name.evaluate((el) => getComputedStyle(el).unicodeBidi)).toBe('isolate');
  // The question mark is outside the isolate: right after it, in the heading itself.
  expect(await name.evaluate((el) => el.nextSibling?.textContent)).toBe('?');
  await expect.poll(() => check.lines.count(), { timeout: 15_000 }).toBeGreaterThan(0);
  // The lines' texts too: "<name> is registered here…" with the name alone in its isolate.
  const first = check.lines.first().locator('.check-title bdi').first();
  await expect(first).toHaveText(TRICKY);
  expect(await first.evaluate((el) => el.nextSibling?.textContent ?? '')).toMatch(/^ is registered here/);
});
