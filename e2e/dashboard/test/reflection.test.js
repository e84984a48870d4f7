'use strict';

// Reflected XSS in a real headless Chromium (issue 8, item 1): hostile
// request values go into every place a link or a cross-site form can put
// them — the gateway's method and service, the cashier's, dashboard's and
// control API's paths and query strings, a merchant's signed order text —
// and the browser opens each answer on mockpay's own origin. An injected
// script would raise a dialog, log to the console, fetch a marker URL of a
// server the test runs and POST /_mockpay/api/reset (the attack that wiped a
// sandbox with one URL). None of that may happen, and the sandbox's trade
// must survive.

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');

const { startMockpay } = require('../../../compat/node/lib/mockpay');
const { MerchantServer } = require('../../../compat/node/lib/merchant');
const { pagePayURL } = require('../lib/order');
const { launch } = require('../lib/chromium');

const T = { timeout: 300_000 };

// marker is a server that counts requests: any request to it means markup
// or script from a payload ran in the browser.
async function startMarker() {
  const hits = [];
  const server = http.createServer((req, res) => { hits.push(req.url); res.end('hit'); });
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${server.address().port}`,
    hits,
    stop: () => new Promise(resolve => { server.closeAllConnections?.(); server.close(() => resolve()); }),
  };
}

// script is what every payload runs, written without spaces so it survives
// unquoted attributes: the reset the original attack made, a marker fetch,
// a global, a console line and a dialog.
function script(marker, id) {
  return `fetch('/_mockpay/api/reset',{method:'POST'});fetch('${marker}/hit?${id}');` +
    `window.__xss='${id}';console.log('XSS-${id}');alert('XSS-${id}')`;
}

// payloads are the shapes a reflection would need, each carrying script(id).
function payloads(marker) {
  const js = id => script(marker, id);
  return [
    id => `<script>${js(id)}</script>`,
    id => `"><img src=x onerror="${js(id)}">`,
    id => `'><svg onload="${js(id)}">`,
    id => `</textarea></title><script>${js(id)}</script>`,
    id => `javascript:${js(id)}`,
    id => `\u2028\u2029<script>${js(id)}</script>\\"`,
    id => `%3Cscript%3E${js(id)}%3C/script%3E`, // double-encoded once it is decoded
  ];
}

