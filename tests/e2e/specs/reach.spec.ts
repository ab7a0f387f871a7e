// "Why can't the peer see my service?" and "Why can't my service call theirs?": the checklists on
// both sides of a peering, against two stand-ins. The exporter's lines turn red one at a time as
// one thing breaks, and green again after the linked fix.
import AxeBuilder from '@axe-core/playwright';
import { Page } from '@playwright/test';
import { Cluster, FAST_STREAM } from '../support/cluster';
import { test as base, expect } from '../support/test';
import { generateToken, peerClusters, waitForImport, writeEntry } from '../support/api';
import { test as aclTest, ROOT, tokenWith } from '../support/acl';
import { ChecklistPage, ExportsPage, GatewaysPage, IntentionEditor, PeerPage } from '../support/pages';

type Pair = { dc1: Cluster; dc2: Cluster; op: Page };

/** dc1 (demo services, a healthy mesh gateway, exporting web and payments to dc2) peered with dc2. */
const test = base.extend<{ pair: Pair }>({
  pair: async ({ startCluster, page }, use) => {
    const dc1 = await startCluster({ datacenter: 'dc1', args: [...FAST_STREAM, '--seed', 'demo', '--seed-peer', 'dc2'] });
    const dc2 = await startCluster({ datacenter: 'dc2', args: [...FAST_STREAM, '--seed', 'demo', '--seed-peer', 'dc1'] });
    await peerClusters(dc1, dc2);
    await waitForImport(dc2, 'dc1', 'web');
    await use({ dc1, dc2, op: page });
  },
});

const ALL_PASS = ['pass', 'pass', 'pass', 'pass', 'pass', 'pass'];
const WEB_FROM_DC2 = (Action: string) => ({ Kind: 'service-intentions', Name: 'web', Sources: [{ Name: '*', Peer: 'dc2', Action }] });

async function axe(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(violations).toEqual([]);
}

