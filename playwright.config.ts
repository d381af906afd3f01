// End-to-end tests run the real host (`opdesk serve`) per test against Debian's Chromium;
// see e2e/fixtures.ts. The renderer must be built first (`npm run test:e2e` does it).
import { defineConfig } from '@playwright/test'

export default defineConfig({
  testDir: 'e2e',
  // Overridable so two people running suites in one checkout do not wipe each other's artifacts.
  outputDir: process.env.PW_OUTPUT_DIR ?? 'test-results',
  // Each test spawns its own host process; two at a time is what a 2-core runner takes.
  workers: 2,
  fullyParallel: true,
  retries: 0,
  forbidOnly: !!process.env.CI,
  // In CI the results are also written as JUnit XML (see vitest.config.ts).
  reporter: process.env.CI ? [['list'], ['junit', { outputFile: 'reports/junit-e2e.xml' }]] : 'list',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    video: 'off',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  projects: [
    // The Electron app test drives its own binary through _electron and needs no browser.
    { name: 'chromium', testIgnore: /electron\.spec\.ts$/ },
    { name: 'electron', testMatch: /electron\.spec\.ts$/ },
  ],
})
