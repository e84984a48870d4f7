'use strict';

// alipay-sdk 3.x (3.6.2, the newest 3.x release), which some shops still
// run, against a spawned mockpay (issue 12 item 8). 3.x is `require(...)
// .default`; pageExec() builds a GET URL or a POST form, exec() posts, and
// validateSign cuts the node out of the raw body like 4.x (§6.3).
//
// Skipped, and why: certificate mode, app pay, barcode pay and bills are
// the same calls 4.x makes (test/ in compat/node covers them with 4.14.0);
// the POST form of pageExec() writes values with only " escaped (its own
// bug: a < or & in a value would be misread by a browser), so the page
// order has a plain subject and the raw characters go through exec().

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const AlipaySdk = require('alipay-sdk').default;

const { startMockpay } = require('../../lib/mockpay');
const { MerchantServer } = require('../../lib/merchant');
const { newOutTradeNo, payOrder } = require('../../lib/flow');

const SUBJECT = 'v3 <礼物> 😀𠜎 "q"';
const BODY = 'x & y <b>😀</b>';
const PAGE_SUBJECT = 'v3 兼容性测试 商品';

let env, merchant, app, sdk;

before(async () => {
  env = await startMockpay();
  merchant = await new MerchantServer().start();
  app = env.apps.find(a => a.sign_type === 'RSA2' && a.key_mode !== 'cert');
  assert.ok(app, 'a public-key RSA2 fixture app');
  sdk = new AlipaySdk({
    appId: app.app_id,
    privateKey: app.app_private_key_pem,
    alipayPublicKey: app.alipay_public_key_pem,
    gateway: env.gateway,
    timeout: 10_000,
  });
});

after(async () => {
  await merchant?.stop();
  await env?.stop();
});

async function exec(method, bizContent) {
  return sdk.exec(method, { bizContent }, { validateSign: true });
}

for (const how of ['GET', 'POST']) {
  test(`3.x: pageExec ${how} → cashier → pay → return, notification, query, refund`, async () => {
    const outTradeNo = newOutTradeNo(`V3${how[0]}`);
    const out = sdk.pageExec('alipay.trade.page.pay', {
      method: how,
      bizContent: { outTradeNo, totalAmount: '7.70', subject: PAGE_SUBJECT, productCode: 'FAST_INSTANT_TRADE_PAY' },
      notifyUrl: merchant.notifyUrl,
      returnUrl: merchant.returnUrl,
    });
    const { params } = await payOrder(env, out, merchant.returnUrl);
    assert.equal(sdk.checkNotifySign(params), true, `return params verify: ${JSON.stringify(params)}`);

    const n = await merchant.waitForNotification(outTradeNo);
    assert.equal(n.params.trade_status, 'TRADE_SUCCESS');
    assert.equal(sdk.checkNotifySign(n.params), true, `notification verifies: ${n.raw}`);

    const q = await exec('alipay.trade.query', { outTradeNo });
    assert.equal(q.code, '10000');
    assert.equal(q.tradeStatus, 'TRADE_SUCCESS');
    assert.equal(q.totalAmount, '7.70');

    const r = await exec('alipay.trade.refund', { outTradeNo, refundAmount: '1.70', outRequestNo: `${outTradeNo}R` });
    assert.equal(r.code, '10000', JSON.stringify(r));
    assert.equal(r.fundChange, 'Y');
    assert.equal(r.refundFee, '1.70');
  });
}

test('3.x: <, >, & and non-BMP characters in a verified node', async () => {
  const outTradeNo = newOutTradeNo('V3J');
  const c = await exec('alipay.trade.create', { outTradeNo, totalAmount: '2.00', subject: SUBJECT, body: BODY, buyerId: '2088102177846880' });
  assert.equal(c.code, '10000', JSON.stringify(c));
  const q = await exec('alipay.trade.query', { outTradeNo });
  assert.equal(q.subject, SUBJECT);
  assert.equal(q.body, BODY);
});

test('3.x: a business error is signed and verifies in the method node', async () => {
  const r = await exec('alipay.trade.query', { outTradeNo: newOutTradeNo('V3N') });
  assert.equal(r.code, '40004');
  assert.equal(r.subCode, 'ACQ.TRADE_NOT_EXIST');
});

test('3.x: a forged answer is rejected (the check is real)', async () => {
  const other = env.apps.find(a => a.app_id !== app.app_id && a.alipay_public_key_pem);
  const wrongKey = new AlipaySdk({
    appId: app.app_id, privateKey: app.app_private_key_pem, alipayPublicKey: other.alipay_public_key_pem,
    gateway: env.gateway, timeout: 10_000,
  });
  await assert.rejects(wrongKey.exec('alipay.trade.query', { bizContent: { outTradeNo: 'none' } }, { validateSign: true }));
});
