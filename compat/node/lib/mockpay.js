'use strict';

// Builds (or reuses, via MOCKPAY_BIN) the mockpay binary, starts it on an
// ephemeral port and exposes the base URL plus the fixture apps.

const { spawn, execFile } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const REPO_ROOT = path.resolve(__dirname, '../../..');
const BANNER_RE = /gateway:\s+(http:\/\/\S+)\/gateway\.do/;
const START_TIMEOUT_MS = 60_000;
const BUILD_TIMEOUT_MS = 10 * 60_000;

function buildBinary(outPath) {
  return new Promise((resolve, reject) => {
    execFile('go', ['build', '-o', outPath, './cmd/mockpay'], {
      cwd: REPO_ROOT,
      timeout: BUILD_TIMEOUT_MS,
      maxBuffer: 16 * 1024 * 1024,
    }, (err, stdout, stderr) => {
      if (err) {
        // err.message already carries the command and its stderr
        reject(new Error(`go build ./cmd/mockpay failed in ${REPO_ROOT}: ${err.message}${stdout ? `\n${stdout}` : ''}`));
        return;
      }
      resolve(outPath);
    });
  });
}

function waitForBanner(child, output) {
  return new Promise((resolve, reject) => {
    let buffered = '';
    let settled = false;
    const finish = (fn, value) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn(value);
    };
    const timer = setTimeout(() => {
      finish(reject, new Error(`mockpay did not print its gateway banner within ${START_TIMEOUT_MS} ms; output so far:\n${output.join('')}`));
    }, START_TIMEOUT_MS);
    child.stdout.on('data', chunk => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop();
      for (const line of lines) {
        const m = BANNER_RE.exec(line);
        if (m) finish(resolve, m[1]);
      }
    });
    child.once('error', err => finish(reject, err));
    child.once('exit', (code, signal) => {
      finish(reject, new Error(`mockpay exited before it was ready (code ${code}, signal ${signal}); output:\n${output.join('')}`));
    });
  });
}

/**
 * Start mockpay. Resolves to { base, gateway, apps, stop(), output() }.
 * Options: dbPath (default: a fresh file in a temp dir) and extraArgs for
 * `serve` (e.g. ['--clock-start', ...]).
 */
async function startMockpay({ dbPath, extraArgs = [] } = {}) {
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mockpay-compat-node-'));
  let bin = process.env.MOCKPAY_BIN;
  if (bin) {
    bin = path.resolve(bin);
  } else {
    try {
      bin = await buildBinary(path.join(tmpDir, 'mockpay'));
    } catch (err) {
      fs.rmSync(tmpDir, { recursive: true, force: true });
      throw err;
    }
  }

  const output = [];
  const child = spawn(bin, ['serve', '--addr', '127.0.0.1:0', '--db', dbPath ?? path.join(tmpDir, 'mockpay.db'), ...extraArgs], {
    cwd: tmpDir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', d => output.push(d));
  child.stderr.on('data', d => output.push(d));
  const exited = new Promise(resolve => child.once('exit', resolve));
  // Never leave the server behind if the test process dies without running `after`.
  const killOnExit = () => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM'); };
  process.once('exit', killOnExit);

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    process.removeListener('exit', killOnExit);
    fs.rmSync(tmpDir, { recursive: true, force: true });
  };

  let base;
  try {
    base = await waitForBanner(child, output);
  } catch (err) {
    await stop();
    throw err;
  }

  let apps;
  try {
    const res = await fetch(`${base}/_mockpay/api/apps`);
    const text = await res.text();
    if (res.status !== 200) {
      throw new Error(`GET /_mockpay/api/apps -> HTTP ${res.status}: ${text}`);
    }
    apps = JSON.parse(text);
    if (!Array.isArray(apps)) throw new Error(`GET /_mockpay/api/apps did not return a JSON array: ${text}`);
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    base,
    gateway: `${base}/gateway.do`,
    apps,
    stop,
    output: () => output.join(''),
  };
}

module.exports = { startMockpay, REPO_ROOT };
