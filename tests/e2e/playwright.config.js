// @ts-check
// Playwright config for the versus end-to-end suite. Run through ../e2e/run.sh, which builds
// and starts the site and sets VERSUS_BASE_URL. The browser is Debian's Chromium: nothing here
// downloads one (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 for installs; never `playwright install`).
const path = require('node:path');
const { defineConfig } = require('@playwright/test');

const repoRoot = path.resolve(__dirname, '..', '..');

module.exports = defineConfig({
  testDir: './tests',
  // Playwright's own artefacts (traces, failure screenshots) stay out of git, under target/.
  outputDir: path.join(repoRoot, 'target', 'e2e-results'),
  fullyParallel: true,
  workers: Number(process.env.E2E_WORKERS || 2),
  forbidOnly: true,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 5_000 },
  reporter: [
    ['list'],
    // Counted by run.sh for its closing 'N passed, N failed' line.
    ['json', { outputFile: path.join(repoRoot, 'target', 'e2e-report.json') }],
  ],
  use: {
    baseURL: process.env.VERSUS_BASE_URL,
    // Playwright gives every launch a fresh temporary profile (--user-data-dir) of its own;
    // it refuses an explicit --user-data-dir for non-persistent launches.
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
    trace: 'off',
    screenshot: 'only-on-failure',
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
});
