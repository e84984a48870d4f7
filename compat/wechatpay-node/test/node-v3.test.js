'use strict';

// wechatpay-node-v3 2.2.1, unmodified, certificate-mode merchant only (it
// has no public-key mode). It compiles in https://api.mch.weixin.qq.com and
// ignores HTTPS_PROXY, so it reaches mockpay through its documented
// `createHttp(service)` hook (lib/createhttp.js). Notifications are checked
// with its verifySign — which downloads GET /v3/certificates itself when it
// meets an unknown Wechatpay-Serial — and opened with its decipher_gcm.

const { test, describe } = require('node:test');
const assert = require('node:assert/strict');
const WxPay = require('wechatpay-node-v3');
const { useMockpay, merchant, createMerchant, pay, newOutTradeNo } = require('../lib/env');
const { MockpayHttp } = require('../lib/createhttp');
const buyer = require('../lib/buyer');

const ctx = useMockpay();

function client(a, privateKey = a.merchant_private_key_pem) {
  const p = new WxPay({
    appid: a.appid,
    mchid: a.mch_id,
    publicKey: Buffer.from(a.merchant_certificate_pem), // it derives serial_no (lower-case hex) from it
    privateKey: Buffer.from(privateKey),
    key: a.apiv3_key,
  });
  // node-v3 reads the serial out of the certificate, in lower case; the
  // platform compares serials case-insensitively (P-V3-4).
  assert.equal(p.serial_no.toUpperCase(), a.merchant_serial_no, 'merchant_certificate_pem serial vs merchant_serial_no');
  const http = new MockpayHttp(a.api_base_url);
  p.createHttp(http);
  return { p, http };
}

/** verifySign over an answer or a notification: headers + raw body. */
function verify(p, a, headers, raw) {
  return p.verifySign({
    timestamp: headers['wechatpay-timestamp'],
    nonce: headers['wechatpay-nonce'],
    serial: headers['wechatpay-serial'],
    signature: headers['wechatpay-signature'],
    body: raw,
    apiSecret: a.apiv3_key,
  });
}

async function open(p, a, d) {
  assert.equal(await verify(p, a, d.headers, d.raw), true, `verifySign refused the notification:\n${JSON.stringify(d.headers)}\n${d.raw}`);
  assert.equal(await verify(p, a, d.headers, `${d.raw} `), false, 'verifySign accepted an altered body');
  const r = d.body.resource;
  return p.decipher_gcm(r.ciphertext, r.associated_data, r.nonce, a.apiv3_key);
}

function ok(r, what) {
  assert.equal(r.status, 200, `${what}: HTTP ${r.status} ${r.error ?? JSON.stringify(r.data)}`);
  return r.data;
}

const OPENID = 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o';

function orderParams(no, total) {
  return { description: `node-v3 ${no}`, out_trade_no: no, notify_url: ctx.shop.notifyUrl(no), amount: { total, currency: 'CNY' } };
}

