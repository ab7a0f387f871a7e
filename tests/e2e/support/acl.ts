// Clusters with ACLs on, and tokens made through Consul's ACL API (signing in is ConsolePage.signIn).
import { Cluster } from './cluster';
import { test as base, expect } from './test';

export const ROOT = 'e2e-management-token';

export const test = base.extend<{ cluster: Cluster }>({
  cluster: async ({ startCluster }, use) => {
    await use(await startCluster({ args: ['--acl-initial-management-token', ROOT] }));
  },
});

/** Creates a policy with `rules` and a token holding it; returns the token's SecretID and AccessorID. */
export async function tokenWith(cluster: Cluster, name: string, rules: string): Promise<{ secret: string; accessor: string }> {
  const policy = await cluster.api('PUT', '/v1/acl/policy', { Name: name, Rules: rules }, ROOT);
  expect(policy.status, policy.text).toBe(200);
  const token = await cluster.api('PUT', '/v1/acl/token', { Description: `${name} token`, Policies: [{ Name: name }] }, ROOT);
  expect(token.status, token.text).toBe(200);
  const parsed = JSON.parse(token.text);
  return { secret: parsed.SecretID, accessor: parsed.AccessorID };
}

export { expect };
