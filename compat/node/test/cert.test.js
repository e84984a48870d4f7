'use strict';

// Certificate mode through alipay-sdk 4.14.0 (doc §2.4): the SDK reads
// mockpay's certificate files (appCertContent, alipayPublicCertContent,
// alipayRootCertContent), sends the SNs it computes, and verifies the
// responses and notifications.

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

describe('alipay-sdk certificate mode against mockpay', () => {
  let ctx;
  let certApp;
  let files;
  before(async () => {
    ctx = await setUp();
    certApp = ctx.env.apps.find(a => a.key_mode === 'cert');
    assert.ok(certApp, 'GET /_mockpay/api/apps lists a cert-mode app');
    const certs = JSON.parse(await text(`${ctx.env.base}/_mockpay/api/apps/${certApp.app_id}/certs`));
    files = {};
    for (const [name, url] of Object.entries(certs.files)) files[name] = await text(url);
  });
  after(async () => { if (ctx) await ctx.tearDown(); });

  function certSdk(overrides = {}) {
    return ctx.makeSdk(certApp, {
      alipayPublicKey: undefined,
      appCertContent: files[`appCertPublicKey_${certApp.app_id}.crt`],
      alipayPublicCertContent: files['alipayCertPublicKey_RSA2.crt'],
      alipayRootCertContent: files['alipayRootCert.crt'],
      ...overrides,
    });
  }

  test('page pay, notification, query and refund with certificates', T, async () => {
    const sdk = certSdk();
    assert.ok(sdk.config.appCertSn && sdk.config.alipayRootCertSn, 'the SDK computed the SNs');
    assert.ok(!sdk.config.alipayRootCertSn.includes('_'), 'the ECC root of the bundle is skipped: one RSA root SN');

    const outTradeNo = newOutTradeNo('CERT');
    const url = sdk.pageExecute('alipay.trade.page.pay', 'GET', {
      bizContent: { outTradeNo, totalAmount: '4.20', subject: SUBJECT, productCode: 'FAST_INSTANT_TRADE_PAY' },
      notifyUrl: ctx.merchant.notifyUrl,
      returnUrl: ctx.merchant.returnUrl,
    });
    const { params } = await payOrder(ctx.env, url, ctx.merchant.returnUrl);
    assert.equal(sdk.checkNotifySignV2(params), true, 'the return verifies with the certificate key');
    const n = await ctx.merchant.waitForNotification(outTradeNo);
    assert.equal(n.params.alipay_cert_sn, undefined, 'no alipay_cert_sn in notifications (doc §3.3)');
    assert.equal(sdk.checkNotifySignV2(n.params), true, 'the notification verifies with the certificate key');

    const q = await exec(sdk, 'alipay.trade.query', { outTradeNo });
    assert.equal(q.code, '10000', JSON.stringify(q));
    assert.equal(q.tradeStatus, 'TRADE_SUCCESS');
    const r = await exec(sdk, 'alipay.trade.refund', { outTradeNo, refundAmount: '1.00', outRequestNo: 'R1' });
    assert.equal(r.refundFee, '1.00', JSON.stringify(r));

    const dl = await exec(sdk, 'alipay.open.app.alipaycert.download', { alipayCertSn: sdk.config.alipayCertSn });
    assert.equal(Buffer.from(dl.alipayCertContent, 'base64').toString(), files['alipayCertPublicKey_RSA2.crt']);
  });

  test('a wrong root certificate SN gets the platform error, signed', T, async () => {
    const sdk = certSdk();
    sdk.config.alipayRootCertSn = `${sdk.config.alipayRootCertSn}_0`;
    const r = await exec(sdk, 'alipay.trade.query', { outTradeNo: 'CERT-NONE' });
    assert.equal(r.code, '40002');
    assert.equal(r.subCode, 'isv.invalid-alipay-root-cert-sn');
  });

  test('a public-key client of a cert-mode app is told the app_cert_sn is missing', T, async () => {
    const sdk = ctx.makeSdk(certApp);
    const r = await sdk.exec('alipay.trade.query', { bizContent: { outTradeNo: 'CERT-NONE' } });
    assert.equal(r.subCode, 'isv.missing-app-cert-sn', JSON.stringify(r));
  });
});
