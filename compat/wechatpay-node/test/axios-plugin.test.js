'use strict';

// wechatpay-axios-plugin 0.9.6, unmodified, pointed at mockpay with its
// documented `baseURL` option (api_base_url: no path prefix, the plugin
// signs the path). It has no certificate downloader in the library, so it
// is given the platform certificate (certificate mode) or the PUB_KEY_ID_
// public key (public-key mode) from the apps API. It verifies the signature
// and the Wechatpay-Timestamp (±300 s of its own clock) of every 2xx answer,
// 204 included; notifications are checked with its Rsa.verify and opened
// with its Aes.AesGcm.decrypt, as its README shows a shop doing.

const { test, describe } = require('node:test');
const assert = require('node:assert/strict');
const { Wechatpay, Rsa, Aes, Formatter } = require('wechatpay-axios-plugin');
const { useMockpay, merchant, createMerchant, pay, advanceClock, newOutTradeNo } = require('../lib/env');
const buyer = require('../lib/buyer');

const ctx = useMockpay();

/** The platform key the apps API gives this merchant, keyed as answers name it. */
function platformCerts(a) {
  return a.platform_key_mode === 'certificate'
    ? { [a.platform_serial_no]: a.platform_certificate_pem }
    : { [a.platform_public_key_id]: a.platform_public_key_pem };
}

function client(a, privateKey = a.merchant_private_key_pem) {
  return new Wechatpay({
    mchid: a.mch_id,
    serial: a.merchant_serial_no,
    privateKey,
    certs: platformCerts(a),
    baseURL: a.api_base_url,
  });
}

/** A notification as the shop must check it: signature, then decryption. */
function openNotification(a, d) {
  const h = d.headers;
  const certs = platformCerts(a);
  const key = certs[h['wechatpay-serial']];
  assert.ok(key, `notification Wechatpay-Serial ${h['wechatpay-serial']} is not the merchant's platform key (${Object.keys(certs)})`);
  assert.ok(Math.abs(Formatter.timestamp() - Number(h['wechatpay-timestamp'])) <= 300, `notification Wechatpay-Timestamp ${h['wechatpay-timestamp']} is not the wall clock`);
  assert.equal(Rsa.verify(Formatter.response(h['wechatpay-timestamp'], h['wechatpay-nonce'], d.raw), h['wechatpay-signature'], Rsa.from(key, Rsa.KEY_TYPE_PUBLIC)), true,
    `notification signature does not verify:\n${JSON.stringify(h)}\n${d.raw}`);
  // …and a body altered after signing does not.
  assert.equal(Rsa.verify(Formatter.response(h['wechatpay-timestamp'], h['wechatpay-nonce'], `${d.raw} `), h['wechatpay-signature'], Rsa.from(key, Rsa.KEY_TYPE_PUBLIC)), false);
  const { resource } = d.body;
  assert.equal(resource.algorithm, 'AEAD_AES_256_GCM');
  assert.ok(resource.associated_data, 'associated_data must be non-empty');
  assert.equal(resource.nonce.length, 12);
  return JSON.parse(Aes.AesGcm.decrypt(resource.ciphertext, a.apiv3_key, resource.nonce, resource.associated_data));
}

/** The AxiosError of a refused call, with the platform's status and code. */
async function refused(promise, status, code, what) {
  await assert.rejects(promise, err => {
    assert.ok(err.response, `${what}: no HTTP answer: ${err.message}`);
    assert.equal(err.response.status, status, `${what}: HTTP ${err.response.status} ${JSON.stringify(err.response.data)}`);
    assert.equal(err.response.data.code, code, `${what}: ${JSON.stringify(err.response.data)}`);
    assert.ok(err.response.data.message, `${what}: no message`);
    return true;
  });
}

const OPENID = 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o';

function orderBody(a, no, total) {
  return {
    appid: a.appid, mchid: a.mch_id, description: `axios ${no}`, out_trade_no: no,
    notify_url: ctx.shop.notifyUrl(no), amount: { total, currency: 'CNY' },
  };
}

