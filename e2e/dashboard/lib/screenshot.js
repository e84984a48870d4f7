'use strict';

// Full-page screenshots kept as test artefacts: in $SCREENSHOT_DIR, else
// e2e/dashboard/screenshots/ (ignored by git), one PNG per name, so a
// person can look at what the dashboard showed in the last run.

const fs = require('node:fs');
const path = require('node:path');
const assert = require('node:assert/strict');

const DIR = process.env.SCREENSHOT_DIR || path.join(__dirname, '..', 'screenshots');

async function screenshot(page, name) {
  fs.mkdirSync(DIR, { recursive: true });
  const file = path.join(DIR, name);
  await page.screenshot({ path: file, fullPage: true });
  const png = fs.readFileSync(file);
  assert.ok(png.length > 1000, `screenshot of ${png.length} bytes`);
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  return file;
}

module.exports = { screenshot, DIR };
