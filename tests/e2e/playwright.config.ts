import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './support/launch.cjs';

// Debian's Chromium and its flags come from support/launch.cjs, which the bench uses too.
export default defineConfig({
  testDir: './specs',
  timeout: 30_000,
  expect: { timeout: 7_000 },
  fullyParallel: true,
  workers: process.env.CI ? 2 : undefined,
  retries: 0,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    headless: true,
    trace: 'retain-on-failure',
    launchOptions: chromiumLaunchOptions,
  },
  // The whole suite against the stand-in as the newest Consul; the journeys that depend on
  // Consul's words and shapes (tagged @profile) also against Consul 1.14, and through a client
  // agent whose default_intention_policy is deny.
  projects: [
    { name: 'default' },
    {
      name: 'consul-1.14',
      grep: /@profile/,
      use: { simProfile: { name: 'consul-1.14', args: ['--consul-version', '1.14'] } },
    },
    {
      name: 'client-agent',
      grep: /@profile/,
      use: { simProfile: { name: 'client-agent', args: ['--client-agent', '--default-intention-policy', 'deny'] } },
    },
  ],
});
