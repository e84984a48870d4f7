'use strict';

// Launches the system Chromium (Debian's chromium package) through
// playwright-core, which downloads no browser of its own.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';

// Quiet, offline, reproducible: no sandbox (CI runs as root in a container),
// no GPU, no background traffic to Google.
const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/**
 * Start Chromium with a fresh profile. Resolves to { context, close() }.
 * Playwright takes the profile directory as launchPersistentContext's
 * argument (it refuses --user-data-dir among the args). contextOptions are
 * Playwright's (javaScriptEnabled: false, say).
 */
async function launch(contextOptions = {}) {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (or set CHROMIUM_BIN)`);
  }
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mockpay-e2e-chromium-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: { width: 1280, height: 900 },
      timeout: 60_000,
      ...contextOptions,
    });
  } catch (err) {
    fs.rmSync(userDataDir, { recursive: true, force: true });
    throw err;
  }
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * launch, and a page whose console errors, page errors and CSP violations
 * collect in problems (a test asserts it stays empty).
 */
async function openWatchedPage(contextOptions = {}) {
  const browser = await launch(contextOptions);
  const page = await browser.context.newPage();
  const problems = [];
  page.on('console', m => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', err => problems.push(`page error: ${err.message}`));
  return { browser, page, problems };
}

module.exports = { launch, openWatchedPage, CHROMIUM };
