'use strict';

// precreate → scan → pay → notify through alipay-sdk 4.14.0 (doc §2.7).

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { setUp, exec, tradeNoOf, browse, pressInTradeCashier, SUBJECT } = require('../lib/sdk');
const { newOutTradeNo } = require('../lib/flow');

const T = { timeout: 60_000 };

describe('alipay-sdk precreate against mockpay', () => {
  let ctx;
  before(async () => { ctx = await setUp(); });
  after(async () => { if (ctx) await ctx.tearDown(); });

  test('the qr_code leads to the scan page; scanning creates the trade; paying notifies', T, async () => {
    const outTradeNo = newOutTradeNo('QR');
    const r = await exec(ctx.sdk, 'alipay.trade.precreate', { outTradeNo, totalAmount: '6.60', subject: SUBJECT }, { notifyUrl: ctx.merchant.notifyUrl });
    assert.equal(r.code, '10000', JSON.stringify(r));
    assert.equal(r.outTradeNo, outTradeNo);
    assert.ok(r.qrCode.startsWith(`${ctx.env.base}/cashier/qr/`), `qr_code leads to mockpay: ${r.qrCode}`);

    const before = await exec(ctx.sdk, 'alipay.trade.query', { outTradeNo });
    assert.equal(before.subCode, 'ACQ.TRADE_NOT_EXIST', 'no trade before the scan');

    const img = await browse(`${r.qrCode}/image.png`);
    assert.equal(img.status, 200);
    assert.equal(img.type, 'image/png');

    const scan = await browse(r.qrCode);
    assert.equal(scan.status, 200);
    const tradeNo = tradeNoOf(scan.body);
    const opened = await exec(ctx.sdk, 'alipay.trade.query', { outTradeNo });
    assert.equal(opened.tradeStatus, 'WAIT_BUYER_PAY');
    assert.equal(opened.tradeNo, tradeNo);

    const paid = await pressInTradeCashier(ctx.env, tradeNo, 'pay');
    assert.equal(paid.status, 200);
    const n = await ctx.merchant.waitForNotification(outTradeNo);
    assert.equal(ctx.sdk.checkNotifySignV2(n.params), true, `notification verifies: ${n.raw}`);
    assert.equal(n.params.trade_status, 'TRADE_SUCCESS');
    assert.equal(n.params.trade_no, tradeNo);
  });
});
