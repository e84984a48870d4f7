'use strict';

// The bill download through alipay-sdk 4.14.0 (doc §2.7). Bills are T+1:
// the trades are made by a mockpay whose virtual clock starts a day ago
// (--clock-start), and the bill is fetched from a mockpay on the same
// database running on today.

const { describe, test, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { AlipaySdk } = require('alipay-sdk');

const { startMockpay } = require('../lib/mockpay');
const { exec, SUBJECT } = require('../lib/sdk');
const { newOutTradeNo } = require('../lib/flow');
const { unzip } = require('../lib/unzip');

const T = { timeout: 120_000 };
const gbk = new TextDecoder('gbk');

describe('alipay-sdk bill download against mockpay', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mockpay-bill-'));
  const dbPath = path.join(dir, 'bill.db');
  const running = [];
  after(async () => {
    for (const env of running) await env.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function sdkFor(env) {
    const app = env.apps.find(a => a.sign_type === 'RSA2' && a.key_mode !== 'cert');
    return new AlipaySdk({ appId: app.app_id, privateKey: app.app_private_key_pem, alipayPublicKey: app.alipay_public_key_pem, gateway: env.gateway, timeout: 10_000 });
  }

  test("yesterday's trades and refunds in a zip of GBK CSV files", T, async () => {
    const yesterday = new Date(Date.now() - 24 * 3600 * 1000).toISOString();
    const past = await startMockpay({ dbPath, extraArgs: ['--clock-start', yesterday] });
    running.push(past);
    let sdk = sdkFor(past);
    let billDate;
    let tradeNo;
    for (const totalAmount of ['10.00', '2.50']) {
      const r = await exec(sdk, 'alipay.trade.pay', { outTradeNo: newOutTradeNo('BILL'), totalAmount, subject: SUBJECT, scene: 'bar_code', authCode: '286666666666666666' });
      assert.equal(r.code, '10000', JSON.stringify(r));
      billDate ??= r.gmtPayment.slice(0, 10);
      tradeNo ??= r.tradeNo;
    }
    const refund = await exec(sdk, 'alipay.trade.refund', { tradeNo, refundAmount: '3.00', outRequestNo: 'RQ1' });
    assert.equal(refund.code, '10000', JSON.stringify(refund));
    await past.stop();

    const today = await startMockpay({ dbPath });
    running.push(today);
    sdk = sdkFor(today);
    const q = await exec(sdk, 'alipay.data.dataservice.bill.downloadurl.query', { billType: 'trade', billDate });
    assert.equal(q.code, '10000', JSON.stringify(q));
    assert.ok(q.billDownloadUrl.startsWith(`${today.base}/`), q.billDownloadUrl);
    const none = await exec(sdk, 'alipay.data.dataservice.bill.downloadurl.query', { billType: 'trade', billDate: '2016-01-01' });
    assert.equal(none.subCode, 'isp.bill_not_exist');

    const res = await fetch(q.billDownloadUrl);
    assert.equal(res.status, 200);
    const entries = unzip(Buffer.from(await res.arrayBuffer()));
    const files = Object.fromEntries(entries.map(e => [gbk.decode(e.nameBytes), gbk.decode(e.data)]));
    const detailName = Object.keys(files).find(n => n.endsWith('_业务明细.csv'));
    assert.ok(detailName, `the zip holds the detail CSV, named in GBK: ${Object.keys(files)}`);
    const detail = files[detailName];
    assert.match(detail, /#交易合计：2笔，商家实收共12\.50元/);
    assert.match(detail, /#退款合计：1笔，商家实收退款共-3\.00元/);
    assert.ok(detail.includes(`${tradeNo}\t,`), 'the trade row starts with the trade_no and its tab');
  });
});
