'use strict';

// Shared set-up for the suites added with issue 4: one mockpay, one merchant
// server, an SDK client per fixture app, and exec() that turns SDK
// exceptions into descriptive failures.

const assert = require('node:assert/strict');
const { AlipaySdk } = require('alipay-sdk');

const { startMockpay } = require('./mockpay');
const { MerchantServer } = require('./merchant');
const { newOutTradeNo, payOrder } = require('./flow');

const SUBJECT = 'mockpay 兼容性测试 商品';

/** Start mockpay and a merchant; resolves to a context the tests share. */
async function setUp() {
  const env = await startMockpay();
  const merchant = await new MerchantServer().start();
  const rsa2App = env.apps.find(a => a.sign_type === 'RSA2' && a.key_mode !== 'cert');
  assert.ok(rsa2App, 'GET /_mockpay/api/apps has a public-key RSA2 app');
  const ctx = { env, merchant, rsa2App };
  ctx.makeSdk = (app, overrides = {}) => new AlipaySdk({
    appId: app.app_id,
    privateKey: app.app_private_key_pem,
    alipayPublicKey: app.alipay_public_key_pem,
    gateway: env.gateway,
    signType: app.sign_type,
    timeout: 10_000,
    ...overrides,
  });
  ctx.sdk = ctx.makeSdk(rsa2App);
  ctx.tearDown = async () => {
    await merchant.stop();
    await env.stop();
  };
  return ctx;
}

/** sdk.exec with validateSign; failures name the method and the raw answer. */
async function exec(client, method, bizContent, extra = {}) {
  try {
    return await client.exec(method, { bizContent, ...extra }, { validateSign: true });
  } catch (err) {
    const raw = err.responseDataRaw ? `\nraw response: ${err.responseDataRaw}` : '';
    throw new Error(`sdk.exec('${method}', ${JSON.stringify(bizContent)}, {validateSign:true}) threw ${err.name}: ${err.message}${raw}`, { cause: err });
  }
}

/** page.pay → cashier → pay; waits for the payment notification. */
async function paidOrder(ctx, tag, totalAmount) {
  const outTradeNo = newOutTradeNo(tag);
  const url = ctx.sdk.pageExecute('alipay.trade.page.pay', 'GET', {
    bizContent: { outTradeNo, totalAmount, subject: SUBJECT, productCode: 'FAST_INSTANT_TRADE_PAY' },
    notifyUrl: ctx.merchant.notifyUrl,
    returnUrl: ctx.merchant.returnUrl,
  });
  const { params } = await payOrder(ctx.env, url, ctx.merchant.returnUrl);
  await ctx.merchant.waitForNotification(outTradeNo);
  return { outTradeNo, tradeNo: params.trade_no };
}

/** Wait until n notifications for outTradeNo arrived; resolves to them. */
async function waitForNotifications(merchant, outTradeNo, n, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = merchant.notificationsFor(outTradeNo);
    if (got.length >= n) return got;
    if (Date.now() > deadline) {
      throw new Error(`want ${n} notifications for ${outTradeNo}, got ${got.length}`);
    }
    await new Promise(r => setTimeout(r, 50));
  }
}

/** The trade_no a cashier page shows (data-testid="trade-no"). */
function tradeNoOf(html) {
  const m = /data-testid="trade-no">(\d{28})</.exec(html);
  assert.ok(m, `the page shows no trade_no: ${html.slice(0, 800)}`);
  return m[1];
}

/** GET a mockpay page as a browser would, without following redirects. */
async function browse(url, form) {
  const init = { redirect: 'manual' };
  if (form) {
    init.method = 'POST';
    init.body = new URLSearchParams(form);
  }
  const res = await fetch(url, init);
  return { status: res.status, type: res.headers.get('content-type') || '', body: await res.text(), location: res.headers.get('location') };
}

/** Press a button in the cashier of an existing trade: /cashier/trade/<trade_no>. */
async function pressInTradeCashier(env, tradeNo, action) {
  return browse(`${env.base}/cashier/trade/${tradeNo}`, { action });
}

module.exports = { setUp, exec, paidOrder, waitForNotifications, tradeNoOf, browse, pressInTradeCashier, SUBJECT };
