'use strict';

// Fault injection's canaries through alipay-sdk 4.14.0: the reserved amount
// 13579.13 sends four forged copies (tamper, wrongkey, forge, nosign) before
// the genuine notification; the SDK's checkNotifySignV2 refuses each and
// verifies the genuine one (README: Fault injection).

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { setUp, paidOrder, waitForNotifications } = require('../lib/sdk');

const T = { timeout: 60_000 };

describe('alipay-sdk against mockpay fault canaries', () => {
  let ctx;
  before(async () => { ctx = await setUp(); });
  after(async () => { if (ctx) await ctx.tearDown(); });

  test('every canary fails checkNotifySignV2; the genuine notification after them verifies', T, async () => {
    const { outTradeNo, tradeNo } = await paidOrder(ctx, 'CANARY', '13579.13');
    const got = await waitForNotifications(ctx.merchant, outTradeNo, 5);
    assert.equal(got.length, 5, 'four canaries and the genuine notification');
    const notifyId = got[4].params.notify_id;
    for (const [i, n] of got.slice(0, 4).entries()) {
      assert.equal(ctx.sdk.checkNotifySignV2(n.params), false, `canary ${i + 1} verifies: ${n.raw.slice(0, 300)}`);
      assert.equal(n.params.notify_id, notifyId, 'a canary is a copy of the notification');
    }
    assert.equal(got[0].params.total_amount, '135791.30', 'tamper claims ten times the amount');
    assert.equal(got[3].params.sign, undefined, 'nosign has no sign');
    assert.equal(ctx.sdk.checkNotifySignV2(got[4].params), true, `the genuine one verifies: ${got[4].raw}`);
    assert.equal(got[4].params.trade_no, tradeNo);
    assert.equal(got[4].params.total_amount, '13579.13');
  });
});