describe('no request value runs as script on mockpay\'s origin', () => {
  let env;
  let shop;
  let marker;
  let browser;
  let page;
  const seen = []; // dialogs, XSS console lines and marker/reset requests
  const outTradeNo = `E2E-XSS-${Date.now()}`;
  let tradeNo;
  let app;

  async function api(method, apiPath) {
    const res = await fetch(`${env.base}/_mockpay/api${apiPath}`, { method });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : undefined, text };
  }

  before(async () => {
    env = await startMockpay();
    shop = await new MerchantServer().start();
    marker = await startMarker();
    app = env.apps.find(a => a.protocol === 'openapi' && a.sign_type === 'RSA2');
    assert.ok(app, 'an RSA2 fixture app');

    // A paid trade: the reset an injected script would call deletes it.
    const url = pagePayURL(env.gateway, app, { out_trade_no: outTradeNo, total_amount: '9.00', subject: 'xss probe' },
      { notifyUrl: shop.notifyUrl, returnUrl: shop.returnUrl });
    const res = await fetch(url, { redirect: 'manual' });
    assert.equal(res.status, 303, `page.pay: ${await res.text()}`);
    const paid = await api('POST', `/apps/${app.app_id}/orders/${outTradeNo}/pay`);
    assert.equal(paid.status, 200, paid.text);
    tradeNo = paid.json.trade.trade_no;

    browser = await launch();
    page = await browser.context.newPage();
    page.on('dialog', d => { seen.push(`dialog: ${d.message()}`); d.dismiss().catch(() => {}); });
    page.on('console', m => { if (m.text().includes('XSS-')) seen.push(`console: ${m.text()}`); });
    page.on('request', r => {
      if (r.url().startsWith(marker.base) || r.url().includes('/_mockpay/api/reset')) seen.push(`request: ${r.method()} ${r.url()}`);
    });
  }, T);

  after(async () => {
    await browser?.close();
    await marker?.stop();
    await shop?.stop();
    await env?.stop();
  });

  // fresh forgets what an earlier test saw, so each test reports its own.
  function fresh() {
    seen.length = 0;
    marker.hits.length = 0;
  }

  // visit opens url and gives any script a moment to run.
  async function visit(url) {
    await page.goto(url, { waitUntil: 'load' }).catch(err => seen.push(`goto ${url}: ${err.message}`));
    await page.waitForTimeout(100);
    const global = await page.evaluate(() => window.__xss).catch(() => undefined);
    if (global !== undefined) seen.push(`window.__xss=${global} at ${url}`);
  }

  // post submits a form to url from a page on another origin, the way a
  // hostile site would (a data: page has an opaque origin).
  async function post(url, fields) {
    const inputs = Object.entries(fields)
      .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`).join('');
    await page.goto(`data:text/html,${encodeURIComponent(`<form method="post" action="${esc(url)}">${inputs}</form>`)}`);
    await Promise.all([
      page.waitForEvent('load').catch(() => {}),
      page.evaluate(() => document.forms[0].submit()),
    ]);
    await page.waitForTimeout(100);
    const global = await page.evaluate(() => window.__xss).catch(() => undefined);
    if (global !== undefined) seen.push(`window.__xss=${global} after POST ${url}`);
  }

  function esc(s) {
    return String(s).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  }

  test('the original attack: /gateway.do?method=<script>…</script>', T, async () => {
    fresh();
    await visit(`${env.gateway}?method=${encodeURIComponent(`<script>${script(marker.base, 'original')}</script>`)}`);
    assert.deepEqual(seen, []);
    assert.deepEqual(marker.hits, []);
  });

  test('hostile values in every kind of URL and form', T, async () => {
    fresh();
    const q = encodeURIComponent;
    let n = 0;
    for (const make of payloads(marker.base)) {
      const p = () => make(`p${++n}`);
      const urls = [
        `${env.gateway}?method=${q(p())}`,
        `${env.gateway}?method=alipay.trade.query&app_id=${q(p())}&charset=${q(p())}`,
        `${env.gateway}?method=alipay.trade.page.pay&app_id=${app.app_id}&charset=utf-8&sign=x&sign_type=${q(p())}`,
        `${env.gateway}?method=alipay.trade.page.pay&app_id=${q(p())}`,
        `${env.gateway}?service=${q(p())}`,
        `${env.gateway}?service=create_direct_pay_by_user&partner=${q(p())}&_input_charset=${q(p())}`,
        `${env.base}/cooperate/gateway.do?service=${q(p())}&partner=${q(p())}`,
        `${env.base}/trade/notify_query.do?partner=${q(p())}&notify_id=${q(p())}`,
        `${env.base}/gateway.do?service=notify_verify&partner=${q(p())}&notify_id=${q(p())}`,
        `${env.base}/cashier/${q(p())}`,
        `${env.base}/cashier/trade/${q(p())}`,
        `${env.base}/cashier/qr/${q(p())}`,
        `${env.base}/cashier/qr/${q(p())}/image.png`,
        `${env.base}/cashier/refund/${q(p())}`,
        `${env.base}/cashier/app?order_str=${q(p())}`,
        `${env.base}/downloadBillFile.resource?bizType=${q(p())}&fileId=${q(p())}&token=${q(p())}`,
        `${env.base}/_mockpay/?done=${q(p())}&back=${q(p())}`,
        `${env.base}/_mockpay/trades?status=${q(p())}&app_id=${q(p())}&out_trade_no=${q(p())}`,
        `${env.base}/_mockpay/trades/${q(p())}`,
        `${env.base}/_mockpay/trades/${tradeNo}?done=${q(p())}`,
        `${env.base}/_mockpay/faults?done=${q(p())}&back=${q(p())}`,
        `${env.base}/_mockpay/api/trades/${q(p())}`,
        `${env.base}/_mockpay/api/trades?status=${q(p())}&app_id=${q(p())}`,
        `${env.base}/_mockpay/api/apps/${q(p())}`,
        `${env.base}/_mockpay/api/notifications/${q(p())}`,
        `${env.base}/_mockpay/api/trades/wait?trade_no=${q(p())}&status=${q(p())}&timeout=1ms`,
        `${env.base}/${q(p())}`,
      ];
      for (const url of urls) await visit(url);
      await post(env.gateway, { method: p(), app_id: p(), biz_content: p() });
      await post(`${env.gateway}?method=alipay.trade.page.pay`, { app_id: app.app_id, charset: 'utf-8', sign_type: 'RSA2', sign: 'x', biz_content: p() });
      await post(env.gateway, { service: p(), partner: p() });
      await post(`${env.base}/cashier/app`, { order_str: p() });
      await post(`${env.base}/cashier/app`, { order_str: p(), action: 'pay' });
    }
    assert.deepEqual(seen, []);
    assert.deepEqual(marker.hits, []);
  });

  test('a merchant\'s hostile order text in the cashier, the error page and the dashboard', T, async () => {
    fresh();
    // A subject may not hold / = or &, a body may; neither may pass 128
    // characters (alipay-protocol.md §4.3).
    const js = `alert('XSS-order')`;
    const url = pagePayURL(env.gateway, app, {
      out_trade_no: `${outTradeNo}-2`, total_amount: '1.00',
      subject: `"'><svg><b>XSS-subject<i>`, body: `</textarea><script>${js}</script>`,
    }, { notifyUrl: shop.notifyUrl, returnUrl: shop.returnUrl });
    await visit(url); // the gateway sends the browser on to the cashier
    assert.match(page.url(), /\/cashier\//, await page.content());
    assert.equal(await page.getByTestId('subject').textContent(), `"'><svg><b>XSS-subject<i>`);
    assert.equal(await page.getByTestId('body').textContent(), `</textarea><script>${js}</script>`);
    // The same out_trade_no with other terms: the error page quotes them.
    await visit(pagePayURL(env.gateway, app, { out_trade_no: `${outTradeNo}-2`, total_amount: '2.00', subject: `<b onmouseover="alert(1)">` },
      { notifyUrl: shop.notifyUrl, returnUrl: shop.returnUrl }));
    await visit(`${env.base}/_mockpay/trades?out_trade_no=${encodeURIComponent(`${outTradeNo}-2`)}`);
    assert.deepEqual(seen, []);
    assert.deepEqual(marker.hits, []);
  });

  test('the sandbox survived: /_mockpay/api/reset was never called', T, async () => {
    const got = await api('GET', `/trades/${tradeNo}`);
    assert.equal(got.status, 200, `the paid trade is gone: ${got.text}`);
    assert.equal(got.json.status, 'TRADE_SUCCESS');
    assert.deepEqual(marker.hits, []);
  });
});
