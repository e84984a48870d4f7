'use strict';

// alipay-sdk 2.x (2.0.2, the only 2.x release the registry serves), which
// some shops still run, against a spawned mockpay (issue 12 item 8). Its
// shapes differ from 4.x: the gateway option is spelled `getway`, execute()
// sends every parameter in a GET query string, page_execute() returns a
// POST form, and a response is verified over JSON.stringify of the parsed
// node — so it verifies only when mockpay writes node JSON as the platform
// does, <, >, & and non-BMP characters raw (issue 12 item 1; §2.5, §6.3).
//
// Skipped, and why: 2.x has no certificate mode (no cert options), no
// app-pay string builder and no bill download helper; it does not verify
// error nodes (it skips any node with a sub_code by design), so errors are
// only checked for their code; refunds add nothing execute() does not
// already show for a query.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const AlipaySdk = require('alipay-sdk');

const { startMockpay } = require('../../lib/mockpay');
const { MerchantServer } = require('../../lib/merchant');
const { newOutTradeNo, payOrder } = require('../../lib/flow');

// A subject may not hold & (§2.7); the body may. page_execute() writes
// values into its form with only " escaped (its own bug: a < or & there
// would be misread by a browser's form), so the page order has a plain
// subject and the raw characters go through execute().
const SUBJECT = 'v2 <礼物> 😀𠜎 "q"';
const BODY = 'x & y <b>😀</b>';
const PAGE_SUBJECT = 'v2 兼容性测试 商品';

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
    getway: env.gateway,
    timeout: 10_000,
  });
});

after(async () => {
  await merchant?.stop();
  await env?.stop();
});

test('2.x: page_execute form → cashier → pay → return, notification and query verify', async () => {
  const outTradeNo = newOutTradeNo('V2');
  const form = await sdk.page_execute('alipay.trade.page.pay', {
    outTradeNo, totalAmount: '6.60', subject: PAGE_SUBJECT, productCode: 'FAST_INSTANT_TRADE_PAY',
  }, { notifyUrl: merchant.notifyUrl, returnUrl: merchant.returnUrl });
  assert.match(form, /^<form action="[^"]*\/gateway\.do" method="post"/);

  const { params } = await payOrder(env, form, merchant.returnUrl);
  assert.equal(sdk.checkNotifySign(params), true, `return params verify: ${JSON.stringify(params)}`);

  const n = await merchant.waitForNotification(outTradeNo);
  assert.equal(n.params.trade_status, 'TRADE_SUCCESS');
  assert.equal(n.params.subject, PAGE_SUBJECT);
  assert.equal(sdk.checkNotifySign(n.params), true, `notification verifies: ${n.raw}`);

  const q = await sdk.execute('alipay.trade.query', { outTradeNo }, {}, true);
  assert.equal(q.code, '10000');
  assert.equal(q.trade_status, 'TRADE_SUCCESS');
  assert.equal(q.total_amount, '6.60');
});

test('2.x: <, >, & and non-BMP characters verify over JSON.stringify of the node', async () => {
  // execute() verifies over JSON.stringify(node): a node with <, >, & or a
  // non-BMP character escaped (\u003c...) would be rejected.
  const outTradeNo = newOutTradeNo('V2J');
  const c = await sdk.execute('alipay.trade.create', {
    outTradeNo, totalAmount: '2.00', subject: SUBJECT, body: BODY, buyerId: '2088102177846880',
  }, {}, true);
  assert.equal(c.code, '10000', JSON.stringify(c));
  const q = await sdk.execute('alipay.trade.query', { outTradeNo }, {}, true);
  assert.equal(q.code, '10000');
  assert.equal(q.subject, SUBJECT);
  assert.equal(q.body, BODY);
});

test('2.x: a forged answer is rejected (the check is real)', async () => {
  const other = env.apps.find(a => a.app_id !== app.app_id && a.alipay_public_key_pem);
  assert.ok(other, 'a second app');
  const wrongKey = new AlipaySdk({
    appId: app.app_id, privateKey: app.app_private_key_pem, alipayPublicKey: other.alipay_public_key_pem,
    getway: env.gateway, timeout: 10_000,
  });
  const outTradeNo = newOutTradeNo('V2F');
  await sdk.execute('alipay.trade.precreate', { outTradeNo, totalAmount: '1.00', subject: 'forged' }, {}, true);
  await assert.rejects(wrongKey.execute('alipay.trade.precreate', { outTradeNo, totalAmount: '1.00', subject: 'forged' }, {}, true));
});

test('2.x: a business error comes back in the method node', async () => {
  const r = await sdk.execute('alipay.trade.query', { outTradeNo: newOutTradeNo('V2N') }, {}, true);
  assert.equal(r.code, '40004');
  assert.equal(r.sub_code, 'ACQ.TRADE_NOT_EXIST');
});
