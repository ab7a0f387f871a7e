import { test, expect, ROOT, tokenWith } from '../support/acl';
import { Cluster } from '../support/cluster';
import { readEntry, writeEntry } from '../support/api';
import { IntentionsPage } from '../support/pages';

/** frontend (peer dc2) → api and → web, allowed. */
async function twoRules(cluster: Cluster) {
  for (const name of ['api', 'web']) {
    await writeEntry(cluster, { Kind: 'service-intentions', Name: name, Sources: [{ Name: 'frontend', Peer: 'dc2', Action: 'allow' }] }, { token: ROOT });
  }
}

test('a token with intentions = "write" on one service can edit only that destination', async ({ page, cluster, expectConsoleError }) => {
  expectConsoleError(/status of 403/);
  await twoRules(cluster);
  const rules = 'service "api" { intentions = "write" }\nservice_prefix "" { policy = "read" intentions = "read" }';
  const token = await tokenWith(cluster, 'api-intentions', rules);

  const list = await new IntentionsPage(page).goto(cluster);
  await list.signIn(token.secret);

  const web = await list.openRule(/Edit rule frontend \(peer dc2\) to web/);
  await expect(web.reviewButton).toBeDisabled();
  await expect(web.reviewButton).toHaveAttribute('title', /needs intention:write on "web"/);
  await expect(page.getByText('service "web" { intentions = "write" }')).toBeVisible();
  await expect(web.deleteButton).toBeDisabled();

  await list.goto(cluster);
  const api = await list.openRule(/Edit rule frontend \(peer dc2\) to api/);
  await expect(api.reviewButton).toBeEnabled();
  await api.deny.check();
  await api.reviewAndSave();
  await expect(page).toHaveURL(/\/ui\/intentions$/);
  await expect(page.getByText('Saved frontend (peer dc2) → api.')).toBeVisible();
  expect((await readEntry(cluster, 'service-intentions', 'api', { token: ROOT })).Sources[0].Action).toBe('deny');
});

test('intentions the token may not read are hidden, and the list says so', async ({ page, cluster, expectConsoleError }) => {
  expectConsoleError(/status of 403/);
  await twoRules(cluster);
  const token = await tokenWith(cluster, 'api-read', 'service "api" { intentions = "read" }');
  const list = await new IntentionsPage(page).goto(cluster);
  await list.signIn(token.secret);
  await expect(page.getByText('Some intentions are hidden: your token may not read them')).toBeVisible();
  await expect(list.ruleLink(/Edit rule frontend \(peer dc2\) to api/)).toBeVisible();
  await expect(list.ruleLink(/to web/)).toHaveCount(0);
});
