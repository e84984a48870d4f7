'use strict';

// Starts the mockpay binary ($MOCKPAY_BIN) on a free port and reads its
// apps, as a shop's CI does.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

async function start() {
  const bin = process.env.MOCKPAY_BIN;
  if (!bin) throw new Error('MOCKPAY_BIN is not set: run `make test-compat-wechatpay-tenpay-v2`');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mockpay-tenpay-'));
  const child = spawn(bin, ['serve', '--addr', '127.0.0.1:0', '--db', path.join(dir, 'mockpay.db')], { cwd: dir });
  let log = '';
  child.stderr.on('data', d => { log += d; });
  const base = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('mockpay printed no banner within 60s\n' + log)), 60000);
    child.stdout.on('data', d => {
      out += d;
      const m = /gateway:\s+(http:\/\/\S+)\/gateway\.do/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', code => { clearTimeout(timer); reject(new Error(`mockpay exited (${code})\n${log}`)); });
  });
  child.stdout.resume();
  const apps = await (await fetch(base + '/_mockpay/api/apps')).json();
  const merchants = apps.filter(a => a.protocol === 'wechatpay');
  if (merchants.length === 0) throw new Error('mockpay lists no WeChat Pay merchant');
  return {
    base, merchants,
    log: () => log,
    stop: () => new Promise(resolve => { child.once('exit', resolve); child.kill('SIGTERM'); }),
    // control is mockpay's control API, what CI pulls instead of a buyer.
    async control(p) {
      const rsp = await fetch(base + '/_mockpay/api' + p, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      const body = await rsp.json();
      if (rsp.status !== 200) throw new Error(`POST ${p}: ${rsp.status} ${JSON.stringify(body)}`);
      return body;
    },
  };
}

module.exports = { start };
