// Failover rows that name the same peer: each row's buttons act on that row's target (its whole
// value and place), never on the first target that names the peer. Driven in the browser, checked
// through the stand-in's API.
import { test, expect } from '../support/test';
import { readEntry, writeEntry } from '../support/api';
import { FailoverPage } from '../support/pages';

const API_V2 = { Peer: 'dc2', Service: 'api-v2' };

/** api fails over to dc2's api-v2, then dc3, then dc2's api: two targets on dc2. */
const RESOLVER = {
  Kind: 'service-resolver',
  Name: 'api',
  ConnectTimeout: '5s',
  Failover: { '*': { Targets: [API_V2, { Peer: 'dc3' }, { Peer: 'dc2' }] } },
};

test('the rows of two targets on one peer have their own names, and Remove removes its own row', async ({ cluster, page }) => {
  await writeEntry(cluster, RESOLVER);
  const failover = await new FailoverPage(page).goto(cluster);
  await expect(failover.targets('api')).toHaveText([/^service api-v2, peer dc2/, /^peer dc3/, /^peer dc2/]);
  // The first row is told apart from the third for people too.
  await expect(failover.removeButton('api', 'dc2 (api-v2)')).toBeVisible();
  await expect(failover.removeButton('api', 'dc2')).toHaveCount(1);

  await failover.removeButton('api', 'dc2').click();
  await expect(page.getByRole('heading', { name: 'Review: remove dc2 from the failover targets of api', exact: true })).toBeVisible();
  await failover.review.save();
  await expect(page.getByText('Saved: remove dc2 from the failover targets of api.', { exact: true })).toBeVisible();

  const stored = await readEntry(cluster, 'service-resolver', 'api');
  expect(stored.Failover['*'].Targets).toEqual([API_V2, { Peer: 'dc3' }]);
  expect(stored.ConnectTimeout).toBe('5s');
  await expect(failover.targets('api')).toHaveText([/^service api-v2, peer dc2/, /^peer dc3/]);
});

test('the third row moves up by itself, past dc3, while the first stays first', async ({ cluster, page }) => {
  await writeEntry(cluster, RESOLVER);
  const failover = await new FailoverPage(page).goto(cluster);
  await failover.moveUpButton('api', 'dc2').click();
  await expect(page.getByRole('heading', { name: 'Review: try dc2 earlier when api fails over', exact: true })).toBeVisible();
  await failover.review.save();
  await expect(page.getByText('Saved: try dc2 earlier when api fails over.', { exact: true })).toBeVisible();

  const stored = await readEntry(cluster, 'service-resolver', 'api');
  expect(stored.Failover['*'].Targets).toEqual([API_V2, { Peer: 'dc2' }, { Peer: 'dc3' }]);
  await expect(failover.targets('api')).toHaveText([/^service api-v2, peer dc2/, /^peer dc2/, /^peer dc3/]);
  // Now second, it moves up once more to the top, and the api-v2 target follows it.
  await failover.moveUpButton('api', 'dc2').click();
  await failover.review.save();
  await expect(page.getByText('Saved: try dc2 earlier when api fails over.', { exact: true })).toBeVisible();
  expect((await readEntry(cluster, 'service-resolver', 'api')).Failover['*'].Targets).toEqual([{ Peer: 'dc2' }, API_V2, { Peer: 'dc3' }]);
  await expect(failover.moveUpButton('api', 'dc2')).toBeDisabled();
});

test('a Remove reapplied after someone removed that target meanwhile changes nothing, and says why', async ({ cluster, page }) => {
  await writeEntry(cluster, RESOLVER);
  const failover = await new FailoverPage(page).goto(cluster);
  await failover.removeButton('api', 'dc2').click();
  await expect(page.getByRole('heading', { name: 'Review: remove dc2 from the failover targets of api', exact: true })).toBeVisible();
  // Another writer removes the plain dc2 target first.
  const current = await readEntry(cluster, 'service-resolver', 'api');
  await writeEntry(cluster, { ...RESOLVER, Failover: { '*': { Targets: [API_V2, { Peer: 'dc3' }] } } }, { cas: current.ModifyIndex });
  await failover.review.save();
  const conflict = failover.review.conflict('Someone else changed this service-resolver');
  await expect(conflict).toBeVisible();
  await expect(conflict.getByText('The failover target dc2 of api has changed or is gone: nothing was changed.', { exact: true })).toBeVisible();
  await expect(conflict.getByRole('button', { name: 'Reapply my change on the latest version', exact: true })).toHaveCount(0);
  expect((await readEntry(cluster, 'service-resolver', 'api')).Failover['*'].Targets).toEqual([API_V2, { Peer: 'dc3' }]);
});
