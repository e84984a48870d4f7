'use strict';

// Compatibility suite: the real, unmodified npm package alipay-sdk@4.14.0
// driven against a freshly spawned mockpay (see ../README.md).

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { AlipaySdk } = require('alipay-sdk');
const sdkPkg = require('alipay-sdk/package.json');

const { startMockpay } = require('../lib/mockpay');
const { MerchantServer } = require('../lib/merchant');
const { Browser, htmlText } = require('../lib/browser');
const {
  newOutTradeNo, submitToGateway, openCashier, payAndReturn, payOrder,
  assertReturnParams, assertNotification,
} = require('../lib/flow');

const T = { timeout: 60_000 };
const SUBJECT = 'mockpay 兼容性测试 商品';

describe(`alipay-sdk ${sdkPkg.version} (node) against mockpay`, () => {
  let env; // { base, gateway, apps, stop, output }
  let merchant;
  let rsa2App; // first OpenAPI sign_type RSA2 fixture app
  let rsaApp; // first OpenAPI sign_type RSA fixture app
  let sdk; // RSA2 app, PKCS#1 private key (SDK default keyType)
  let sdkPkcs8; // RSA2 app, PKCS#8 private key (keyType 'PKCS8')

  function makeSdk(app, overrides = {}) {
    return new AlipaySdk({
      appId: app.app_id,
      privateKey: app.app_private_key_pem,
      alipayPublicKey: app.alipay_public_key_pem,
      gateway: env.gateway,
      signType: app.sign_type,
      timeout: 10_000,
      ...overrides,
    });
  }

  function pageBiz(outTradeNo, totalAmount, extra = {}) {
    return {
      outTradeNo,
      totalAmount,
      subject: SUBJECT,
      productCode: 'FAST_INSTANT_TRADE_PAY',
      ...extra,
    };
  }

  // sdk.exec with validateSign, turning SDK exceptions into descriptive failures.
  async function exec(client, method, bizContent) {
    try {
      return await client.exec(method, { bizContent }, { validateSign: true });
    } catch (err) {
      let hint = '';
      if (err instanceof TypeError && /signature/.test(err.message)) {
        hint = ' (the response carried no "sign"; doc §6.3: every response for a known app must be signed)';
      }
      const raw = err.responseDataRaw ? `\nraw response: ${err.responseDataRaw}` : '';
      throw new Error(`sdk.exec('${method}', ${JSON.stringify(bizContent)}, {validateSign:true}) threw ${err.name}: ${err.message}${hint}${raw}`, { cause: err });
    }
  }

  async function query(client, outTradeNo) {
    return exec(client, 'alipay.trade.query', { outTradeNo });
  }

  async function close(client, outTradeNo) {
    return exec(client, 'alipay.trade.close', { outTradeNo });
  }

  before(async () => {
    assert.equal(sdkPkg.version, '4.14.0', 'the suite pins alipay-sdk 4.14.0');
    env = await startMockpay();
    merchant = await new MerchantServer().start();

    // Legacy MAPI partners are listed too (protocol "legacy"); only OpenAPI apps suit the SDK.
    const openapi = env.apps.filter(a => a.protocol === 'openapi');
    rsa2App = openapi.find(a => a.sign_type === 'RSA2');
    rsaApp = openapi.find(a => a.sign_type === 'RSA');
    assert.ok(rsa2App, `GET /_mockpay/api/apps has no sign_type RSA2 app: ${JSON.stringify(env.apps.map(a => ({ app_id: a.app_id, sign_type: a.sign_type })))}`);
    sdk = makeSdk(rsa2App);
    sdkPkcs8 = makeSdk(rsa2App, { privateKey: rsa2App.app_private_key_pkcs8_pem, keyType: 'PKCS8' });
  });

  after(async () => {
    if (merchant) await merchant.stop();
    if (env) await env.stop();
  });

  // Paid order created through the GET URL flow; shared by tests 1, 2, 5, 7.
  let getOrderPromise;
  function paidGetOrder() {
    getOrderPromise ??= (async () => {
      const outTradeNo = newOutTradeNo('GET');
      const url = sdk.pageExecute('alipay.trade.page.pay', 'GET', {
        bizContent: pageBiz(outTradeNo, '0.01', { passbackParams: 'merchant-ref-42' }),
        notifyUrl: merchant.notifyUrl,
        returnUrl: merchant.returnUrl,
      });
      assert.ok(url.startsWith(`${env.gateway}?`), `pageExecute GET must produce a URL on the configured gateway: ${url}`);
      const result = await payOrder(env, url, merchant.returnUrl);
      return { outTradeNo, ...result };
    })();
    return getOrderPromise;
  }

  test('fixture apps expose the key material the SDK needs', () => {
    for (const field of ['app_id', 'pid', 'sign_type', 'app_private_key_pem', 'app_private_key_pkcs8_pem', 'app_public_key_pem', 'alipay_public_key_pem']) {
      assert.equal(typeof rsa2App[field], 'string', `apps[RSA2].${field} must be a string`);
      assert.ok(rsa2App[field].length > 0, `apps[RSA2].${field} must be non-empty`);
    }
    assert.match(rsa2App.app_private_key_pem, /-----BEGIN RSA PRIVATE KEY-----/, 'app_private_key_pem is PKCS#1');
    assert.match(rsa2App.app_private_key_pkcs8_pem, /-----BEGIN PRIVATE KEY-----/, 'app_private_key_pkcs8_pem is PKCS#8');
    assert.match(rsa2App.app_public_key_pem, /-----BEGIN PUBLIC KEY-----/, 'app_public_key_pem is PKIX');
    assert.match(rsa2App.alipay_public_key_pem, /-----BEGIN PUBLIC KEY-----/, 'alipay_public_key_pem is PKIX');
    // The two private key encodings and the public key must be the same key pair.
    const pub1 = crypto.createPublicKey(crypto.createPrivateKey(rsa2App.app_private_key_pem)).export({ type: 'spki', format: 'der' });
    const pub8 = crypto.createPublicKey(crypto.createPrivateKey(rsa2App.app_private_key_pkcs8_pem)).export({ type: 'spki', format: 'der' });
    const pub = crypto.createPublicKey(rsa2App.app_public_key_pem).export({ type: 'spki', format: 'der' });
    assert.ok(pub1.equals(pub) && pub8.equals(pub), 'PKCS#1, PKCS#8 and app public key must belong to one key pair');
    assert.ok(rsaApp, 'a sign_type "RSA" fixture app must exist (test 9)');
  });

  test('1. page.pay via pageExecute GET URL → cashier → pay → signed return_url', T, async () => {
    const order = await paidGetOrder();
    const { params, browser } = order;
    assertReturnParams(params, {
      method: 'alipay.trade.page.pay.return',
      outTradeNo: order.outTradeNo,
      totalAmount: '0.01',
      app: rsa2App,
      signType: 'RSA2',
    });
    assert.equal(sdk.checkNotifySignV2(params), true, `checkNotifySignV2(return params) must be true: ${JSON.stringify(params)}`);
    assert.equal(sdk.checkNotifySign(params), true, `checkNotifySign(return params) must be true: ${JSON.stringify(params)}`);
    // Negative control: the verification above is able to fail.
    assert.equal(sdk.checkNotifySignV2({ ...params, total_amount: '100.00' }), false, 'tampered return params must not verify');

    // The browser lands on the merchant's return page.
    const landed = await browser.request(order.returnUrl.toString());
    assert.equal(landed.status, 200);
    const seen = merchant.returns.find(r => r.params.out_trade_no === order.outTradeNo);
    assert.ok(seen, 'merchant return page received the buyer');
    assert.equal(sdk.checkNotifySignV2(seen.params), true, 'return params as parsed by the merchant server verify');
  });

  test('2. async notification reaches notify_url, verifies with checkNotifySignV2 and is acknowledged', T, async () => {
    const order = await paidGetOrder();
    const n = await merchant.waitForNotification(order.outTradeNo);
    assertNotification(n, {
      outTradeNo: order.outTradeNo,
      totalAmount: '0.01',
      app: rsa2App,
      signType: 'RSA2',
      tradeNo: order.params.trade_no,
    });
    assert.equal(n.params.passback_params, 'merchant-ref-42', 'passback_params is returned verbatim in the notification');
    assert.equal(n.params.subject, SUBJECT, 'subject (UTF-8) round-trips');
    assert.equal(sdk.checkNotifySignV2(n.params), true, `checkNotifySignV2(notification) must be true; raw body: ${n.raw}`);
    assert.equal(sdk.checkNotifySign(n.params), true, `checkNotifySign(notification) must be true; raw body: ${n.raw}`);
    assert.equal(sdk.checkNotifySignV2({ ...n.params, trade_status: 'TRADE_FINISHED' }), false, 'tampered notification must not verify');
    assert.equal(n.answered, 'success');
    // After "success" there must be no further delivery (retries only follow non-success answers).
    await new Promise(r => setTimeout(r, 1500));
    assert.equal(merchant.notificationsFor(order.outTradeNo).length, 1,
      `notification acknowledged with "success" was delivered again: ${merchant.notificationsFor(order.outTradeNo).map(x => x.raw).join('\n')}`);
  });

  test('3. page.pay via pageExecute POST form (SDK default) → cashier → pay → return + notification', T, async () => {
    const outTradeNo = newOutTradeNo('POST');
    const html = sdk.pageExecute('alipay.trade.page.pay', {
      bizContent: pageBiz(outTradeNo, '0.02'),
      notifyUrl: merchant.notifyUrl,
      returnUrl: merchant.returnUrl,
    });
    assert.match(html, /<form[^>]+method="post"/, 'SDK default is an auto-POST form');
    assert.match(html, /name="biz_content"/, 'biz_content travels in the form body');

    const { params } = await payOrder(env, html, merchant.returnUrl);
    assertReturnParams(params, {
      method: 'alipay.trade.page.pay.return', outTradeNo, totalAmount: '0.02', app: rsa2App, signType: 'RSA2',
    });
    assert.equal(sdk.checkNotifySignV2(params), true, `return params must verify: ${JSON.stringify(params)}`);
    assert.equal(sdk.checkNotifySign(params), true, 'return params must verify (checkNotifySign)');

    const n = await merchant.waitForNotification(outTradeNo);
    assertNotification(n, { outTradeNo, totalAmount: '0.02', app: rsa2App, signType: 'RSA2', tradeNo: params.trade_no });
    assert.equal(sdk.checkNotifySignV2(n.params), true, `notification must verify; raw body: ${n.raw}`);
  });

  test('4. wap.pay (QUICK_WAP_WAY) via POST form → cashier → pay → return + notification', T, async () => {
    const outTradeNo = newOutTradeNo('WAP');
    const html = sdk.pageExecute('alipay.trade.wap.pay', {
      bizContent: {
        outTradeNo,
        totalAmount: '0.03',
        subject: SUBJECT,
        productCode: 'QUICK_WAP_WAY',
        quitUrl: `${merchant.base}/quit`,
      },
      notifyUrl: merchant.notifyUrl,
      returnUrl: merchant.returnUrl,
    });
    const { params } = await payOrder(env, html, merchant.returnUrl);
    assertReturnParams(params, {
      method: 'alipay.trade.wap.pay.return', outTradeNo, totalAmount: '0.03', app: rsa2App, signType: 'RSA2',
    });
    assert.equal(sdk.checkNotifySignV2(params), true, `wap return params must verify: ${JSON.stringify(params)}`);

    const n = await merchant.waitForNotification(outTradeNo);
    assertNotification(n, { outTradeNo, totalAmount: '0.03', app: rsa2App, signType: 'RSA2', tradeNo: params.trade_no });
    assert.equal(sdk.checkNotifySignV2(n.params), true, `wap notification must verify; raw body: ${n.raw}`);
  });

  test('5. exec alipay.trade.query (validateSign) on the paid order: 10000 / TRADE_SUCCESS — PKCS#1 and PKCS#8 keys', T, async () => {
    const order = await paidGetOrder();
    for (const [label, client] of [['PKCS#1', sdk], ['PKCS#8', sdkPkcs8]]) {
      const r = await query(client, order.outTradeNo);
      assert.equal(r.code, '10000', `${label}: code; response ${JSON.stringify(r)}`);
      assert.equal(r.msg, 'Success', `${label}: msg`);
      assert.equal(r.tradeStatus, 'TRADE_SUCCESS', `${label}: tradeStatus`);
      assert.equal(r.totalAmount, '0.01', `${label}: totalAmount`);
      assert.equal(r.outTradeNo, order.outTradeNo, `${label}: outTradeNo`);
      assert.equal(r.tradeNo, order.params.trade_no, `${label}: tradeNo equals the one in return_url`);
    }
  });

  test('6. exec alipay.trade.query (validateSign) of an unknown out_trade_no: 40004 ACQ.TRADE_NOT_EXIST', T, async () => {
    const r = await query(sdk, newOutTradeNo('UNKNOWN'));
    assert.equal(r.code, '40004', `code; response ${JSON.stringify(r)}`);
    assert.equal(r.msg, 'Business Failed');
    assert.equal(r.subCode, 'ACQ.TRADE_NOT_EXIST');
    assert.ok(r.subMsg, 'sub_msg present');
  });

  test('7. trade is created when the cashier opens; exec alipay.trade.close (validateSign) closes it', T, async () => {
    const outTradeNo = newOutTradeNo('CLOSE');
    const url = sdk.pageExecute('alipay.trade.page.pay', 'GET', {
      bizContent: pageBiz(outTradeNo, '0.05'),
      notifyUrl: merchant.notifyUrl,
      returnUrl: merchant.returnUrl,
    });
    const { browser, cashierUrl } = await submitToGateway(env, url);

    // Submitted to the gateway, cashier not opened yet → no trade.
    let r = await query(sdk, outTradeNo);
    assert.equal(r.subCode, 'ACQ.TRADE_NOT_EXIST', `query before the cashier opened; response ${JSON.stringify(r)}`);
    r = await close(sdk, outTradeNo);
    assert.equal(r.code, '40004', `close of a never-opened order; response ${JSON.stringify(r)}`);
    assert.equal(r.subCode, 'ACQ.TRADE_NOT_EXIST');

    await openCashier(browser, cashierUrl);
    r = await query(sdk, outTradeNo);
    assert.equal(r.code, '10000', `query after opening the cashier; response ${JSON.stringify(r)}`);
    assert.equal(r.tradeStatus, 'WAIT_BUYER_PAY');
    assert.ok(r.tradeNo, 'opened trade has a trade_no');
    const tradeNo = r.tradeNo;

    r = await close(sdk, outTradeNo);
    assert.equal(r.code, '10000', `close; response ${JSON.stringify(r)}`);
    assert.equal(r.msg, 'Success');
    assert.equal(r.outTradeNo, outTradeNo);
    assert.equal(r.tradeNo, tradeNo);

    r = await query(sdk, outTradeNo);
    assert.equal(r.code, '10000', `query after close; response ${JSON.stringify(r)}`);
    assert.equal(r.tradeStatus, 'TRADE_CLOSED');

    // Closing something that is not WAIT_BUYER_PAY (the paid order) fails (doc §2.7 alipay.trade.close).
    const paid = await paidGetOrder();
    r = await close(sdk, paid.outTradeNo);
    assert.equal(r.code, '40004', `close of a paid trade; response ${JSON.stringify(r)}`);
    assert.equal(r.subCode, 'ACQ.TRADE_STATUS_ERROR');
  });

  test('8. wrong signatures: exec with a foreign private key → 40002 isv.invalid-signature (signed); tampered page.pay → error page', T, async () => {
    const { privateKey: foreignKey } = crypto.generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const forger = makeSdk(rsa2App, { privateKey: foreignKey });

    // Server-to-server call: the error is signed by mockpay, so validateSign still passes.
    const outTradeNo = newOutTradeNo('FORGED');
    const r = await query(forger, outTradeNo);
    assert.equal(r.code, '40002', `code; response ${JSON.stringify(r)}`);
    assert.equal(r.msg, 'Invalid Arguments');
    assert.equal(r.subCode, 'isv.invalid-signature');

    const assertErrorPage = async (label, res, browser) => {
      assert.equal(res.status, 200, `${label}: error page must be HTTP 200, got ${res.status}\ntrace:\n${browser.trace()}`);
      assert.ok(res.body.includes('isv.invalid-signature'), `${label}: error page must mention isv.invalid-signature; text: ${htmlText(res.body).slice(0, 600)}`);
      assert.ok(!res.body.includes('data-testid="pay"'), `${label}: error page must not offer a pay button`);
    };

    const goodUrl = sdk.pageExecute('alipay.trade.page.pay', 'GET', {
      bizContent: pageBiz(outTradeNo, '0.01'),
      notifyUrl: merchant.notifyUrl,
      returnUrl: merchant.returnUrl,
    });

    // (a) sign parameter altered
    const sign = new URL(goodUrl).searchParams.get('sign');
    const i = 20;
    const alteredSign = sign.slice(0, i) + (sign[i] === 'A' ? 'B' : 'A') + sign.slice(i + 1);
    const badSignUrl = goodUrl.replace(`sign=${encodeURIComponent(sign)}`, `sign=${encodeURIComponent(alteredSign)}`);
    assert.notEqual(badSignUrl, goodUrl);
    let b = new Browser();
    await assertErrorPage('altered sign', await b.request(badSignUrl), b);

    // (b) amount altered after signing
    const badAmountUrl = goodUrl.replace(encodeURIComponent('"total_amount":"0.01"'), encodeURIComponent('"total_amount":"0.02"'));
    assert.notEqual(badAmountUrl, goodUrl, 'amount tamper applied');
    b = new Browser();
    await assertErrorPage('altered biz_content', await b.request(badAmountUrl), b);

    // (c) POST form signed with the foreign key
    const forgedForm = forger.pageExecute('alipay.trade.page.pay', {
      bizContent: pageBiz(outTradeNo, '0.01'),
      notifyUrl: merchant.notifyUrl,
      returnUrl: merchant.returnUrl,
    });
    b = new Browser();
    await assertErrorPage('foreign-key POST form', await b.submitSdkForm(forgedForm), b);

    // None of the rejected requests created a trade.
    const q = await query(sdk, outTradeNo);
    assert.equal(q.subCode, 'ACQ.TRADE_NOT_EXIST', `rejected page.pay must not create a trade; response ${JSON.stringify(q)}`);
  });

  test('9. RSA (SHA1) app with signType RSA: query (validateSign), page.pay return and notification verify', T, async () => {
    assert.ok(rsaApp, 'needs a sign_type "RSA" fixture app');
    // PKCS#8 key form with the RSA app, PKCS#1 with it too.
    const rsaSdk = makeSdk(rsaApp, { privateKey: rsaApp.app_private_key_pkcs8_pem, keyType: 'PKCS8', signType: 'RSA' });
    const rsaSdkPkcs1 = makeSdk(rsaApp, { signType: 'RSA' });

    for (const [label, client] of [['PKCS#8', rsaSdk], ['PKCS#1', rsaSdkPkcs1]]) {
      const r = await query(client, newOutTradeNo('RSAUNKNOWN'));
      assert.equal(r.code, '40004', `${label}: code; response ${JSON.stringify(r)}`);
      assert.equal(r.subCode, 'ACQ.TRADE_NOT_EXIST', `${label}: subCode`);
    }

    const outTradeNo = newOutTradeNo('RSA');
    const url = rsaSdk.pageExecute('alipay.trade.page.pay', 'GET', {
      bizContent: pageBiz(outTradeNo, '0.04'),
      notifyUrl: merchant.notifyUrl,
      returnUrl: merchant.returnUrl,
    });
    const { params } = await payOrder(env, url, merchant.returnUrl);
    assertReturnParams(params, {
      method: 'alipay.trade.page.pay.return', outTradeNo, totalAmount: '0.04', app: rsaApp, signType: 'RSA',
    });
    assert.equal(rsaSdk.checkNotifySignV2(params), true, `RSA return params must verify: ${JSON.stringify(params)}`);

    const n = await merchant.waitForNotification(outTradeNo);
    assertNotification(n, { outTradeNo, totalAmount: '0.04', app: rsaApp, signType: 'RSA', tradeNo: params.trade_no });
    assert.equal(rsaSdk.checkNotifySignV2(n.params), true, `RSA notification must verify; raw body: ${n.raw}`);

    const q = await query(rsaSdk, outTradeNo);
    assert.equal(q.code, '10000', `query; response ${JSON.stringify(q)}`);
    assert.equal(q.tradeStatus, 'TRADE_SUCCESS');
  });

  test('node-SDK request quirks: local-time timestamps in any zone, empty params signed as "k=" (doc §2.1, §2.3, §6.5)', T, async () => {
    // The SDK stamps `timestamp` with the process's local time (utility.YYYYMMDDHHmmss).
    const savedTz = process.env.TZ;
    try {
      for (const tz of ['Pacific/Honolulu', 'Pacific/Kiritimati', 'UTC', 'Asia/Shanghai']) {
        process.env.TZ = tz;
        const r = await query(sdk, newOutTradeNo('TZ'));
        assert.equal(r.subCode, 'ACQ.TRADE_NOT_EXIST', `TZ=${tz}: a local-time timestamp must be accepted; response ${JSON.stringify(r)}`);
      }
    } finally {
      if (savedTz === undefined) delete process.env.TZ; else process.env.TZ = savedTz;
    }
    // The SDK does not drop empty params: app_auth_token= travels in the query and is signed.
    const r = await sdk.exec('alipay.trade.query', { bizContent: { outTradeNo: newOutTradeNo('EMPTY') }, appAuthToken: '' }, { validateSign: true });
    assert.equal(r.subCode, 'ACQ.TRADE_NOT_EXIST', `empty app_auth_token signed as "app_auth_token=" must verify (leniency, doc §2.3); response ${JSON.stringify(r)}`);
  });

  test('passback_params containing "%" comes back verbatim and verifies with checkNotifySignV2 (doc §3.3)', T, async () => {
    const outTradeNo = newOutTradeNo('PCT');
    const passback = encodeURIComponent('order=42&from=node sdk');
    const url = sdk.pageExecute('alipay.trade.page.pay', 'GET', {
      bizContent: pageBiz(outTradeNo, '0.06', { passbackParams: passback }),
      notifyUrl: merchant.notifyUrl,
      returnUrl: merchant.returnUrl,
    });
    await payOrder(env, url, merchant.returnUrl);
    const n = await merchant.waitForNotification(outTradeNo);
    assert.equal(n.params.passback_params, passback, 'passback_params returned verbatim (not decoded, not re-encoded)');
    assert.equal(sdk.checkNotifySignV2(n.params), true, `notification must verify with checkNotifySignV2; raw body: ${n.raw}`);
  });

  test('page.pay resubmission: identical → same trade; different amount or already paid → error page (doc §4.4)', T, async () => {
    const outTradeNo = newOutTradeNo('RESUB');
    const pageUrl = amount => sdk.pageExecute('alipay.trade.page.pay', 'GET', {
      bizContent: pageBiz(outTradeNo, amount),
      notifyUrl: merchant.notifyUrl,
      returnUrl: merchant.returnUrl,
    });
    const first = await submitToGateway(env, pageUrl('0.07'));
    const c1 = await openCashier(first.browser, first.cashierUrl);
    const tradeNo = (await query(sdk, outTradeNo)).tradeNo;
    assert.ok(tradeNo);

    const again = await submitToGateway(env, pageUrl('0.07'));
    await openCashier(again.browser, again.cashierUrl);
    const q = await query(sdk, outTradeNo);
    assert.equal(q.tradeNo, tradeNo, 'identical resubmission resumes the same trade');
    assert.equal(q.tradeStatus, 'WAIT_BUYER_PAY');

    const assertErrorPage = (label, res, code) => {
      assert.equal(res.status, 200, `${label}: expected the HTML error page (HTTP 200), got ${res.status} Location ${res.rawLocation}`);
      assert.ok(!res.body.includes('data-testid="pay"'), `${label}: error page must not offer a pay button`);
      assert.ok(res.body.includes(code), `${label}: error page should name ${code}; text: ${htmlText(res.body).slice(0, 600)}`);
    };
    let b = new Browser();
    assertErrorPage('different amount', await b.request(pageUrl('0.08')), 'ACQ.CONTEXT_INCONSISTENT');

    await payAndReturn(first.browser, c1, merchant.returnUrl);
    b = new Browser();
    assertErrorPage('already paid', await b.request(pageUrl('0.07')), 'ACQ.TRADE_HAS_SUCCESS');
    assert.equal((await query(sdk, outTradeNo)).totalAmount, '0.07', 'amount unchanged');
  });

  test('numeric total_amount in biz_content is accepted and echoed with 2 decimals (doc §2.1, §4.3)', T, async () => {
    const outTradeNo = newOutTradeNo('NUM');
    const url = sdk.pageExecute('alipay.trade.page.pay', 'GET', {
      bizContent: pageBiz(outTradeNo, 12.5),
      notifyUrl: merchant.notifyUrl,
      returnUrl: merchant.returnUrl,
    });
    assert.ok(decodeURIComponent(url).includes('"total_amount":12.5'), 'SDK sends the amount as a JSON number');
    const { params } = await payOrder(env, url, merchant.returnUrl);
    assert.equal(params.total_amount, '12.50');
    assert.equal(sdk.checkNotifySignV2(params), true);
    const q = await query(sdk, outTradeNo);
    assert.equal(q.totalAmount, '12.50', `query; response ${JSON.stringify(q)}`);
  });
});
