// `make serve`: the console served by scripts/serve.py in front of a Consul (here a stand-in
// without a UI), as an operator would run it against a real cluster.
import { test, expect } from '../support/test';
import { generateToken } from '../support/api';
import { AddPeerPage, MapPage, PeersPage } from '../support/pages';
import { startServe } from '../support/serve';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { distDir, repoRoot } from '../support/launch.cjs';

test('make serve: the console works through the proxy and names the datacenter from the agent', async ({ page, startCluster, expectConsoleError }) => {
  // Without Consul's page settings the console asks whether ACLs are on: this one says no, with a 401.
  expectConsoleError(/status of 401.*\/v1\/acl\/token\/self/);
  const consul = await startCluster({ datacenter: 'prod-east' });
  const proxy = spawn('python3', [path.join(repoRoot, 'scripts/serve.py'), '--consul', consul.origin, '--dist', distDir, '--listen', '127.0.0.1:0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`serve.py did not start: ${out}`)), 10_000);
      proxy.stdout!.on('data', (d) => {
        out += d;
        const m = out.match(/Consul Peering Console: (http:\/\/\S+)/);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
    });
    await generateToken(consul, 'west');
    await page.goto(url + 'peers');
    const peers = new PeersPage(page);
    await expect(peers.row('west')).toBeVisible();
    // Not rendered by Consul here: the datacenter comes from /v1/agent/self.
    await expect(peers.datacenter).toHaveText('prod-east');
  } finally {
    // Leave the page first: its requests still in flight would hit a stopped server.
    await page.goto('about:blank');
    proxy.kill();
  }
});

test('behind a proxy without LocalDatacenter, every page names the agent\'s datacenter', async ({ page, startCluster, expectConsoleError }) => {
  // serve.py renders only ContentPath: the console asks whether ACLs are on, and this agent says no.
  expectConsoleError(/status of 401.*\/v1\/acl\/token\/self/);
  const consul = await startCluster({ datacenter: 'prod-east' });
  const serve = await startServe(consul.origin);
  try {
    // The token page suggests the name the other cluster should give this one.
    await page.goto(serve.url + 'add-peer');
    const add = new AddPeerPage(page);
    await expect(add.datacenter).toHaveText('prod-east');
    await add.generate('west');
    await expect(page.getByText('consul peering establish -name prod-east -peering-token <token>', { exact: true })).toBeVisible();
    await expect(page.getByText('this-cluster')).toHaveCount(0);
    // The map's centre is this cluster, by its name.
    const map = new MapPage(page);
    await map.nav('Map').click();
    await expect(map.map.getByText('prod-east', { exact: true })).toBeVisible();
    await expect(map.map.getByText('This cluster', { exact: true })).toHaveCount(0);
  } finally {
    await page.goto('about:blank');
    await serve.stop();
  }
});