test('the exporter\'s checklist turns each line red as one thing breaks, and green after the linked fix', async ({ pair: { dc1, dc2, op } }) => {
  // Four breaks, each waiting for the page's poll (5 s) to see it and its fix.
  test.setTimeout(120_000);
  // Explicitly allowed, so the intention line does not hang on the cluster's default.
  await writeEntry(dc1, WEB_FROM_DC2('allow'));
  // Reached from the service's row of the peer's "Exported services" tab.
  const peer = await new PeerPage(op).goto(dc1, 'dc2');
  await peer.openTab(/^Exported services/);
  await op.getByRole('link', { name: 'Check whether dc2 can see web' }).click();
  const check = new ChecklistPage(op);
  await expect(check.heading('Can dc2 see web?', 1)).toBeVisible();
  await expect.poll(() => check.statuses(), { timeout: 15_000 }).toEqual(ALL_PASS);
  await expect(check.line('web is registered here with healthy instances')).toContainText('OK');
  await axe(op);

  // 1. Stop exporting: the export and the stream lines go red; the fix pre-fills the exports editor.
  await writeEntry(dc1, { Kind: 'exported-services', Name: 'default', Services: [{ Name: 'payments', Consumers: [{ Peer: 'dc2' }] }] });
  const exported = check.line('web is exported to dc2');
  await expect(exported).toHaveAttribute('data-status', 'fail');
  await expect(exported).toContainText('Problem');
  await expect(check.line('The peering\'s stream carries web to dc2')).toHaveAttribute('data-status', 'fail');
  await axe(op);
  // From the keyboard: the focus on the fix stays through the next poll, and Enter follows it.
  const fix = exported.getByRole('link', { name: 'Export web to dc2' });
  await fix.focus();
  // Two polls begin: the first one's answers are all drawn before the second starts.
  for (let poll = 0; poll < 2; poll++) await op.waitForResponse((r) => r.url().endsWith('/v1/peering/dc2'));
  await expect(fix).toBeFocused();
  await op.keyboard.press('Enter');
  const exports = new ExportsPage(op);
  await expect(exports.form.getByLabel('Service')).toHaveValue('web');
  await expect(exports.form.getByLabel('Peer')).toHaveValue('dc2');
  await exports.form.getByRole('button', { name: 'Review export' }).click();
  await exports.review.save();
  await expect(exports.row('web')).toBeVisible();
  await op.goBack();
  await expect.poll(() => check.statuses(), { timeout: 15_000 }).toEqual(ALL_PASS);

  // 2. The peer goes silent past the heartbeat timeout: the peering line goes red, links to it.
  expect((await dc2.api('POST', '/_sim/pause')).status).toBe(200);
  const peering = check.line('The peering dc2 is Active and its heartbeat fresh');
  await expect(peering).toHaveAttribute('data-status', 'fail', { timeout: 15_000 });
  await expect(peering).toContainText('Failing');
  await expect(peering.getByRole('link', { name: 'Open the peering dc2' })).toBeVisible();
  expect((await dc2.api('POST', '/_sim/resume')).status).toBe(200);
  await expect.poll(() => check.statuses(), { timeout: 15_000 }).toEqual(ALL_PASS);

  // 3. The mesh gateway fails its check: red, linked to Gateways; green once it passes.
  expect((await dc1.api('POST', '/_sim/check', { check_id: 'service:mesh-gateway', status: 'critical' })).status).toBe(200);
  const gateway = check.line('A healthy mesh gateway runs in this cluster');
  await expect(gateway).toHaveAttribute('data-status', 'fail', { timeout: 15_000 });
  await expect(gateway).toContainText('The one mesh gateway instance registered in this cluster is not healthy');
  await gateway.getByRole('link', { name: 'Open Gateways' }).click();
  await expect(new GatewaysPage(op).row('mesh-gateway')).toContainText('critical');
  expect((await dc1.api('POST', '/_sim/check', { check_id: 'service:mesh-gateway', status: 'passing' })).status).toBe(200);
  await op.goBack();
  await expect.poll(() => check.statuses(), { timeout: 15_000 }).toEqual(ALL_PASS);

  // 4. Denied by an intention: red, linked to that rule; allowing it there turns it green.
  await writeEntry(dc1, WEB_FROM_DC2('deny'));
  const intention = check.line('An intention allows dc2\'s services to call web');
  await expect(intention).toHaveAttribute('data-status', 'fail', { timeout: 15_000 });
  await expect(intention).toContainText('Denied by the rule * (peer dc2) → web');
  await intention.getByRole('link', { name: 'Edit the rule * (peer dc2) → web' }).click();
  const editor = new IntentionEditor(op);
  await expect(editor.deny).toBeChecked();
  await editor.allow.check();
  await editor.reviewAndSave();
  await expect(op.getByText('Saved * (peer dc2) → web.')).toBeVisible();
  await check.gotoExport(dc1, 'dc2', 'web');
  await expect.poll(() => check.statuses(), { timeout: 15_000 }).toEqual(ALL_PASS);
});

test('the exporter\'s checklist is reached from /exports; a deny for every destination links to that rule', async ({ pair: { dc1, op } }) => {
  const exports = await new ExportsPage(op).goto(dc1);
  await exports.row('payments').getByRole('link', { name: 'Check whether dc2 can see payments' }).click();
  const check = new ChecklistPage(op);
  await expect(check.heading('Can dc2 see payments?', 1)).toBeVisible();
  await expect(check.line('payments is exported to dc2')).toHaveAttribute('data-status', 'pass');
  // A local rule never matches a peer's service: with a deny-all for the peer's services, the
  // link adds a rule from dc2 to payments.
  await writeEntry(dc1, { Kind: 'service-intentions', Name: '*', Sources: [{ Name: '*', Peer: 'dc2', Action: 'deny' }, { Name: '*', Action: 'allow' }] });
  const intention = check.line('An intention allows dc2\'s services to call payments');
  await expect(intention).toHaveAttribute('data-status', 'fail', { timeout: 15_000 });
  await expect(intention.getByRole('link', { name: 'Edit the rule * (peer dc2) → *' })).toBeVisible();
  await check.checkAgain.click();
  await expect(intention).toHaveAttribute('data-status', 'fail');
});

