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
});
