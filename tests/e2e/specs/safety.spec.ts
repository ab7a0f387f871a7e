// Races and hostile input: another writer's change is never lost, a token a header
// cannot carry is refused with a message, large entries are reviewed without exhausting memory,
// a write whose answer never came is checked, the URL cannot make the console say anything, and a
// rate-limited Consul is polled less often.
import { test as aclTest, ROOT } from '../support/acl';
import { test, expect } from '../support/test';
import { addFault, clearFaults, readEntry, writeEntry } from '../support/api';
import { ExportsPage, IntentionEditor, IntentionsPage, PeersPage } from '../support/pages';

aclTest('an export reviewed across a sign-out and sign-in never overwrites a change made meanwhile', async ({ page, cluster, expectConsoleError }) => {
  // Signed out, Consul refuses the peerings list (403) until the operator signs in.
  expectConsoleError(/status of 403/);
  await writeEntry(cluster, { Kind: 'exported-services', Name: 'default', Services: [{ Name: 'web', Consumers: [{ Peer: 'dc2' }] }] }, { token: ROOT });
  const exports = new ExportsPage(page);
  await exports.goto(cluster);
  await exports.signIn(ROOT);
  await expect(exports.row('web')).toBeVisible();
  await exports.formService.fill('api');
  await exports.formPeer.fill('dc2');
  await exports.reviewNewExport();
  await expect(exports.review.reviewHeading('export api to dc2')).toBeVisible();

  // Meanwhile someone exports db through the API.
  const current = await readEntry(cluster, 'exported-services', 'default', { token: ROOT });
  await writeEntry(
    cluster,
    { Kind: 'exported-services', Name: 'default', Services: [...current.Services, { Name: 'db', Consumers: [{ Peer: 'dc2' }] }] },
    { cas: current.ModifyIndex, token: ROOT },
  );
  // Anything that reloads the entry while the review is open: sign out and in again.
  await exports.signOutButton.click();
  await exports.signIn(ROOT);

  await exports.review.save();
  const conflict = exports.review.conflict('Someone else changed the exported services');
  await expect(conflict).toBeVisible();
  await expect(exports.review.added('"Name": "db"', conflict)).toHaveCount(1);
  const names = (await readEntry(cluster, 'exported-services', 'default', { token: ROOT })).Services.map((s: any) => s.Name);
  expect(names).toEqual(['web', 'db']);

  await exports.review.reapply(conflict);
  await exports.review.save();
  await expect(exports.review.saved('export api to dc2')).toBeVisible();
  const after = (await readEntry(cluster, 'exported-services', 'default', { token: ROOT })).Services.map((s: any) => s.Name);
  expect(after).toEqual(['web', 'db', 'api']);
});

const RULE = { Name: 'web', Peer: 'dc2', Action: 'allow', Description: 'storefront' };

test("reapplying my description change keeps the Action someone else set on the same rule", async ({ page, cluster }) => {
  await writeEntry(cluster, { Kind: 'service-intentions', Name: 'api', Sources: [RULE] });
  const editor = await new IntentionEditor(page).gotoRule(cluster, 'api', 'peer=dc2&source=web');
  await editor.description.fill('calls the api');
  await editor.reviewChanges();

  const current = await readEntry(cluster, 'service-intentions', 'api');
  await writeEntry(cluster, { Kind: 'service-intentions', Name: 'api', Sources: [{ ...RULE, Action: 'deny' }] }, { cas: current.ModifyIndex });

  await editor.review.save();
  const conflict = editor.review.conflict('Someone else changed these intentions');
  await expect(conflict).toBeVisible();
  // Different fields: nothing to decide.
  await expect(conflict.getByRole('group')).toHaveCount(0);
  await editor.review.reapply(conflict);
  await expect(editor.review.added(/"Description": "calls the api"/)).toHaveCount(1);
  await expect(editor.review.json).toContainText('"Action": "deny"');
  await editor.review.save();
  await expect(new IntentionsPage(page).notice('Saved web (peer dc2) → api.')).toBeVisible();
  const rule = (await readEntry(cluster, 'service-intentions', 'api')).Sources[0];
  expect(rule).toMatchObject({ Action: 'deny', Description: 'calls the api' });
});

test('when both writers changed the same field, the conflict view asks which value wins', async ({ page, cluster }) => {
  await writeEntry(cluster, { Kind: 'service-intentions', Name: 'api', Sources: [RULE] });
  const editor = await new IntentionEditor(page).gotoRule(cluster, 'api', 'peer=dc2&source=web');
  await editor.description.fill('mine');
  await editor.reviewChanges();
  const current = await readEntry(cluster, 'service-intentions', 'api');
  await writeEntry(cluster, { Kind: 'service-intentions', Name: 'api', Sources: [{ ...RULE, Description: 'theirs' }] }, { cas: current.ModifyIndex });

  await editor.review.save();
  const conflict = editor.review.conflict('Someone else changed these intentions');
  const choice = conflict.getByRole('group', { name: 'You and the other writer both changed Description' });
  await expect(choice).toBeVisible();
  const reapply = conflict.getByRole('button', { name: 'Reapply my change on the latest version' });
  await expect(reapply).toBeDisabled();
  // Theirs wins, chosen from the keyboard: nothing of mine is left to write.
  await choice.getByLabel('Keep theirs: theirs').focus();
  await page.keyboard.press('Space');
  await reapply.click();
  await expect(page.getByText('No change')).toBeVisible();

  // Back to the form (still saying "mine"): a new review is built on the latest version and
  // shows exactly what mine replaces.
  await page.getByRole('button', { name: 'Back to the form' }).click();
  await editor.reviewChanges();
  await expect(editor.review.removed('"Description": "theirs"')).toHaveCount(1);
  await expect(editor.review.added('"Description": "mine"')).toHaveCount(1);
  await editor.review.save();
  await expect(new IntentionsPage(page).notice('Saved web (peer dc2) → api.')).toBeVisible();
  expect((await readEntry(cluster, 'service-intentions', 'api')).Sources[0].Description).toBe('mine');
});

