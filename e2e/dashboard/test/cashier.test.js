'use strict';

// The buyer's cashier in a real headless Chromium, under the
// Content-Security-Policy that forbids every script on its pages (issue 8,
// item 1): Pay is a plain form post whose 303 leads to the shop's
// return_url on another origin, with JavaScript on and off; pressing Pay
// again on a second tab of the same cashier shows the paid result again,
// not an error page (issue 8, item 8).

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { startMockpay } = require('../../../compat/node/lib/mockpay');
const { MerchantServer } = require('../../../compat/node/lib/merchant');
const { pagePayURL } = require('../lib/order');
const { launch } = require('../lib/chromium');

const T = { timeout: 120_000 };

describe('cashier in headless Chromium', () => {
  let env;
  let shop;
  let app;

  before(async () => {
    env = await startMockpay();
    shop = await new MerchantServer().start();
    app = env.apps.find(a => a.protocol === 'openapi' && a.sign_type === 'RSA2');
    assert.ok(app, 'an RSA2 fixture app');
  }, T);

  after(async () => {
    await shop?.stop();
    await env?.stop();
  });

  for (const javaScriptEnabled of [true, false]) {
    test(`Pay lands on the shop's return_url, and Pay in a second tab shows it again (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, T, async () => {
      const browser = await launch({ javaScriptEnabled });
      const problems = [];
      try {
        const page = await browser.context.newPage();
        // Errors on mockpay's pages count; the shop's page has no favicon.
        const watch = p => {
          p.on('console', m => { if (m.type() === 'error' && m.location().url.startsWith(env.base)) problems.push(`console: ${m.text()}`); });
          p.on('pageerror', err => problems.push(`page error: ${err.message}`));
        };
        watch(page);
        const outTradeNo = `E2E-CASHIER-${javaScriptEnabled ? 'JS' : 'NOJS'}-${Date.now()}`;
        await page.goto(pagePayURL(env.gateway, app, { out_trade_no: outTradeNo, total_amount: '12.00', subject: 'cashier e2e' },
          { notifyUrl: shop.notifyUrl, returnUrl: shop.returnUrl }));
        assert.match(new URL(page.url()).pathname, /^\/cashier\//);
        const csp = (await page.request.get(page.url())).headers()['content-security-policy'];
        assert.match(csp, /default-src 'none'/);
        assert.doesNotMatch(csp, /script-src/, 'the cashier allows no script at all');
        assert.equal(await page.getByTestId('amount').textContent(), '¥ 12.00');

        // The same cashier in a second tab, still showing its Pay button:
        // the second press comes after the first one paid.
        const second = await browser.context.newPage();
        watch(second);
        await second.goto(page.url());

        await Promise.all([page.waitForURL(`${shop.returnUrl}?**`), page.getByTestId('pay').click()]);
        const first = new URL(page.url()).searchParams;
        assert.equal(first.get('out_trade_no'), outTradeNo);
        await shop.waitForNotification(outTradeNo);

        await Promise.all([second.waitForURL(`${shop.returnUrl}?**`), second.getByTestId('pay').click()]);
        const again = new URL(second.url()).searchParams;
        assert.equal(again.get('trade_no'), first.get('trade_no'));
        assert.equal(again.get('out_trade_no'), outTradeNo);
        assert.equal(shop.notificationsFor(outTradeNo).length, 1);
        assert.deepEqual(problems, []);
      } finally {
        await browser.close();
      }
    });
  }
});
