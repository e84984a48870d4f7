'use strict';

// Content encryption (接口内容加密, encrypt_type=AES) through alipay-sdk 4.14.0's
// encryptKey option and per-call needEncrypt (issue 12 item 3; doc §2.2, §6.3).
//
// The SDK's response-sign check (validateSign) cannot check an encrypted
// answer: getSignStr cuts the node from its first '{' to its last '}', and an
// encrypted node is a JSON string with neither. The real platform's answers
// are the same shape (smartwalle verifies them: compat/smartwalle/aes_test.go),
// so these calls run without validateSign and assert what the SDK decrypts.

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { setUp, SUBJECT } = require('../lib/sdk');
const { newOutTradeNo, payOrder } = require('../lib/flow');

const T = { timeout: 60_000 };

describe('alipay-sdk encryptKey (AES) against mockpay', () => {
  let ctx;
  let sdk;
  before(async () => {
    ctx = await setUp();
    assert.ok(ctx.rsa2App.aes_key, `GET /_mockpay/api/apps gives ${ctx.rsa2App.app_id} an aes_key`);
    sdk = ctx.makeSdk(ctx.rsa2App, { encryptKey: ctx.rsa2App.aes_key });
  });
  after(async () => { if (ctx) await ctx.tearDown(); });

  test('an encrypted page.pay is paid; the encrypted query answer decrypts', T, async () => {
    const outTradeNo = newOutTradeNo('AES');
    const url = sdk.pageExecute('alipay.trade.page.pay', 'GET', {
      bizContent: { outTradeNo, totalAmount: '3.30', subject: SUBJECT, productCode: 'FAST_INSTANT_TRADE_PAY' },
      needEncrypt: true,
      notifyUrl: ctx.merchant.notifyUrl,
      returnUrl: ctx.merchant.returnUrl,
    });
    const sent = new URL(url).searchParams;
    assert.equal(sent.get('encrypt_type'), 'AES');
    assert.ok(!sent.get('biz_content').startsWith('{'), `biz_content is encrypted: ${sent.get('biz_content')}`);
    const { params } = await payOrder(ctx.env, url, ctx.merchant.returnUrl);
    await ctx.merchant.waitForNotification(outTradeNo);

    const r = await sdk.exec('alipay.trade.query', { bizContent: { outTradeNo }, needEncrypt: true });
    assert.equal(r.code, '10000', JSON.stringify(r));
    assert.equal(r.tradeNo, params.trade_no);
    assert.equal(r.totalAmount, '3.30');
    assert.equal(r.tradeStatus, 'TRADE_SUCCESS');

    const missing = await sdk.exec('alipay.trade.query', { bizContent: { outTradeNo: `${outTradeNo}-NONE` }, needEncrypt: true });
    assert.equal(missing.subCode, 'ACQ.TRADE_NOT_EXIST', JSON.stringify(missing));
  });

  test('a wrong key gets isv.invalid-encrypt in a plain node', T, async () => {
    const wrong = ctx.makeSdk(ctx.rsa2App, { encryptKey: Buffer.from('wrong key 16 byt').toString('base64') });
    const r = await wrong.exec('alipay.trade.query', { bizContent: { outTradeNo: 'AES-WRONG' }, needEncrypt: true }, { validateSign: true });
    assert.equal(r.code, '40002', JSON.stringify(r));
    assert.equal(r.subCode, 'isv.invalid-encrypt');
  });
});