aclTest('a token with a character a header cannot carry is refused with a message, and nothing breaks', async ({ page, cluster, expectConsoleError }) => {
  expectConsoleError(/status of 403/);
  const peers = await new PeersPage(page).goto(cluster);
  await peers.signInButton.click();
  const dialog = peers.signInDialog;
  // A non-breaking hyphen, as pasted from a document.
  await dialog.token.fill(`${ROOT.slice(0, 5)}\u2011${ROOT.slice(6)}`);
  await dialog.submit.click();
  await expect(dialog.root.getByRole('alert')).toContainText('non-breaking hyphen (U+2011)');
  await expect(dialog.token).toHaveValue(`${ROOT.slice(0, 5)}\u2011${ROOT.slice(6)}`);
  // Corrected, it works.
  await dialog.token.fill(ROOT);
  await dialog.submit.click();
  await expect(peers.signedIn).toBeVisible();
});

test('an exported-services entry with 3,000 services is reviewed without trouble', async ({ page, cluster }) => {
  const services = Array.from({ length: 3000 }, (_, i) => ({ Name: `svc-${String(i).padStart(4, '0')}`, Consumers: [{ Peer: 'dc2' }] }));
  await writeEntry(cluster, { Kind: 'exported-services', Name: 'default', Services: services });
  const exports = await new ExportsPage(page).goto(cluster);
  // Shown a page at a time, like the peers list.
  await expect(page.getByText('3000 of 3000 exported services')).toBeVisible();
  await expect(page.getByText('Page 1 of 120')).toBeVisible();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByText('Page 2 of 120')).toBeVisible();
  await expect(exports.row('svc-0025')).toBeVisible();
  await exports.formService.fill('zz-new');
  await exports.formPeer.fill('dc2');
  await exports.reviewNewExport();
  await expect(exports.review.reviewHeading('export zz-new to dc2')).toBeVisible({ timeout: 15_000 });
  await expect(exports.review.added('"Name": "zz-new"')).toHaveCount(1);
  await expect(page.getByText('3 changed lines').or(page.getByText(/\d+ changed lines/))).toBeVisible();
});

test('a write whose answer never comes is checked: the console says it landed', async ({ page, cluster, expectConsoleError }) => {
  test.setTimeout(45_000);
  await writeEntry(cluster, { Kind: 'service-intentions', Name: 'api', Sources: [RULE] });
  // Consul applies the write, then its answer is held past the console's 10 s limit.
  await addFault(cluster, { path: '^/v1/config\\?cas=', method: 'PUT', hold_after_ms: 12_000, times: 1 });
  expectConsoleError(/ERR_ABORTED|aborted|Failed to fetch/i, { optional: true });
  const editor = await new IntentionEditor(page).gotoRule(cluster, 'api', 'peer=dc2&source=web');
  await editor.deny.check();
  await editor.reviewAndSave();
  await expect(new IntentionsPage(page).notice('Saved web (peer dc2) → api.')).toBeVisible({ timeout: 20_000 });
  expect((await readEntry(cluster, 'service-intentions', 'api')).Sources[0].Action).toBe('deny');
  await clearFaults(cluster);
});

test('text in the URL is never shown as the console\'s own notice', async ({ page, cluster }) => {
  await new IntentionsPage(page).goto(cluster, '?saved=Your%20cluster%20is%20compromised%2C%20call%20555&deleted=x');
  await expect(page.getByRole('heading', { name: 'Intentions', level: 1 })).toBeVisible();
  await expect(page.getByText('compromised')).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: /Saved|Deleted/ })).toHaveCount(0);
});

test('a rate-limited Consul is polled less often, says so, and the pace returns after', async ({ page, cluster, expectConsoleError }) => {
  test.setTimeout(60_000);
  expectConsoleError(/status of 429/);
  const peers = await new PeersPage(page).goto(cluster);
  await expect(page.getByText(/Updated/)).toBeVisible();
  await addFault(cluster, { path: '^/v1/peerings$', status: 429, body: 'rate limit exceeded' });
  await expect(page.getByText('Consul is rate limiting (429): refreshing every 10 s until it recovers')).toBeVisible({ timeout: 15_000 });
  // The last good list stays, with the failure beside it.
  await expect(page.getByText(/Showing the last known state/)).toBeVisible();
  await clearFaults(cluster);
  await expect(page.getByText(/^Updated/)).toBeVisible({ timeout: 25_000 });
  await expect(peers.heading('Peers', 1)).toBeVisible();
});
