'use strict';

// The dashboard as a place to watch (issue 11 item 2), in headless Chromium:
// the home page with a failing notification and a rejected request, a new
// rejected request appearing without a reload (server-sent events, under
// the page's CSP), the notification's retry ladder before and after a
// manual redelivery, and the bad-signature page. Screenshots of each are
// kept (lib/screenshot.js). With JavaScript off the same pages read the same.

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { startMockpay } = require('../../../compat/node/lib/mockpay');
const { MerchantServer } = require('../../../compat/node/lib/merchant');
const { pagePayURL, sign, canonical } = require('../lib/order');
const { launch, openWatchedPage } = require('../lib/chromium');
const { screenshot } = require('../lib/screenshot');

const T = { timeout: 120_000 };

describe('the dashboard as a place to watch', () => {
  let env;
  let shop;
  let browser;
  let page;
  let problems;
  let app;
  const outTradeNo = `E2E-WATCH-${Date.now()}`;
  let tradeNo;
  let notificationId;

  async function api(method, apiPath, body) {
    const res = await fetch(`${env.base}/_mockpay/api${apiPath}`, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : undefined, text };
  }

  // A shop's alipay.trade.query whose biz_content was changed after signing.
  function tamperedQuery(out) {
    const params = {
      app_id: app.app_id, method: 'alipay.trade.query', format: 'JSON', charset: 'utf-8', sign_type: app.sign_type,
      timestamp: new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' '), version: '1.0',
      biz_content: JSON.stringify({ out_trade_no: out }),
    };
    params.sign = sign(params, app.app_private_key_pem, app.sign_type);
    params.biz_content = JSON.stringify({ out_trade_no: `${out}&<b>x</b>` });
    return params;
  }

  async function sendTampered(out) {
    const params = tamperedQuery(out);
    const r = await fetch(env.gateway, { method: 'POST', body: new URLSearchParams(params) });
    const json = JSON.parse(await r.text());
    assert.equal(json.alipay_trade_query_response.sub_code, 'isv.invalid-signature');
    return params;
  }

  before(async () => {
    env = await startMockpay();
    shop = await new MerchantServer().start();
    shop.ackFor.set(outTradeNo, 'fail'); // the shop refuses: the schedule's retries follow
    app = env.apps.find(a => a.protocol === 'openapi' && a.sign_type === 'RSA2');
    const res = await fetch(pagePayURL(env.gateway, app, { out_trade_no: outTradeNo, total_amount: '12.00', subject: 'watch e2e' },
      { notifyUrl: shop.notifyUrl, returnUrl: shop.returnUrl }), { redirect: 'manual' });
    assert.equal(res.status, 303);
    const paid = await api('POST', `/apps/${app.app_id}/orders/${outTradeNo}/pay`);
    assert.equal(paid.status, 200, paid.text);
    tradeNo = paid.json.trade.trade_no;
    const waited = await api('GET', `/notifications/wait?trade_no=${tradeNo}&attempts=1&timeout=30s`);
    assert.equal(waited.status, 200, waited.text);
    notificationId = waited.json.id;
    await sendTampered(outTradeNo);

    ({ browser, page, problems } = await openWatchedPage());
  }, T);

  after(async () => {
    await browser?.close();
    await shop?.stop();
    await env?.stop();
  });

  test('home: the failing notification and the rejected request; a new one appears without a reload', T, async () => {
    await page.goto(`${env.base}/_mockpay/`);
    assert.equal(await page.getByTestId('failing-row').count(), 1);
    assert.match(await page.getByTestId('failing-row').textContent(), new RegExp(tradeNo));
    assert.equal(await page.getByTestId('rejected-row').count(), 1);
    assert.match(await page.getByTestId('rejected-row').textContent(), /isv\.invalid-signature/);
    assert.equal(await page.locator('textarea.key').count(), 0, 'no keys on the home page');

    // Live: mark this document, make another rejected call from outside the
    // browser, and see it listed in the same document.
    await page.evaluate(() => { window.__same = 'yes'; });
    await sendTampered(`${outTradeNo}-2`);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=rejected-row]').length === 2, null, { timeout: 10_000 });
    assert.equal(await page.evaluate(() => window.__same), 'yes', 'the page was reloaded');
    await screenshot(page, 'home.png');
    assert.deepEqual(problems, []);
  });

  test('notification page: the retry ladder, a redelivery marked manual that moves no slot', T, async () => {
    await page.goto(`${env.base}/_mockpay/`);
    await Promise.all([page.waitForURL(`**/_mockpay/notifications/${notificationId}`),
      page.getByTestId('failing-row').getByTestId('notification-link').click()]);
    const states = () => page.getByTestId('slot').evaluateAll(els => els.map(e => e.dataset.state));
    const offsets = () => page.getByTestId('slot').evaluateAll(els => els.map(e => e.textContent.trim()));
    assert.deepEqual(await offsets(), ['+0', '+4m', '+14m', '+24m', '+1h24m', '+3h24m', '+9h24m', '+24h24m']);
    assert.deepEqual(await states(), ['failed', 'next', 'later', 'later', 'later', 'later', 'later', 'later']);
    const nextBefore = await page.getByTestId('next-retry').textContent();

    await Promise.all([page.waitForURL(/done=redeliver/), page.getByTestId('redeliver').click()]);
    assert.equal(new URL(page.url()).pathname, `/_mockpay/notifications/${notificationId}`);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=attempt]').length === 2, null, { timeout: 10_000 });
    assert.deepEqual(await page.getByTestId('attempt-kind').allTextContents(), ['scheduled', 'manual']);
    assert.equal(await page.getByTestId('manual-mark').count(), 1);
    assert.deepEqual(await states(), ['failed', 'next', 'later', 'later', 'later', 'later', 'later', 'later'], 'the redelivery took a slot');
    assert.equal(await page.getByTestId('next-retry').textContent(), nextBefore, 'the redelivery moved the schedule');
    // The URL wraps between its parts only.
    assert.match(await page.getByTestId('notify-url').innerHTML(), /^http:\/\/<wbr>127\.0\.0\.1:\d+\/<wbr>alipay\/<wbr>notify$/);
    await screenshot(page, 'notification.png');

    // The schedule's +4m: advance the clock from this page; the slot fills.
    await page.getByTestId('advance-by').fill('4m');
    await Promise.all([page.waitForURL(/done=advance/), page.getByTestId('advance').click()]);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=attempt]').length === 3, null, { timeout: 10_000 });
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=slot]')].map(e => e.dataset.state).slice(0, 3).join() === 'failed,failed,next', null, { timeout: 10_000 });
    await screenshot(page, 'notification-after-4m.png');
    assert.deepEqual(problems, []);
  });

  test('bad-signature page: the verified string to copy, each parameter, the pointer to mockpay verify', T, async () => {
    await page.goto(`${env.base}/_mockpay/requests?verdict=rejected`);
    const first = page.getByTestId('request-row').last(); // the oldest: the first tampered call
    await Promise.all([page.waitForURL(/\/_mockpay\/requests\/\d+$/), first.getByTestId('request-link').click()]);
    const sent = tamperedQuery(outTradeNo);
    const verified = await page.getByTestId('canonical').inputValue();
    // What mockpay verified is what arrived: the tampered biz_content, as text.
    assert.equal(verified.replace(/timestamp=[^&]*/, ''), canonical(sent).replace(/timestamp=[^&]*/, ''));
    assert.match(verified, /&<b>x<\/b>/);
    assert.ok(await page.locator('[data-testid=diagnosis] button.copy').count() === 1, 'a Copy button beside the string');
    const params = await page.getByTestId('param').evaluateAll(trs => trs.map(tr => [tr.cells[0].textContent, tr.cells[2].textContent.trim()]));
    assert.deepEqual(params.find(p => p[0] === 'sign'), ['sign', '— not signed']);
    assert.deepEqual(params.find(p => p[0] === 'biz_content'), ['biz_content', '✓ signed']);
    assert.match(await page.getByTestId('verify-hint').textContent(), /mockpay verify --public-key/);
    assert.equal(await page.locator('[data-testid=diagnosis] b').count(), 0, 'a value became markup');
    await screenshot(page, 'bad-signature.png');
    assert.deepEqual(problems, []);
  });

  test('with JavaScript off: the same pages, static', T, async () => {
    const noJS = await launch({ javaScriptEnabled: false });
    try {
      const p = await noJS.context.newPage();
      await p.goto(`${env.base}/_mockpay/`);
      assert.ok(await p.getByTestId('rejected-row').count() >= 2);
      await p.goto(`${env.base}/_mockpay/notifications/${notificationId}`);
      assert.equal(await p.getByTestId('slot').count(), 8);
      assert.equal(await p.getByTestId('manual-mark').count(), 1);
      await p.goto(`${env.base}/_mockpay/notifications`);
      assert.equal(await p.getByTestId('notification-row').count(), 1);
    } finally {
      await noJS.close();
    }
  });
});
