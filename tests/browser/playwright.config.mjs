// Playwright drives Debian's Chromium (the chromium package), headless; no browser is
// downloaded. tests/browser/run.sh runs this under CTest with the test services up.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'specs',
  outputDir: process.env.TEST_BROWSER_OUT || 'test-results',
  timeout: 120000,
  expect: { timeout: 15000 },
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    headless: true,
    locale: 'fr-FR',
    acceptDownloads: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.TEST_CHROMIUM || '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-dev-shm-usage'],
      // A UTF-8 locale, as on any desktop: under the C locale (a bare root, a service with no
      // LANG) Chromium cannot name a download "note été.txt" and calls it "download".
      env: { ...process.env, LC_ALL: 'C.UTF-8' },
    },
  },
});
