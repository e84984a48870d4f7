'use strict';

// mockpay's WeChat Pay APIv2 driven by the npm `tenpay` client 2.1.18,
// unmodified. tenpay compiles in the platform's URLs; its only hook is the
// instance's URL table (`urls`), which the shop points at api_base_url.
// Notifications are read with tenpay's own Express middleware.
const test = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const tenpay = require('tenpay');
const { start } = require('../lib/mockpay');

let mp, shop, shopURL;
const received = [];

// The shop's notify URLs, behind tenpay's middleware: it verifies (pay) or
// decrypts (refund) and the handler answers with tenpay's reply.
function startShop(api) {
  const pay = api.middlewareForExpress('pay');
  const refund = api.middlewareForExpress('refund');
  return new Promise(resolve => {
    shop = http.createServer((req, res) => {
      let body = '';
      req.on('data', d => { body += d; });
      req.on('end', () => {
        req.body = body;
        res.header = (k, v) => res.setHeader(k, v);
        res.send = s => res.end(s);
        const mw = req.url.startsWith('/refund') ? refund : pay;
        mw(req, res, () => {
          received.push({ kind: req.url.startsWith('/refund') ? 'refund' : 'pay', weixin: req.weixin });
          res.reply('');
        }).catch(err => { res.statusCode = 500; res.end(String(err)); });
      });
    });
    shop.listen(0, '127.0.0.1', () => { shopURL = `http://127.0.0.1:${shop.address().port}`; resolve(); });
  });
}

function client(m, extra = {}) {
  const api = new tenpay({ appid: m.appid, mchid: m.mch_id, partnerKey: m.apiv2_key, ...extra });
  for (const k of Object.keys(api.urls)) api.urls[k] = api.urls[k].replace('https://api.mch.weixin.qq.com', m.api_base_url);
  return api;
}

async function awaitNote(match) {
  const deadline = Date.now() + 15000;
  while (Date.now() < deadline) {
    const n = received.find(match);
    if (n) return n;
    await new Promise(r => setTimeout(r, 20));
  }
  throw new Error('no matching notification within 15s: ' + JSON.stringify(received));
}

let seq = 0;
const outTradeNo = p => `${p}${Date.now() % 1e9}${seq++}`;

test.before(async () => {
  mp = await start();
  await startShop(client(mp.merchants[0]));
});
test.after(async () => {
  shop.close();
  await mp.stop();
});

for (const signType of ['MD5', 'HMAC-SHA256']) {
  for (const tradeType of ['NATIVE', 'JSAPI', 'MWEB', 'APP']) {
    test(`loop ${signType} ${tradeType}`, async () => {
      const m = mp.merchants[0];
      const api = client(m);
      const otn = outTradeNo('TP' + tradeType.slice(0, 2));
      const order = { out_trade_no: otn, body: 'tenpay ' + tradeType, total_fee: 1001, trade_type: tradeType,
        notify_url: shopURL + '/notify', sign_type: signType, attach: 'x&y html' };
      if (tradeType === 'JSAPI') order.openid = 'oShopBuyerOpenID000000000001';
      // unifiedOrder verifies the answer's sign with the request's sign type.
      const o = await api.unifiedOrder({ ...order });
      assert.equal(o.result_code, 'SUCCESS');
      assert.ok(o.prepay_id);
      if (tradeType === 'NATIVE') assert.match(o.code_url, /^weixin:\/\/wxpay\/bizpayurl\?pr=/);
      if (tradeType === 'MWEB') assert.ok(o.mweb_url.startsWith(mp.base + '/'), o.mweb_url);
      if (tradeType === 'JSAPI') assert.ok(api.getPayParamsByPrepay(o, signType).paySign);
      if (tradeType === 'APP') assert.equal(api.getAppParamsByPrepay(o, signType).prepayid, o.prepay_id);

      await mp.control(`/apps/${m.mch_id}/orders/${otn}/pay`);
      let txID;
      if (signType === 'MD5') {
        // tenpay's middleware verifies a pay notification with MD5 unless it
        // carries sign_type, which the platform's never do (P-V2-2): only
        // MD5 orders' notifications pass it.
        const n = await awaitNote(x => x.kind === 'pay' && x.weixin.out_trade_no === otn);
        assert.equal(n.weixin.total_fee, '1001');
        assert.equal(n.weixin.attach, 'x&y html');
        txID = n.weixin.transaction_id;
      }
      const q = await api.orderQuery({ out_trade_no: otn, sign_type: signType });
      assert.equal(q.trade_state, 'SUCCESS');
      if (txID) assert.equal(q.transaction_id, txID);

      const r = await api.refund({ out_trade_no: otn, out_refund_no: otn + 'R', total_fee: 1001, refund_fee: 400,
        notify_url: shopURL + '/refund', sign_type: signType });
      assert.equal(r.result_code, 'SUCCESS');
      assert.equal(r.refund_fee, '400');
      const rn = await awaitNote(x => x.kind === 'refund' && x.weixin.req_info.out_refund_no === otn + 'R');
      assert.equal(rn.weixin.req_info.refund_status, 'SUCCESS');
      assert.equal(rn.weixin.req_info.refund_id, r.refund_id);
      const rq = await api.refundQuery({ out_refund_no: otn + 'R', sign_type: signType });
      assert.equal(rq.refund_count, '1');
      assert.equal(rq.refund_status_0, 'SUCCESS');
      assert.equal(rq.refund_id_0, r.refund_id);
    });
  }
}

test('closeOrder, and the errors tenpay raises', async () => {
  const m = mp.merchants[1] || mp.merchants[0];
  const api = client(m);
  const otn = outTradeNo('TPCL');
  await api.unifiedOrder({ out_trade_no: otn, body: 'close', total_fee: 1, trade_type: 'NATIVE', notify_url: shopURL + '/notify' });
  const c = await api.closeOrder({ out_trade_no: otn });
  assert.equal(c.result_code, 'SUCCESS');
  assert.equal((await api.orderQuery({ out_trade_no: otn })).trade_state, 'CLOSED');
  // result_code FAIL: tenpay throws the err_code.
  await assert.rejects(api.closeOrder({ out_trade_no: otn }), /ORDERCLOSED/);
  await assert.rejects(api.orderQuery({ out_trade_no: 'TPNOSUCHORDER' }), /ORDERNOTEXIST/);
  // return_code FAIL: tenpay throws the return_msg.
  const bad = client({ ...m, apiv2_key: 'x'.repeat(32) });
  await assert.rejects(bad.orderQuery({ out_trade_no: otn }), /签名错误/);
});

test('the sandbox: tenpay.sandbox fetches the key from getsignkey', async () => {
  const m = mp.merchants[0];
  // Payment.sandbox asks getsignkey first (a URL of its table), then uses
  // its /sandboxnew URLs; both point at mockpay here.
  const probe = client(m);
  const { sandbox_signkey } = await probe.getSignkey();
  assert.equal(sandbox_signkey.length, 32);
  const api = new tenpay({ appid: m.appid, mchid: m.mch_id, partnerKey: sandbox_signkey, sandbox: true });
  for (const k of Object.keys(api.urls)) api.urls[k] = api.urls[k].replace('https://api.mch.weixin.qq.com', m.api_base_url);
  const otn = outTradeNo('TPSB');
  const o = await api.unifiedOrder({ out_trade_no: otn, body: 'sandbox', total_fee: 101, trade_type: 'NATIVE', notify_url: shopURL + '/notify' });
  assert.equal(o.result_code, 'SUCCESS');
  assert.equal((await api.orderQuery({ out_trade_no: otn })).trade_state, 'NOTPAY');
});
