'use strict';

// App pay: sdkExecute's order string (insertion order, %20 for spaces) goes
// to mockpay's /_mockpay/api/app-pay, which plays the Alipay app (doc §2.7).

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { setUp, SUBJECT } = require('../lib/sdk');
const { newOutTradeNo } = require('../lib/flow');

const T = { timeout: 60_000 };

describe('alipay-sdk app pay against mockpay', () => {
  let ctx;
  before(async () => { ctx = await setUp(); });
  after(async () => { if (ctx) await ctx.tearDown(); });

  test('sdkExecute order string → app-pay → 9000 with a signed result → notification', T, async () => {
    const outTradeNo = newOutTradeNo('APP');
    const orderStr = ctx.sdk.sdkExecute('alipay.trade.app.pay', {
      bizContent: { outTradeNo, totalAmount: '2.50', subject: SUBJECT, productCode: 'QUICK_MSECURITY_PAY' },
      notifyUrl: ctx.merchant.notifyUrl,
    });
    assert.match(orderStr, /%20/, 'sdkExecute encodes spaces as %20');
    const res = await fetch(`${ctx.env.base}/_mockpay/api/app-pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ order_str: orderStr }),
    });
    const body = await res.json();
    assert.equal(res.status, 200, JSON.stringify(body));
    assert.equal(body.resultStatus, '9000');
    const result = JSON.parse(body.result);
    assert.equal(result.alipay_trade_app_pay_response.out_trade_no, outTradeNo);
    assert.equal(result.sign_type, 'RSA2');
    const n = await ctx.merchant.waitForNotification(outTradeNo);
    assert.equal(ctx.sdk.checkNotifySignV2(n.params), true);
    assert.equal(n.params.trade_status, 'TRADE_SUCCESS');

    const again = await fetch(`${ctx.env.base}/_mockpay/api/app-pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ order_str: orderStr, action: 'pay' }),
    });
    assert.equal((await again.json()).resultStatus, '5000', 'paying the same order again is a duplicate');
  });
});
