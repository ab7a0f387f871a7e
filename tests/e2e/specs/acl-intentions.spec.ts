import { test, expect, ROOT, signIn, tokenWith } from '../support/acl';
import { readEntry, writeEntry } from '../support/api';

test('a token with intentions = "write" on one service can edit only that destination', async ({ page, cluster, expectConsoleError }) => {
  expectConsoleError(/status of 403/);
  for (const name of ['api', 'web']) {
    await writeEntry(cluster, { Kind: 'service-intentions', Name: name, Sources: [{ Name: 'frontend', Peer: 'dc2', Action: 'allow' }] }, { token: ROOT });
  }
  const rules = 'service "api" { intentions = "write" }\nservice_prefix "" { policy = "read" intentions = "read" }';
  const token = await tokenWith(cluster, 'api-intentions', rules);

  await page.goto(cluster.ui('intentions'));
  await signIn(page, token.secret);

  await page.getByRole('link', { name: /Edit rule frontend \(peer dc2\) to web/ }).click();
  const review = page.getByRole('button', { name: 'Review changes' });
  await expect(review).toBeDisabled();
  await expect(review).toHaveAttribute('title', /needs intention:write on "web"/);
  await expect(page.getByText('service "web" { intentions = "write" }')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Delete rule' })).toBeDisabled();

  await page.goto(cluster.ui('intentions'));
  await page.getByRole('link', { name: /Edit rule frontend \(peer dc2\) to api/ }).click();
  await expect(page.getByRole('button', { name: 'Review changes' })).toBeEnabled();
  await page.getByLabel('deny').check();
  await page.getByRole('button', { name: 'Review changes' }).click();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page).toHaveURL(/\/ui\/intentions\?saved=/);
  const api = await readEntry(cluster, 'service-intentions', 'api', { token: ROOT });
  expect(api.Sources[0].Action).toBe('deny');
});

test('intentions the token may not read are hidden, and the list says so', async ({ page, cluster, expectConsoleError }) => {
  expectConsoleError(/status of 403/);
  for (const name of ['api', 'web']) {
    await writeEntry(cluster, { Kind: 'service-intentions', Name: name, Sources: [{ Name: 'frontend', Peer: 'dc2', Action: 'allow' }] }, { token: ROOT });
  }
  const token = await tokenWith(cluster, 'api-read', 'service "api" { intentions = "read" }');
  await page.goto(cluster.ui('intentions'));
  await signIn(page, token.secret);
  await expect(page.getByText('Some intentions are hidden: your token may not read them')).toBeVisible();
  await expect(page.getByRole('link', { name: /Edit rule frontend \(peer dc2\) to api/ })).toBeVisible();
  await expect(page.getByRole('link', { name: /to web/ })).toHaveCount(0);
});
