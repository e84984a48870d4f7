'use strict';

// Refunds and refund queries through alipay-sdk 4.14.0 (doc §2.7, §3.2, §4.5).

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { setUp, exec, paidOrder, waitForNotifications } = require('../lib/sdk');

const T = { timeout: 60_000 };

describe('alipay-sdk refunds against mockpay', () => {
  let ctx;
  before(async () => { ctx = await setUp(); });
  after(async () => { if (ctx) await ctx.tearDown(); });

  test('partial, repeated, discordant, over-limit and closing refunds; refund query right after', T, async () => {
    const { outTradeNo, tradeNo } = await paidOrder(ctx, 'RFD', '10.00');
    const sdk = ctx.sdk;

    let r = await exec(sdk, 'alipay.trade.refund', { outTradeNo, refundAmount: '3.00', outRequestNo: 'RQ1', refundReason: 'broken' });
    assert.equal(r.code, '10000', JSON.stringify(r));
    assert.equal(r.fundChange, 'Y');
    assert.equal(r.refundFee, '3.00', 'refund_fee is cumulative');
    assert.equal(r.tradeNo, tradeNo);

    const q = await exec(sdk, 'alipay.trade.fastpay.refund.query', { outTradeNo, outRequestNo: 'RQ1' });
    assert.equal(q.code, '10000', JSON.stringify(q));
    assert.equal(q.refundStatus, 'REFUND_SUCCESS', 'a refund is complete when the call returns');
    assert.equal(q.totalAmount, '10.00');
    assert.equal(q.refundAmount, '3.00');

    const partial = (await waitForNotifications(ctx.merchant, outTradeNo, 2))[1];
    assert.equal(sdk.checkNotifySignV2(partial.params), true, `refund notification verifies: ${partial.raw}`);
    assert.equal(partial.params.trade_status, 'TRADE_SUCCESS');
    assert.equal(partial.params.refund_fee, '3.00');
    assert.equal(partial.params.out_biz_no, 'RQ1');
    assert.match(partial.params.gmt_refund, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/, 'gmt_refund has milliseconds');

    r = await exec(sdk, 'alipay.trade.refund', { outTradeNo, refundAmount: '3.00', outRequestNo: 'RQ1' });
    assert.equal(r.code, '10000');
    assert.equal(r.fundChange, 'N', 'a replay moves no money');
    r = await exec(sdk, 'alipay.trade.refund', { outTradeNo, refundAmount: '4.00', outRequestNo: 'RQ1' });
    assert.equal(r.subCode, 'ACQ.DISCORDANT_REPEAT_REQUEST', JSON.stringify(r));
    r = await exec(sdk, 'alipay.trade.refund', { tradeNo, refundAmount: '7.01', outRequestNo: 'RQ2' });
    assert.equal(r.subCode, 'ACQ.REFUND_AMT_NOT_EQUAL_TOTAL', JSON.stringify(r));

    r = await exec(sdk, 'alipay.trade.refund', { tradeNo, refundAmount: 7, outRequestNo: 'RQ2' });
    assert.equal(r.code, '10000', JSON.stringify(r));
    assert.equal(r.refundFee, '10.00');
    const full = (await waitForNotifications(ctx.merchant, outTradeNo, 3))[2];
    assert.equal(sdk.checkNotifySignV2(full.params), true);
    assert.equal(full.params.trade_status, 'TRADE_CLOSED');
    assert.ok(full.params.gmt_close, 'a full refund notification carries gmt_close');

    const tq = await exec(sdk, 'alipay.trade.query', { tradeNo });
    assert.equal(tq.tradeStatus, 'TRADE_CLOSED');
    const unknown = await exec(sdk, 'alipay.trade.fastpay.refund.query', { tradeNo, outRequestNo: 'NEVER' });
    assert.equal(unknown.code, '10000');
    assert.equal(unknown.refundStatus, undefined, 'an unknown out_request_no reports no refund (doc §2.7)');
  });
});
