'use strict';

// alipay.trade.pay with the sandbox's magic payment codes, and
// alipay.trade.cancel, through alipay-sdk 4.14.0 (doc §2.7; README "Magic
// auth codes").

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { setUp, exec, pressInTradeCashier, waitForNotifications, SUBJECT } = require('../lib/sdk');
const { newOutTradeNo } = require('../lib/flow');

const T = { timeout: 60_000 };
const CODES = {
  success: '286666666666666666',
  wait: '283333333333333333',
  balanceLow: '284444444444444444',
  expired: '285555555555555555',
};

describe('alipay-sdk barcode pay and cancel against mockpay', () => {
  let ctx;
  before(async () => { ctx = await setUp(); });
  after(async () => { if (ctx) await ctx.tearDown(); });

  const pay = (outTradeNo, authCode, totalAmount = '8.00') => exec(ctx.sdk, 'alipay.trade.pay',
    { outTradeNo, totalAmount, subject: SUBJECT, scene: 'bar_code', authCode },
    { notifyUrl: ctx.merchant.notifyUrl });

  test('success code: 10000, paid and notified; cancel refunds it', T, async () => {
    const outTradeNo = newOutTradeNo('BOK');
    const r = await pay(outTradeNo, CODES.success);
    assert.equal(r.code, '10000', JSON.stringify(r));
    assert.equal(r.receiptAmount, '8.00');
    assert.ok(Array.isArray(r.fundBillList) && r.fundBillList.length === 1, 'fund_bill_list is an array of objects');
    const n = await ctx.merchant.waitForNotification(outTradeNo);
    assert.equal(ctx.sdk.checkNotifySignV2(n.params), true);
    assert.equal(n.params.trade_status, 'TRADE_SUCCESS');

    const c = await exec(ctx.sdk, 'alipay.trade.cancel', { outTradeNo });
    assert.equal(c.code, '10000', JSON.stringify(c));
    assert.equal(c.action, 'refund');
    assert.equal(c.retryFlag, 'N');
    const closed = (await waitForNotifications(ctx.merchant, outTradeNo, 2))[1];
    assert.equal(ctx.sdk.checkNotifySignV2(closed.params), true);
    assert.equal(closed.params.trade_status, 'TRADE_CLOSED');
  });

  test('wait code: 10003, polled, confirmed by the buyer in the cashier', T, async () => {
    const outTradeNo = newOutTradeNo('BWAIT');
    const r = await pay(outTradeNo, CODES.wait);
    assert.equal(r.code, '10003', JSON.stringify(r));
    assert.equal(r.msg, ' order success pay inprocess');
    const q = await exec(ctx.sdk, 'alipay.trade.query', { outTradeNo });
    assert.equal(q.tradeStatus, 'WAIT_BUYER_PAY');
    const page = await pressInTradeCashier(ctx.env, r.tradeNo, 'pay');
    assert.equal(page.status, 200);
    const n = await ctx.merchant.waitForNotification(outTradeNo);
    assert.equal(n.params.trade_status, 'TRADE_SUCCESS');
    assert.equal((await exec(ctx.sdk, 'alipay.trade.query', { outTradeNo })).tradeStatus, 'TRADE_SUCCESS');
  });

  test('wait code, then cancel closes the trade', T, async () => {
    const outTradeNo = newOutTradeNo('BWCAN');
    const r = await pay(outTradeNo, CODES.wait);
    assert.equal(r.code, '10003');
    const c = await exec(ctx.sdk, 'alipay.trade.cancel', { outTradeNo });
    assert.equal(c.action, 'close', JSON.stringify(c));
    assert.equal(c.retryFlag, 'N');
    assert.equal((await exec(ctx.sdk, 'alipay.trade.query', { outTradeNo })).tradeStatus, 'TRADE_CLOSED');
  });

  for (const [name, code, subCode] of [
    ['balance code', CODES.balanceLow, 'ACQ.BUYER_BALANCE_NOT_ENOUGH'],
    ['expired code', CODES.expired, 'ACQ.PAYMENT_AUTH_CODE_INVALID'],
    ['not a payment code', '12345', 'ACQ.PAYMENT_AUTH_CODE_INVALID'],
  ]) {
    test(`${name}: 40004 ${subCode}, no trade, cancel finds nothing`, T, async () => {
      const outTradeNo = newOutTradeNo('BNO');
      const r = await pay(outTradeNo, code);
      assert.equal(r.code, '40004', JSON.stringify(r));
      assert.equal(r.subCode, subCode);
      assert.equal((await exec(ctx.sdk, 'alipay.trade.query', { outTradeNo })).subCode, 'ACQ.TRADE_NOT_EXIST');
      const c = await exec(ctx.sdk, 'alipay.trade.cancel', { outTradeNo });
      assert.equal(c.code, '10000');
      assert.equal(c.retryFlag, 'N');
      assert.equal(c.action, undefined);
    });
  }
});
