'use strict';

// The dashboard in a real headless Chromium: open it, follow a paid trade by
// its links, press Redeliver and see the new attempt (issue 3, item 4).

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

// The spawned server and the shop's notify_url are the compat suite's own
// helpers (stdlib only): one way to start mockpay for every Node suite.
const { startMockpay } = require('../../../compat/node/lib/mockpay');
const { MerchantServer } = require('../../../compat/node/lib/merchant');
const { pagePayURL, sign } = require('../lib/order');
const { launch, openWatchedPage } = require('../lib/chromium');
const { screenshot } = require('../lib/screenshot');

const T = { timeout: 120_000 };
// Merchant-supplied text that must reach the page as text, never as markup
// (a subject may not hold / = or &, a body may).
const SUBJECT = `e2e 仪表盘 <b>"bold"<i>'x'`;
const BODY = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';

describe('dashboard in headless Chromium', () => {
  let env; // { base, gateway, apps, stop, output }
  let shop;
  let browser;
  let page;
  let problems; // console errors, page errors and CSP violations
  const outTradeNo = `E2E-DASH-${Date.now()}`;
  let tradeNo;

  async function api(method, apiPath, body) {
    const res = await fetch(`${env.base}/_mockpay/api${apiPath}`, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : undefined, text };
  }

  before(async () => {
    env = await startMockpay();
    shop = await new MerchantServer().start(); // answers "success"
    const app = env.apps.find(a => a.protocol === 'openapi' && a.sign_type === 'RSA2');
    assert.ok(app, 'an RSA2 fixture app');

    // The shop's page.pay: the gateway sends the buyer on to the cashier.
    const url = pagePayURL(env.gateway, app, { out_trade_no: outTradeNo, total_amount: '88.00', subject: SUBJECT, body: BODY },
      { notifyUrl: shop.notifyUrl, returnUrl: shop.returnUrl });
    const res = await fetch(url, { redirect: 'manual' });
    assert.equal(res.status, 303, `page.pay: ${await res.text()}`);
    assert.match(res.headers.get('location'), /\/cashier\//);

    // The buyer pays through the control API; the shop acknowledges.
    const paid = await api('POST', `/apps/${app.app_id}/orders/${outTradeNo}/pay`);
    assert.equal(paid.status, 200, paid.text);
    assert.equal(paid.json.trade.status, 'TRADE_SUCCESS');
    tradeNo = paid.json.trade.trade_no;
    await shop.waitForNotification(outTradeNo);
    const acked = await api('GET', `/notifications/wait?trade_no=${tradeNo}&status=acked&attempts=1&timeout=30s`);
    assert.equal(acked.status, 200, acked.text);

    ({ browser, page, problems } = await openWatchedPage());
  }, T);

  after(async () => {
    await browser?.close();
    await shop?.stop();
    await env?.stop();
  });

  test('apps page: keys to copy, and the copy script runs under the page CSP', T, async () => {
    await page.goto(`${env.base}/_mockpay/`);
    await Promise.all([page.waitForURL('**/_mockpay/apps'), page.getByTestId('nav-apps').click()]);
    assert.equal(await page.locator('h1').textContent(), 'Apps');
    const key = page.getByTestId('app-private-key').first();
    assert.match(await key.inputValue(), /^-----BEGIN RSA PRIVATE KEY-----/);
    assert.equal(await key.getAttribute('readonly'), '');
    // The Copy buttons exist only when the inline script was allowed to run.
    assert.ok(await page.locator('button.copy').count() >= 4, 'copy buttons added by the inline script');
    assert.deepEqual(problems, []);
  });

  test('follow the trade by its links, press Redeliver, see attempt 2', T, async () => {
    await page.goto(`${env.base}/_mockpay/`);
    await Promise.all([page.waitForURL('**/_mockpay/trades'), page.getByTestId('nav-trades').click()]);
    const row = page.getByTestId('trade-row').filter({ hasText: outTradeNo });
    assert.equal(await row.count(), 1);
    assert.equal(await row.getByTestId('subject').textContent(), SUBJECT);
    await Promise.all([page.waitForURL(`**/_mockpay/trades/${tradeNo}`), row.getByTestId('trade-link').click()]);

    assert.equal(await page.getByTestId('status').textContent(), 'TRADE_SUCCESS');
    assert.equal(await page.locator('h1 [data-testid=subject]').textContent(), SUBJECT);
    assert.equal(await page.getByTestId('body').textContent(), BODY);
    const attempts = () => page.getByTestId('attempt-number').allTextContents();
    assert.deepEqual(await attempts(), ['1']);
    assert.equal(await page.getByTestId('notification-status').textContent(), 'acked');

    await Promise.all([page.waitForURL(/done=redelivered/), page.getByTestId('redeliver').click()]);
    assert.deepEqual(await attempts(), ['1', '2']);
    assert.match(await page.getByTestId('flash').textContent(), /Redelivered/);
    const answers = await page.getByTestId('answer').allTextContents();
    assert.deepEqual(answers, ['success', 'success']);

    // The shop really got it twice, with the same notify_id (§3.2).
    const got = shop.notificationsFor(outTradeNo);
    assert.equal(got.length, 2);
    assert.equal(got[1].params.notify_id, got[0].params.notify_id);

    assert.equal(await page.evaluate(() => window.__pwned), undefined, 'the hostile body ran as markup');
    assert.deepEqual(problems, []);

    await screenshot(page, 'trade.png');
  });

  test('with JavaScript off: the same walk, Redeliver works, keys stay selectable', T, async () => {
    const noJS = await launch({ javaScriptEnabled: false });
    try {
      const p = await noJS.context.newPage();
      await p.goto(`${env.base}/_mockpay/apps`);
      assert.equal(await p.locator('button.copy').count(), 0, 'no script, no copy buttons');
      assert.match(await p.getByTestId('app-private-key').first().inputValue(), /^-----BEGIN RSA PRIVATE KEY-----/);
      await Promise.all([p.waitForURL('**/_mockpay/trades'), p.getByTestId('nav-trades').click()]);
      const row = p.getByTestId('trade-row').filter({ hasText: outTradeNo });
      await Promise.all([p.waitForURL(`**/_mockpay/trades/${tradeNo}`), row.getByTestId('trade-link').click()]);
      const before = await p.getByTestId('attempt-number').allTextContents();
      await Promise.all([p.waitForURL(/done=redelivered/), p.getByTestId('redeliver').click()]);
      const after = await p.getByTestId('attempt-number').allTextContents();
      assert.equal(after.length, before.length + 1);
      assert.equal(after.at(-1), String(before.length + 1));
    } finally {
      await noJS.close();
    }
  });

  test('a trade refunded twice in part: its page shows both refunds, the reason as text', T, async () => {
    const app = env.apps.find(a => a.protocol === 'openapi' && a.sign_type === 'RSA2');
    const out = `${outTradeNo}-R`;
    const res = await fetch(pagePayURL(env.gateway, app, { out_trade_no: out, total_amount: '10.00', subject: 'refunds e2e' },
      { notifyUrl: shop.notifyUrl, returnUrl: shop.returnUrl }), { redirect: 'manual' });
    assert.equal(res.status, 303);
    const paid = await api('POST', `/apps/${app.app_id}/orders/${out}/pay`);
    assert.equal(paid.status, 200, paid.text);
    const refundedTradeNo = paid.json.trade.trade_no;
    // The shop's alipay.trade.refund, signed as §2.2 says.
    for (const [rq, amount, reason] of [['RQ-1', '3.00', '<b>mug</b> & saucer'], ['RQ-2', '2.50', '']]) {
      const params = {
        app_id: app.app_id, method: 'alipay.trade.refund', format: 'JSON', charset: 'utf-8', sign_type: app.sign_type,
        timestamp: new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' '), version: '1.0',
        biz_content: JSON.stringify({ out_trade_no: out, refund_amount: amount, out_request_no: rq, refund_reason: reason || undefined }),
      };
      params.sign = sign(params, app.app_private_key_pem, app.sign_type);
      const r = await fetch(env.gateway, { method: 'POST', body: new URLSearchParams(params) });
      const json = JSON.parse(await r.text());
      assert.equal(json.alipay_trade_refund_response.code, '10000', JSON.stringify(json));
    }
    await page.goto(`${env.base}/_mockpay/trades/${refundedTradeNo}`);
    assert.equal(await page.getByTestId('refunded-amount').textContent(), '¥ 5.50');
    const rows = await page.getByTestId('refund').evaluateAll(trs => trs.map(tr => [...tr.cells].slice(1).map(td => td.textContent)));
    assert.deepEqual(rows, [
      ['RQ-1', '3.00', '3.00', 'REFUND_SUCCESS', '<b>mug</b> & saucer'],
      ['RQ-2', '2.50', '5.50', 'REFUND_SUCCESS', ''],
    ]);
    assert.equal(await page.locator('[data-testid=refunds] b').count(), 0, 'the reason became markup');
    assert.deepEqual(problems, []);
  });

  test('advance the clock from the page it is on', T, async () => {
    await page.goto(`${env.base}/_mockpay/trades/${tradeNo}`);
    const before = new Date(await page.getByTestId('now').getAttribute('datetime'));
    await page.getByTestId('advance-by').fill('2d');
    await Promise.all([page.waitForURL(/done=advance/), page.getByTestId('advance').click()]);
    assert.equal(new URL(page.url()).pathname, `/_mockpay/trades/${tradeNo}`);
    const after = new Date(await page.getByTestId('now').getAttribute('datetime'));
    const jumped = after - before;
    // 2 days plus the few real seconds mockpay's real-time clock ran meanwhile.
    assert.ok(jumped >= 48 * 3600_000 && jumped < 48 * 3600_000 + 60_000, `clock moved ${jumped} ms`);
    assert.deepEqual(problems, []);
  });

  test('faults: set a chain with the form, the acknowledged canary shows red', T, async () => {
    const app = env.apps.find(a => a.protocol === 'openapi' && a.sign_type === 'RSA2');
    await page.goto(`${env.base}/_mockpay/`);
    await Promise.all([page.waitForURL('**/_mockpay/faults'), page.getByTestId('nav-faults').click()]);
    assert.match(await page.getByTestId('verdicts-summary').textContent(), /no failure/);
    await page.getByTestId(`plan-${app.app_id}`).fill('forge');
    await Promise.all([page.waitForURL(/done=faults/), page.getByTestId(`set-faults-${app.app_id}`).click()]);
    assert.equal(await page.getByTestId(`plan-${app.app_id}`).inputValue(), 'forge');

    // The shop answers "success" to everything, the forged copy included.
    const out = `${outTradeNo}-F`;
    const res = await fetch(pagePayURL(env.gateway, app, { out_trade_no: out, total_amount: '4.00', subject: 'faults e2e' },
      { notifyUrl: shop.notifyUrl, returnUrl: shop.returnUrl }), { redirect: 'manual' });
    assert.equal(res.status, 303);
    const paid = await api('POST', `/apps/${app.app_id}/orders/${out}/pay`);
    assert.equal(paid.status, 200, paid.text);
    const acked = await api('GET', `/notifications/wait?trade_no=${paid.json.trade.trade_no}&status=acked&attempts=2&timeout=30s`);
    assert.equal(acked.status, 200, acked.text);

    await page.goto(`${env.base}/_mockpay/trades/${paid.json.trade.trade_no}`);
    const failure = page.getByTestId('attempt-failure');
    assert.equal(await failure.textContent(), '‼ canary_accepted');
    assert.equal(await failure.evaluate(el => getComputedStyle(el).color), 'rgb(207, 19, 34)');
    assert.equal(await page.locator('tr.failure').evaluate(el => getComputedStyle(el).backgroundColor), 'rgb(255, 241, 240)');

    await page.goto(`${env.base}/_mockpay/faults`);
    assert.match(await page.getByTestId('verdicts-summary').textContent(), /1 failure the team must see/);
    assert.equal(await page.getByTestId('failure').count(), 1);
    await page.getByTestId(`plan-${app.app_id}`).fill('');
    await Promise.all([page.waitForURL(/done=faults/), page.getByTestId(`set-faults-${app.app_id}`).click()]);
    assert.equal((await api('GET', `/apps/${app.app_id}/faults`)).json.plan, '');
    assert.deepEqual(problems, []);
  });
});
