// Names as shown: two peers whose names differ only at the end never get the same label on the
// map, and displayed names are isolated for bidirectional text (a right-to-left override inside
// a name cannot reorder what is around it).
import { test, expect } from '../support/test';
import { generateToken } from '../support/api';
import { MapPage, PeersPage } from '../support/pages';

const NAMES = ['prod-east-1-primary', 'prod-east-1-primarx'];

test('two peer names sharing their first 18 characters get different labels on the map', async ({ page, cluster }) => {
  for (const name of NAMES) await generateToken(cluster, name);
  const map = await new MapPage(page).goto(cluster);
  const labels = NAMES.map((name) => map.node(name).locator('text.name'));
  await expect(labels[0]).toHaveText('prod-east…mary');
  await expect(labels[1]).toHaveText('prod-east…marx');
  for (const label of labels) await expect(label).toBeVisible();
  // The label is isolated for bidi: a name's own direction stays inside it.
  expect(await labels[0].evaluate((el) => getComputedStyle(el).unicodeBidi)).toBe('isolate');
  // A name that fits is drawn whole.
  await generateToken(cluster, 'dc2');
  await expect(map.node('dc2').locator('text.name')).toHaveText('dc2', { timeout: 7_000 });
});

test('peer names in the peers list are isolated for bidi (bdi)', async ({ page, cluster }) => {
  // Consul refuses a peer name with U+202E (agent/rpc/peering/validate.go validatePeerName, lower
  // case letters, digits and '-' only), and so does the stand-in: the isolation is checked on the
  // element every name is displayed in.
  const refused = await cluster.api('POST', '/v1/peering/token', { PeerName: 'evil\u202egnp' });
  expect(refused.status).not.toBe(200);
  expect(refused.text).toContain('is not a valid peer name');
  for (const name of NAMES) await generateToken(cluster, name);
  const peers = await new PeersPage(page).goto(cluster);
  for (const name of NAMES) {
    const shown = peers.link(name).locator('bdi');
    await expect(shown).toHaveText(name);
    expect(await shown.evaluate((el) => getComputedStyle(el).unicodeBidi)).toBe('isolate');
  }
});