async function prepay(p, a, kind, no, total) {
  const params = orderParams(no, total);
  if (kind === 'JSAPI') {
    const d = ok(await p.transactions_jsapi({ ...params, payer: { openid: OPENID } }), 'transactions_jsapi');
    assert.match(d.package, /^prepay_id=\S+$/); // the SDK turned prepay_id into the page's parameters (§2.9)
    assert.equal(d.signType, 'RSA');
    await buyer.checkJSAPI(a.api_base_url, d);
    return 'JSAPI';
  }
  if (kind === 'APP') {
    const d = ok(await p.transactions_app(params), 'transactions_app');
    assert.match(d.prepayid, /\S/);
    return 'APP';
  }
  if (kind === 'H5') {
    const d = ok(await p.transactions_h5({ ...params, scene_info: { payer_client_ip: '127.0.0.1', h5_info: { type: 'Wap' } } }), 'transactions_h5');
    assert.match(d.h5_url, /^https?:\/\//);
    await buyer.reachCashier('h5_url', d.h5_url);
    return 'MWEB';
  }
  const d = ok(await p.transactions_native(params), 'transactions_native');
  assert.match(d.code_url, /^weixin:\/\/wxpay\/bizpayurl\?pr=/);
  await buyer.checkNative(a.api_base_url, d.code_url);
  return 'NATIVE';
}

describe('wechatpay-node-v3, certificate merchant, createHttp', () => {
  for (const kind of ['JSAPI', 'APP', 'H5', 'NATIVE']) {
    test(`${kind}: prepay → pay → notification → query ×2 → refund → notification → refund query`, async () => {
      const a = merchant(ctx.env, 'certificate');
      const { p, http } = client(a);
      const no = newOutTradeNo(`NV${kind}`);
      const total = 401;
      const tradeType = await prepay(p, a, kind, no, total);
      await pay(ctx.env, a, no);

      const d = await ctx.shop.wait(ctx.env, no);
      assert.equal(d.body.event_type, 'TRANSACTION.SUCCESS');
      const txn = await open(p, a, d);
      assert.equal(txn.out_trade_no, no);
      assert.equal(txn.trade_state, 'SUCCESS');
      assert.equal(txn.trade_type, tradeType);
      assert.equal(txn.mchid, a.mch_id);
      assert.equal(txn.amount.total, total);

      const byNo = ok(await p.query({ out_trade_no: no }), 'query by out_trade_no');
      // The SDK does not check answers; a shop can, with its verifySign.
      assert.equal(await verify(p, a, http.last.headers, http.last.text), true, 'query answer signature');
      const byId = ok(await p.query({ transaction_id: txn.transaction_id }), 'query by transaction_id');
      for (const q of [byNo, byId]) {
        assert.equal(q.trade_state, 'SUCCESS');
        assert.equal(q.out_trade_no, no);
        assert.equal(q.transaction_id, txn.transaction_id);
      }

      const refundNo = `R${no}`;
      const rf = ok(await p.refunds({
        out_trade_no: no, out_refund_no: refundNo, reason: 'compat', notify_url: ctx.shop.notifyUrl(refundNo),
        amount: { refund: 200, total, currency: 'CNY' },
      }), 'refunds');
      assert.ok(['PROCESSING', 'SUCCESS'].includes(rf.status), JSON.stringify(rf));

      const rd = await ctx.shop.wait(ctx.env, refundNo, { nudge: true });
      assert.equal(rd.body.event_type, 'REFUND.SUCCESS');
      const refund = await open(p, a, rd);
      assert.equal(refund.out_refund_no, refundNo);
      assert.equal(refund.refund_status, 'SUCCESS');
      assert.equal(refund.refund_id, rf.refund_id);
      assert.equal(refund.amount.refund, 200);

      const rq = ok(await p.find_refunds(refundNo), 'find_refunds');
      assert.equal(rq.status, 'SUCCESS');
      assert.equal(rq.refund_id, rf.refund_id);
      assert.equal(ok(await p.query({ out_trade_no: no }), 'query after refund').trade_state, 'REFUND');
    });
  }

  test('close an unpaid order: 204 (signed), then CLOSED', async () => {
    const a = merchant(ctx.env, 'certificate');
    const { p, http } = client(a);
    const no = newOutTradeNo('NVC');
    await prepay(p, a, 'NATIVE', no, 1);
    const r = await p.close(no);
    assert.equal(r.status, 204, `close: HTTP ${r.status} ${r.error ?? ''}`);
    assert.equal(http.last.text, '');
    assert.equal(await verify(p, a, http.last.headers, ''), true, '204 answer signature (P-V3-1)');
    assert.equal(ok(await p.query({ out_trade_no: no }), 'query').trade_state, 'CLOSED');
  });

  test('a certificate-mode merchant created through POST /_mockpay/api/apps', async () => {
    const a = await createMerchant(ctx.env, 'certificate');
    const { p } = client(a);
    const no = newOutTradeNo('NVNEW');
    await prepay(p, a, 'NATIVE', no, 7);
    await pay(ctx.env, a, no);
    const txn = await open(p, a, await ctx.shop.wait(ctx.env, no)); // verifySign downloads its certificate
    assert.equal(txn.out_trade_no, no);
    assert.equal(ok(await p.query({ out_trade_no: no }), 'query').trade_state, 'SUCCESS');
  });

  test('certificate download: get_certificates decrypts to the apps API certificate', async () => {
    const a = merchant(ctx.env, 'certificate');
    const { p } = client(a);
    const certs = await p.get_certificates(a.apiv3_key);
    const item = certs.find(c => c.serial_no === a.platform_serial_no);
    assert.ok(item, `no certificate with serial ${a.platform_serial_no}: ${JSON.stringify(certs)}`);
    const crypto = require('node:crypto');
    assert.equal(crypto.createPublicKey(item.publicKey).export({ type: 'spki', format: 'pem' }),
      crypto.createPublicKey(a.platform_certificate_pem).export({ type: 'spki', format: 'pem' }));
  });

  test('errors: bad signature, unknown order, over-refund, reused out_trade_no', async () => {
    const a = merchant(ctx.env, 'certificate');
    const { p } = client(a);
    const other = ctx.env.wechat.find(m => m.mch_id !== a.mch_id);
    const refused = (r, status, code, what) => {
      assert.equal(r.status, status, `${what}: HTTP ${r.status} ${r.error ?? JSON.stringify(r.data)}`);
      const body = JSON.parse(r.error);
      assert.equal(body.code, code, `${what}: ${r.error}`);
      assert.ok(body.message, `${what}: no message`);
    };
    refused(await client(a, other.merchant_private_key_pem).p.query({ out_trade_no: newOutTradeNo('NVS') }), 401, 'SIGN_ERROR', 'query signed with another key');
    refused(await p.query({ out_trade_no: newOutTradeNo('NVU') }), 404, 'ORDER_NOT_EXIST', 'unknown order');

    const no = newOutTradeNo('NVO');
    await prepay(p, a, 'NATIVE', no, 100);
    await pay(ctx.env, a, no);
    refused(await p.refunds({ out_trade_no: no, out_refund_no: `R${no}`, amount: { refund: 101, total: 100, currency: 'CNY' } }), 400, 'INVALID_REQUEST', 'over-refund');

    const dup = newOutTradeNo('NVD');
    await prepay(p, a, 'NATIVE', dup, 100);
    await prepay(p, a, 'NATIVE', dup, 100);
    refused(await p.transactions_native(orderParams(dup, 200)), 400, 'INVALID_REQUEST', 'reused out_trade_no with other terms');
  });
});
