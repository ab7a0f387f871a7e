// Generating a token is a one-shot: a second click or Enter would re-key the peering and void
// the token the operator just copied, so the token replaces the form until they start over.
import { test, expect } from '../support/test';
import { AddPeerPage } from '../support/pages';

test('a generated token replaces the form; only "Generate another token" starts over', async ({ page, cluster }) => {
  const posts: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/v1/peering/token') posts.push(r.url());
  });
  const add = await new AddPeerPage(page).goto(cluster);
  const first = await add.generate('dc2');
  // The focus moved to the token, away from the form that made it.
  await expect(add.heading('Peering token for dc2')).toBeFocused();
  // Enter where the form was: nothing generates again.
  await page.keyboard.press('Enter');
  expect(posts).toHaveLength(1);
  await expect(add.token).toHaveValue(first);

  // Starting over is explicit: an empty form, focusable, and the old token stays on record
  // as Pending (the warning says a new token would replace it).
  await add.generateAnother.click();
  await expect(add.token).toBeHidden();
  await expect(add.generateAnother).toBeHidden();
  await expect(add.name).toHaveValue('');
  await add.name.fill('dc2');
  await expect(page.getByText('A peering named dc2 is already waiting for the other cluster')).toBeVisible();
  const second = await add.generate('dc2');
  expect(posts).toHaveLength(2);
  expect(second).not.toEqual(first);
});
