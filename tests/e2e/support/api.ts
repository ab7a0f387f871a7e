// Arranging the scene through Consul's HTTP API: what a test sets up, not what it exercises.
import { expect } from '@playwright/test';
import { Cluster } from './cluster';

type Auth = { token?: string };

/** Writes a config entry, with check-and-set when `cas` is given, and expects Consul to accept it. */
export async function writeEntry(cluster: Cluster, entry: unknown, { cas, token }: Auth & { cas?: number } = {}): Promise<void> {
  const res = await cluster.api('PUT', cas === undefined ? '/v1/config' : `/v1/config?cas=${cas}`, entry, token);
  expect(res.status, res.text).toBe(200);
  expect(res.text.trim()).toBe('true');
}

/** A config entry as Consul stores it, or null when there is none. */
export async function readEntry(cluster: Cluster, kind: string, name: string, { token }: Auth = {}): Promise<any> {
  const res = await cluster.api('GET', `/v1/config/${kind}/${name}`, undefined, token);
  if (res.status === 404) return null;
  expect(res.status, res.text).toBe(200);
  return JSON.parse(res.text);
}

/** Generates a peering token on `cluster` for a peer it will call `peerName`. */
export async function generateToken(cluster: Cluster, peerName: string, { token }: Auth = {}): Promise<string> {
  const res = await cluster.api('POST', '/v1/peering/token', { PeerName: peerName }, token);
  expect(res.status, res.text).toBe(200);
  return JSON.parse(res.text).PeeringToken;
}

/** Establishes on `cluster` a peering it calls `peerName`, with a token the other side generated. */
export async function establish(cluster: Cluster, peerName: string, peeringToken: string, { token }: Auth = {}): Promise<void> {
  const res = await cluster.api('POST', '/v1/peering/establish', { PeerName: peerName, PeeringToken: peeringToken }, token);
  expect(res.status, res.text).toBe(200);
}

/** A peering as `cluster` reports it (null once it is gone). */
export async function readPeering(cluster: Cluster, name: string, { token }: Auth = {}): Promise<any> {
  const res = await cluster.api('GET', `/v1/peering/${name}`, undefined, token);
  return res.status === 404 ? null : JSON.parse(res.text);
}

/**
 * Peers two stand-ins through the API: `acceptor` generates the token, `dialer` establishes with it;
 * each calls the other by its datacenter name unless told otherwise. Resolves once the acceptor
 * sees the peering Active. `tokens` are the ACL tokens to use on each side, when ACLs are on.
 */
export async function peerClusters(
  acceptor: Cluster,
  dialer: Cluster,
  opts: { acceptorCalls?: string; dialerCalls?: string; tokens?: { acceptor?: string; dialer?: string } } = {},
): Promise<void> {
  const acceptorCalls = opts.acceptorCalls ?? dialer.datacenter;
  const peeringToken = await generateToken(acceptor, acceptorCalls, { token: opts.tokens?.acceptor });
  await establish(dialer, opts.dialerCalls ?? acceptor.datacenter, peeringToken, { token: opts.tokens?.dialer });
  await expect
    .poll(async () => (await readPeering(acceptor, acceptorCalls, { token: opts.tokens?.acceptor }))?.State, { timeout: 10_000 })
    .toBe('ACTIVE');
}

/** Waits until `cluster` imports `service` from its peer `peer` (the stream carried it). */
export async function waitForImport(cluster: Cluster, peer: string, service: string, { token }: Auth = {}): Promise<void> {
  await expect
    .poll(async () => (await readPeering(cluster, peer, { token }))?.StreamStatus?.ImportedServices ?? [], { timeout: 10_000 })
    .toContain(service);
}

/** Adds a stand-in fault rule (see tests/consul-sim/README.md, "Fault rules"). */
export async function addFault(cluster: Cluster, rule: Record<string, unknown>): Promise<void> {
  const res = await cluster.api('POST', '/_sim/faults', rule);
  expect(res.status, res.text).toBe(200);
}

export async function clearFaults(cluster: Cluster): Promise<void> {
  await cluster.api('DELETE', '/_sim/faults');
}
