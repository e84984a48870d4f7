'use strict';

// The dashboard's trigger and "Send to URL" forms (issue 11 item 4) in
// headless Chromium: the home page's form makes a paid trade whose signed
// notification reaches the shop, and the notification page sends it once to
// a second URL and shows that URL's answer, under the page's CSP.
// Screenshots: trigger-home.png, trigger-sent.png.

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { startMockpay } = require('../../../compat/node/lib/mockpay');
const { MerchantServer } = require('../../../compat/node/lib/merchant');
const { openWatchedPage } = require('../lib/chromium');
const { screenshot } = require('../lib/screenshot');

const T = { timeout: 120_000 };

describe('the dashboard trigger and send forms', () => {
  let env;
  let shop;
  let other;
  let browser;
  let page;
  let problems;

  before(async () => {
    env = await startMockpay();
    shop = await new MerchantServer().start();
    other = await new MerchantServer().start();
    ({ browser, page, problems } = await openWatchedPage());
  }, T);

  after(async () => {
    await browser?.close();
    await other?.stop();
    await shop?.stop();
    await env?.stop();
  });

  test('trigger from the home page, then send the notification to another URL', T, async () => {
    const app = env.apps.find(a => a.protocol === 'openapi' && a.sign_type === 'RSA2');
    await page.goto(`${env.base}/_mockpay/`);
    const form = page.getByTestId('trigger-form');
    await form.getByTestId('trigger-app').selectOption(app.app_id);
    await form.getByTestId('trigger-amount').fill('23.45');
    await form.getByTestId('trigger-subject').fill('e2e <trigger>');
    await form.getByTestId('trigger-notify-url').fill(shop.notifyUrl);
    await form.getByTestId('trigger-outcome').selectOption('paid');
    await screenshot(page, 'trigger-home.png');
    await Promise.all([page.waitForURL(/\/_mockpay\/trades\/\d+\?done=triggered/), form.getByTestId('trigger-submit').click()]);
    assert.match(await page.locator('body').textContent(), /Triggered:/);
    assert.match(await page.locator('body').textContent(), /e2e <trigger>/);

    const tradeNo = new URL(page.url()).pathname.split('/').pop();
    const trade = await (await fetch(`${env.base}/_mockpay/api/trades/${tradeNo}`)).json();
    assert.equal(trade.status, 'TRADE_SUCCESS');
    assert.equal(trade.total_amount, '23.45');
    const n = await shop.waitForNotification(trade.out_trade_no);
    assert.equal(n.params.trade_status, 'TRADE_SUCCESS');
    assert.equal(n.params.subject, 'e2e <trigger>');
    assert.ok(n.params.sign, 'the notification is signed');

    const ns = await (await fetch(`${env.base}/_mockpay/api/trades/${tradeNo}/notifications`)).json();
    assert.equal(ns.length, 1);
    await page.goto(`${env.base}/_mockpay/notifications/${ns[0].id}`);
    const send = page.getByTestId('send-form');
    await send.getByTestId('send-url').fill(other.notifyUrl);
    await Promise.all([page.waitForURL(new RegExp(`/_mockpay/notifications/${ns[0].id}/send(#send)?$`)), send.getByTestId('send-submit').click()]);
    assert.match(await page.getByTestId('sent-verdict').textContent(), /✓ acknowledged/);
    assert.match(await page.getByTestId('sent-status').textContent(), /^200 /);
    assert.equal(await page.getByTestId('sent-answer').textContent(), 'success');
    const copy = await other.waitForNotification(trade.out_trade_no);
    assert.equal(copy.params.trade_no, tradeNo);
    assert.ok(copy.params.sign);
    await screenshot(page, 'trigger-sent.png');

    const after = await (await fetch(`${env.base}/_mockpay/api/notifications/${ns[0].id}`)).json();
    assert.equal(after.attempts.length, 1, 'the send is not one of the notification\'s attempts');
    assert.deepEqual(problems, []);
  });
});