test('the importer\'s checklist reads what this side can see and offers the intention to ask for', async ({ pair: { dc2, op } }) => {
  const peer = await new PeerPage(op).goto(dc2, 'dc1');
  await peer.openTab(/^Imported services/);
  await op.getByRole('link', { name: 'Check whether this cluster can call web' }).click();
  const check = new ChecklistPage(op);
  await expect(check.heading('Can this cluster call web from dc1?', 1)).toBeVisible();
  await expect.poll(() => check.statuses(), { timeout: 15_000 }).toEqual(['pass', 'pass', 'pass', 'pass', 'unknown']);
  await expect(check.line('web is imported from dc1')).toContainText('web.virtual.dc1.consul');
  await expect(check.line('An intention in dc1 allows your service to call web')).toContainText('lives in dc1\'s cluster');

  // The intention to copy: the calling service typed, this cluster's name there prefilled.
  const name = op.getByLabel('This cluster\'s peering name in dc1');
  await expect(name).toHaveValue('dc2');
  await op.getByLabel('Your calling service (in this cluster)').fill('frontend');
  const json = op.getByRole('region', { name: 'Intention as JSON' });
  await expect(json).toContainText('"Name": "web"');
  await expect(json).toContainText('"Peer": "dc2"');
  await expect(json).toContainText('"Name": "frontend"');
  await expect(op.getByRole('region', { name: 'Intention as HCL' })).toContainText('Peer   = "dc2"');
  await name.fill('east');
  await expect(json).toContainText('"Peer": "east"');
  await op.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await op.getByRole('button', { name: 'Copy intention as JSON' }).click();
  await expect(op.getByText('Copied', { exact: true })).toBeVisible();
  // What lands on the clipboard is the exact entry to hand to dc1's operators.
  const copied = JSON.parse(await op.evaluate(() => navigator.clipboard.readText()));
  expect(copied).toEqual({ Kind: 'service-intentions', Name: 'web', Sources: [{ Action: 'allow', Name: 'frontend', Peer: 'east' }] });
  await axe(op);

  // A local gateway is needed only in local mode: with none healthy, that line goes red.
  await writeEntry(dc2, { Kind: 'proxy-defaults', Name: 'global', MeshGateway: { Mode: 'local' } });
  expect((await dc2.api('POST', '/_sim/check', { check_id: 'service:mesh-gateway', status: 'critical' })).status).toBe(200);
  const gateway = check.line('A local mesh gateway, if the mode needs one');
  await expect(gateway).toHaveAttribute('data-status', 'fail', { timeout: 15_000 });
  await expect(gateway.getByRole('link', { name: 'Open Gateways' })).toBeVisible();
  await axe(op);
});

test('@profile both checklists read right on each side of a peering', async ({ pair: { dc1, dc2, op } }) => {
  await writeEntry(dc1, WEB_FROM_DC2('allow'));
  const check = await new ChecklistPage(op).gotoExport(dc1, 'dc2', 'web');
  await expect.poll(() => check.statuses(), { timeout: 15_000 }).toEqual(ALL_PASS);
  await check.gotoImport(dc2, 'dc1', 'web');
  await expect.poll(() => check.statuses(), { timeout: 15_000 }).toEqual(['pass', 'pass', 'pass', 'pass', 'unknown']);
});

aclTest('what the token may not read makes a line Unknown, with the permission, never a false Problem', async ({ page, startCluster, expectConsoleError }) => {
  expectConsoleError(/status of 403/);
  const dc1 = await startCluster({ datacenter: 'dc1', args: ['--acl-initial-management-token', ROOT, '--seed', 'demo', '--seed-peer', 'dc2'] });
  await generateToken(dc1, 'dc2', { token: ROOT });
  const token = await tokenWith(dc1, 'peering-read', 'peering = "read"');
  const check = await new ChecklistPage(page).gotoExport(dc1, 'dc2', 'web');
  await check.signIn(token.secret);
  await expect(check.line('web is registered here with healthy instances')).toHaveAttribute('data-status', 'unknown');
  await expect(check.line('web is registered here with healthy instances')).toContainText('it needs service:read on web');
  await expect(check.line('web is exported to dc2')).toContainText('Your token lacks mesh:read');
  await expect(check.line('A healthy mesh gateway runs in this cluster')).toHaveAttribute('data-status', 'unknown');
  await expect(check.line('An intention allows dc2\'s services to call web')).toHaveAttribute('data-status', 'unknown');
  // What it may read is judged: the peering waits for dc2 to dial.
  const peering = check.line('The peering dc2 is Active and its heartbeat fresh');
  await expect(peering).toHaveAttribute('data-status', 'fail');
  await expect(peering).toContainText('Pending');
});