/** Prepay of one trade type; returns the trade_type the platform reports. */
async function prepay(wx, a, kind, no, total) {
  const body = orderBody(a, no, total);
  const t = wx.v3.pay.transactions;
  if (kind === 'JSAPI') {
    const r = await t.jsapi.post({ ...body, payer: { openid: OPENID } });
    assert.match(r.data.prepay_id, /\S/);
    // The shop's page parameters, signed with the plugin's own helpers (§2.9).
    const p = { appId: a.appid, timeStamp: `${Formatter.timestamp()}`, nonceStr: Formatter.nonce(), package: `prepay_id=${r.data.prepay_id}`, signType: 'RSA' };
    p.paySign = Rsa.sign(Formatter.joinedByLineFeed(p.appId, p.timeStamp, p.nonceStr, p.package), Rsa.from(a.merchant_private_key_pem));
    await buyer.checkJSAPI(a.api_base_url, p);
    return 'JSAPI';
  }
  if (kind === 'APP') {
    const r = await t.app.post(body);
    assert.match(r.data.prepay_id, /\S/);
    return 'APP';
  }
  if (kind === 'H5') {
    const r = await t.h5.post({ ...body, scene_info: { payer_client_ip: '127.0.0.1', h5_info: { type: 'Wap' } } });
    assert.match(r.data.h5_url, /^https?:\/\//);
    await buyer.reachCashier('h5_url', r.data.h5_url);
    return 'MWEB';
  }
  const r = await t.native.post(body);
  assert.match(r.data.code_url, /^weixin:\/\/wxpay\/bizpayurl\?pr=/);
  await buyer.checkNative(a.api_base_url, r.data.code_url);
  return 'NATIVE';
}

for (const mode of ['certificate', 'public_key']) {
  describe(`wechatpay-axios-plugin, ${mode} merchant`, () => {
    for (const kind of ['JSAPI', 'APP', 'H5', 'NATIVE']) {
      test(`${kind}: prepay → pay → notification → query ×2 → refund → notification → refund query`, async () => {
        const a = merchant(ctx.env, mode);
        const wx = client(a);
        const no = newOutTradeNo(`AX${kind}`);
        const total = 301;
        const tradeType = await prepay(wx, a, kind, no, total);
        await pay(ctx.env, a, no);

        const d = await ctx.shop.wait(ctx.env, no);
        assert.equal(d.body.event_type, 'TRANSACTION.SUCCESS');
        assert.equal(d.body.resource.original_type, 'transaction');
        const txn = openNotification(a, d);
        assert.equal(txn.out_trade_no, no);
        assert.equal(txn.trade_state, 'SUCCESS');
        assert.equal(txn.trade_type, tradeType);
        assert.equal(txn.mchid, a.mch_id);
        assert.equal(txn.appid, a.appid);
        assert.equal(txn.amount.total, total);
        assert.match(txn.transaction_id, /\S/);

        const t = wx.v3.pay.transactions;
        const byNo = await t.outTradeNo._out_trade_no_.get({ params: { mchid: a.mch_id }, out_trade_no: no });
        const byId = await t.id._transaction_id_.get({ params: { mchid: a.mch_id }, transaction_id: txn.transaction_id });
        for (const q of [byNo.data, byId.data]) {
          assert.equal(q.trade_state, 'SUCCESS');
          assert.equal(q.out_trade_no, no);
          assert.equal(q.transaction_id, txn.transaction_id);
          assert.equal(q.amount.total, total);
        }

        const refundNo = `R${no}`;
        const rf = await wx.v3.refund.domestic.refunds.post({
          out_trade_no: no, out_refund_no: refundNo, reason: 'compat', notify_url: ctx.shop.notifyUrl(refundNo),
          amount: { refund: 100, total, currency: 'CNY' },
        });
        assert.equal(rf.data.out_refund_no, refundNo);
        assert.ok(['PROCESSING', 'SUCCESS'].includes(rf.data.status), JSON.stringify(rf.data));
        assert.equal(rf.data.amount.refund, 100);

        const rd = await ctx.shop.wait(ctx.env, refundNo, { nudge: true });
        assert.equal(rd.body.event_type, 'REFUND.SUCCESS');
        assert.equal(rd.body.resource.original_type, 'refund');
        const refund = openNotification(a, rd);
        assert.equal(refund.out_refund_no, refundNo);
        assert.equal(refund.out_trade_no, no);
        assert.equal(refund.refund_status, 'SUCCESS');
        assert.equal(refund.refund_id, rf.data.refund_id);
        assert.equal(refund.amount.refund, 100);

        const rq = await wx.v3.refund.domestic.refunds._out_refund_no_.get({ out_refund_no: refundNo });
        assert.equal(rq.data.status, 'SUCCESS');
        assert.equal(rq.data.refund_id, rf.data.refund_id);
        const afterRefund = await t.outTradeNo._out_trade_no_.get({ params: { mchid: a.mch_id }, out_trade_no: no });
        assert.equal(afterRefund.data.trade_state, 'REFUND', 'refunded, even in part: REFUND (§1.6)');
      });
    }

    test('close an unpaid order: 204, signed (the plugin verifies it), then CLOSED', async () => {
      const a = merchant(ctx.env, mode);
      const wx = client(a);
      const no = newOutTradeNo('AXC');
      await prepay(wx, a, 'NATIVE', no, 1);
      const r = await wx.v3.pay.transactions.outTradeNo._out_trade_no_.close.post({ mchid: a.mch_id }, { out_trade_no: no });
      assert.equal(r.status, 204);
      const q = await wx.v3.pay.transactions.outTradeNo._out_trade_no_.get({ params: { mchid: a.mch_id }, out_trade_no: no });
      assert.equal(q.data.trade_state, 'CLOSED');
    });

    test('virtual clock 10 minutes ahead: a refused notification is retried, answers and retries carry the wall clock', async () => {
      // The plugin refuses a Wechatpay-Timestamp more than 300 s from its own
      // clock, so the virtual clock must never reach a signature (item 2).
      const a = merchant(ctx.env, mode);
      const wx = client(a);
      const no = newOutTradeNo('AXRT');
      ctx.shop.refuse.set(no, 1);
      await prepay(wx, a, 'NATIVE', no, 1);
      await pay(ctx.env, a, no);
      const first = await ctx.shop.wait(ctx.env, no);
      await advanceClock(ctx.env, '10m');
      const second = await ctx.shop.wait(ctx.env, no, { n: 2, nudge: true });
      assert.equal(second.body.id, first.body.id, 'a retry keeps the notification id');
      assert.notEqual(second.headers['wechatpay-nonce'], first.headers['wechatpay-nonce'], 'a retry is signed afresh');
      assert.equal(openNotification(a, second).out_trade_no, no);
      const q = await wx.v3.pay.transactions.outTradeNo._out_trade_no_.get({ params: { mchid: a.mch_id }, out_trade_no: no });
      assert.equal(q.data.trade_state, 'SUCCESS');
    });

    test('a merchant created through POST /_mockpay/api/apps: prepay → pay → notification → query', async () => {
      const a = await createMerchant(ctx.env, mode);
      const wx = client(a);
      const no = newOutTradeNo('AXNEW');
      await prepay(wx, a, 'NATIVE', no, 7);
      await pay(ctx.env, a, no);
      const txn = openNotification(a, await ctx.shop.wait(ctx.env, no));
      assert.equal(txn.out_trade_no, no);
      assert.equal(txn.mchid, a.mch_id);
      const q = await wx.v3.pay.transactions.outTradeNo._out_trade_no_.get({ params: { mchid: a.mch_id }, out_trade_no: no });
      assert.equal(q.data.trade_state, 'SUCCESS');
    });

    if (mode === 'certificate') {
      test('certificate download: GET /v3/certificates decrypts to the apps API certificate', async () => {
        const a = merchant(ctx.env, mode);
        const r = await client(a).v3.certificates.get();
        assert.ok(Array.isArray(r.data.data) && r.data.data.length > 0, JSON.stringify(r.data));
        const item = r.data.data.find(c => c.serial_no === a.platform_serial_no);
        assert.ok(item, `no certificate with serial ${a.platform_serial_no}: ${JSON.stringify(r.data)}`);
        assert.match(item.serial_no, /^[0-9A-F]{40}$/);
        const ec = item.encrypt_certificate;
        assert.equal(ec.algorithm, 'AEAD_AES_256_GCM');
        assert.equal(ec.associated_data, 'certificate');
        const pem = Aes.AesGcm.decrypt(ec.ciphertext, a.apiv3_key, ec.nonce, ec.associated_data);
        assert.equal(
          Rsa.from(pem, Rsa.KEY_TYPE_PUBLIC).export({ type: 'spki', format: 'pem' }),
          Rsa.from(a.platform_certificate_pem, Rsa.KEY_TYPE_PUBLIC).export({ type: 'spki', format: 'pem' }),
        );
        assert.ok(!Number.isNaN(Date.parse(item.effective_time)) && Date.parse(item.expire_time) > Date.now(), JSON.stringify(item));
      });
    } else {
      test('public-key merchant: answers name PUB_KEY_ID_…, /v3/certificates is refused', async () => {
        const a = merchant(ctx.env, mode);
        assert.match(a.platform_public_key_id, /^PUB_KEY_ID_\d+$/);
        const wx = client(a);
        const no = newOutTradeNo('AXPK');
        await prepay(wx, a, 'NATIVE', no, 1);
        const q = await wx.v3.pay.transactions.outTradeNo._out_trade_no_.get({ params: { mchid: a.mch_id }, out_trade_no: no });
        assert.equal(q.headers['wechatpay-serial'], a.platform_public_key_id);
        await assert.rejects(wx.v3.certificates.get(), err => {
          assert.ok(err.response && err.response.status >= 400, `GET /v3/certificates for a public-key merchant: ${err.message}`);
          return true;
        });
      });
    }

    test('errors: bad signature, unknown order, over-refund, reused out_trade_no', async () => {
      const a = merchant(ctx.env, mode);
      const wx = client(a);
      const other = ctx.env.wechat.find(m => m.mch_id !== a.mch_id);
      const t = (w) => w.v3.pay.transactions.outTradeNo._out_trade_no_;
      await refused(t(client(a, other.merchant_private_key_pem)).get({ params: { mchid: a.mch_id }, out_trade_no: newOutTradeNo('AXS') }),
        401, 'SIGN_ERROR', 'query signed with another merchant key');
      await refused(t(wx).get({ params: { mchid: a.mch_id }, out_trade_no: newOutTradeNo('AXU') }), 404, 'ORDER_NOT_EXIST', 'unknown order');

      const no = newOutTradeNo('AXO');
      await prepay(wx, a, 'NATIVE', no, 100);
      await pay(ctx.env, a, no);
      await refused(wx.v3.refund.domestic.refunds.post({ out_trade_no: no, out_refund_no: `R${no}`, amount: { refund: 101, total: 100, currency: 'CNY' } }),
        400, 'INVALID_REQUEST', 'over-refund');

      const dup = newOutTradeNo('AXD');
      await prepay(wx, a, 'NATIVE', dup, 100);
      await prepay(wx, a, 'NATIVE', dup, 100); // identical terms: accepted
      await refused(wx.v3.pay.transactions.native.post(orderBody(a, dup, 200)), 400, 'INVALID_REQUEST', 'reused out_trade_no with other terms');
    });
  });
}
