import { test as base, expect, Page } from '@playwright/test';
import { startCluster, Cluster } from '../support/cluster';

const ROOT = 'e2e-management-token';

const test = base.extend<{ cluster: Cluster }>({
  cluster: async ({}, use) => {
    const cluster = await startCluster({ args: ['--acl-initial-management-token', ROOT] });
    await use(cluster);
    await cluster.stop();
  },
});

async function signIn(page: Page, secret: string) {
  await page.getByRole('button', { name: 'Sign in', exact: true }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Sign in with an ACL token' });
  await dialog.getByLabel('ACL token (SecretID)').fill(secret);
  await dialog.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByTestId('signed-in')).toBeVisible();
}

test('a token with intentions = "write" on one service can edit only that destination', async ({ page, cluster }) => {
  for (const name of ['api', 'web']) {
    const put = await cluster.api('PUT', '/v1/config', {
      Kind: 'service-intentions', Name: name, Sources: [{ Name: 'frontend', Peer: 'dc2', Action: 'allow' }],
    }, ROOT);
    expect(put.text).toBe('true');
  }
  const rules = 'service "api" { intentions = "write" }\nservice_prefix "" { policy = "read" intentions = "read" }';
  expect((await cluster.api('PUT', '/v1/acl/policy', { Name: 'api-intentions', Rules: rules }, ROOT)).status).toBe(200);
  const token = JSON.parse((await cluster.api('PUT', '/v1/acl/token', { Description: 'api owner', Policies: [{ Name: 'api-intentions' }] }, ROOT)).text);

  await page.goto(cluster.ui('intentions'));
  await signIn(page, token.SecretID);

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
  const api = JSON.parse((await cluster.api('GET', '/v1/config/service-intentions/api', undefined, ROOT)).text);
  expect(api.Sources[0].Action).toBe('deny');
});

test('intentions the token may not read are hidden, and the list says so', async ({ page, cluster }) => {
  for (const name of ['api', 'web']) {
    const put = await cluster.api('PUT', '/v1/config', {
      Kind: 'service-intentions', Name: name, Sources: [{ Name: 'frontend', Peer: 'dc2', Action: 'allow' }],
    }, ROOT);
    expect(put.text).toBe('true');
  }
  expect((await cluster.api('PUT', '/v1/acl/policy', { Name: 'api-read', Rules: 'service "api" { intentions = "read" }' }, ROOT)).status).toBe(200);
  const token = JSON.parse((await cluster.api('PUT', '/v1/acl/token', { Description: 'api reader', Policies: [{ Name: 'api-read' }] }, ROOT)).text);
  await page.goto(cluster.ui('intentions'));
  await signIn(page, token.SecretID);
  await expect(page.getByText('Some intentions are hidden: your token may not read them')).toBeVisible();
  await expect(page.getByRole('link', { name: /Edit rule frontend \(peer dc2\) to api/ })).toBeVisible();
  await expect(page.getByRole('link', { name: /to web/ })).toHaveCount(0);
});
