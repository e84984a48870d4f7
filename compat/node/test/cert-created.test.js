'use strict';

// Certificate mode for an app created through the control API (issue 12
// item 6): POST /_mockpay/api/apps {"key_mode":"certificate"}, its files
// issued by mockpay's local CA and downloaded from /certs, loaded into
// alipay-sdk 4.14.0 exactly as the real console's files are (doc §2.4): a
// page-pay loop with its notification, and queries.

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { setUp, exec, SUBJECT } = require('../lib/sdk');
const { newOutTradeNo, payOrder } = require('../lib/flow');

const T = { timeout: 60_000 };

async function text(url) {
  const res = await fetch(url);
  assert.equal(res.status, 200, `GET ${url}`);
  return res.text();
}

describe('alipay-sdk certificate mode, app created through the control API', () => {
  let ctx;
  let app;
  let files;
  let certs;
  before(async () => {
    ctx = await setUp();
    const res = await fetch(`${ctx.env.base}/_mockpay/api/apps`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'node cert shop', key_mode: 'certificate' }),
    });
    assert.equal(res.status, 201, 'POST /_mockpay/api/apps');
    app = await res.json();
    assert.equal(app.key_mode, 'cert');
    certs = JSON.parse(await text(`${ctx.env.base}/_mockpay/api/apps/${app.app_id}/certs`));
    files = {};
    for (const [name, url] of Object.entries(certs.files)) files[name] = await text(url);
  });
  after(async () => { if (ctx) await ctx.tearDown(); });

  function certSdk() {
    return ctx.makeSdk(app, {
      alipayPublicKey: undefined,
      appCertContent: files[`appCertPublicKey_${app.app_id}.crt`],
      alipayPublicCertContent: files['alipayCertPublicKey_RSA2.crt'],
      alipayRootCertContent: files['alipayRootCert.crt'],
    });
  }

  test('the SDK computes the SNs the apps API shows', T, () => {
    const sdk = certSdk();
    assert.equal(sdk.config.appCertSn, app.app_cert_sn);
    assert.equal(sdk.config.alipayCertSn, app.alipay_cert_sn);
    assert.equal(sdk.config.alipayRootCertSn, app.alipay_root_cert_sn);
    assert.ok(!sdk.config.alipayRootCertSn.includes('_'), 'the ECC root is skipped: the local CA is the one RSA root');
  });

  test('page pay, return, notification and query with the downloaded certificates', T, async () => {
    const sdk = certSdk();
    const outTradeNo = newOutTradeNo('CCRT');
    const none = await exec(sdk, 'alipay.trade.query', { outTradeNo });
    assert.equal(none.subCode, 'ACQ.TRADE_NOT_EXIST', JSON.stringify(none));

    const url = sdk.pageExecute('alipay.trade.page.pay', 'GET', {
      bizContent: { outTradeNo, totalAmount: '3.10', subject: SUBJECT, productCode: 'FAST_INSTANT_TRADE_PAY' },
      notifyUrl: ctx.merchant.notifyUrl,
      returnUrl: ctx.merchant.returnUrl,
    });
    const { params } = await payOrder(ctx.env, url, ctx.merchant.returnUrl);
    assert.equal(sdk.checkNotifySignV2(params), true, 'the return verifies with the certificate key');
    const n = await ctx.merchant.waitForNotification(outTradeNo);
    assert.equal(n.params.app_id, app.app_id);
    assert.equal(sdk.checkNotifySignV2(n.params), true, 'the notification verifies with the certificate key');

    const q = await exec(sdk, 'alipay.trade.query', { outTradeNo });
    assert.equal(q.code, '10000', JSON.stringify(q));
    assert.equal(q.tradeStatus, 'TRADE_SUCCESS');
    assert.equal(q.totalAmount, '3.10');
  });
});
