'use strict';

// Buyer-side page.pay / wap.pay flow helpers shared by the tests. Every hop
// is asserted against the mockpay contract so a failure says which hop broke.

const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { Browser, parseCashier, htmlText } = require('./browser');

let seq = 0;
/** A fresh out_trade_no: [A-Za-z0-9_], well below 64 chars. */
function newOutTradeNo(tag) {
  seq += 1;
  return `NODE_${tag}_${Date.now()}_${seq}_${crypto.randomBytes(3).toString('hex')}`;
}

const TIMESTAMP_RE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/**
 * Submit what pageExecute() returned (GET URL or POST form HTML) like a
 * browser would and assert the 303 to the cashier.
 * Returns { browser, gatewayRes, cashierUrl }.
 */
async function submitToGateway(env, sdkOutput, browser = new Browser()) {
  let gatewayRes;
  if (sdkOutput.trimStart().startsWith('<')) {
    gatewayRes = await browser.submitSdkForm(sdkOutput);
  } else {
    gatewayRes = await browser.request(sdkOutput);
  }
  assert.equal(gatewayRes.status, 303,
    `gateway submission must answer 303 to the cashier; got HTTP ${gatewayRes.status}.\nbody text: ${htmlText(gatewayRes.body).slice(0, 600)}\ntrace:\n${browser.trace()}`);
  assert.ok(gatewayRes.location, `303 without Location header\ntrace:\n${browser.trace()}`);
  const cashierUrl = new URL(gatewayRes.location);
  assert.equal(cashierUrl.origin, new URL(env.base).origin, `cashier must be served by mockpay (${env.base}); Location: ${gatewayRes.rawLocation}`);
  assert.match(cashierUrl.pathname, /^\/cashier\/[^/]+$/, `Location must lead to /cashier/<token>; got ${gatewayRes.rawLocation}`);
  return { browser, gatewayRes, cashierUrl: cashierUrl.toString() };
}

/** GET the cashier page and assert its form and pay/fail/cancel buttons. */
async function openCashier(browser, cashierUrl) {
  const page = await browser.request(cashierUrl);
  assert.equal(page.status, 200, `GET ${cashierUrl} must be 200; got ${page.status}\ntrace:\n${browser.trace()}`);
  const cashier = parseCashier(page.body, cashierUrl);
  assert.ok(cashier.form,
    `cashier page has no <form method="post" action="/cashier/<token>">; forms found: ${JSON.stringify(cashier.forms.map(f => f.attrs))}\npage text: ${htmlText(page.body).slice(0, 600)}`);
  assert.equal(new URL(cashier.action).pathname, new URL(cashierUrl).pathname,
    `cashier form action (${cashier.rawAction}) must post back to the cashier URL path`);
  for (const value of ['pay', 'fail', 'cancel']) {
    const b = cashier.buttons[value];
    assert.ok(b, `cashier form lacks <button name="action" value="${value}">; buttons: ${JSON.stringify(cashier.form.buttons)}`);
    assert.equal(b['data-testid'], value, `button value=${value} must carry data-testid="${value}"`);
  }
  return { page, ...cashier };
}

/** Click a cashier button (pay/fail/cancel): POST the form as a browser would. */
async function clickCashier(browser, cashier, action) {
  const form = new URLSearchParams();
  for (const h of cashier.hidden) form.append(h.name, h.value ?? '');
  form.append('action', action);
  return browser.request(cashier.action, { method: 'POST', form });
}

/**
 * Pay in the cashier and assert the 303 back to return_url.
 * Returns { res, returnUrl: URL, params }.
 */
async function payAndReturn(browser, cashier, merchantReturnUrl) {
  const res = await clickCashier(browser, cashier, 'pay');
  assert.equal(res.status, 303,
    `POST action=pay must answer 303 to return_url; got ${res.status}. text: ${htmlText(res.body).slice(0, 600)}\ntrace:\n${browser.trace()}`);
  assert.ok(res.rawLocation, 'pay 303 without Location');
  assert.ok(res.rawLocation.startsWith(`${merchantReturnUrl}?`),
    `Location must be return_url (${merchantReturnUrl}) + signed query; got ${res.rawLocation}`);
  const returnUrl = new URL(res.rawLocation);
  const params = Object.fromEntries(returnUrl.searchParams);
  return { res, returnUrl, params };
}

/** Full buyer journey: submit SDK output → cashier → pay. */
async function payOrder(env, sdkOutput, merchantReturnUrl) {
  const { browser, cashierUrl } = await submitToGateway(env, sdkOutput);
  const cashier = await openCashier(browser, cashierUrl);
  const ret = await payAndReturn(browser, cashier, merchantReturnUrl);
  return { browser, cashierUrl, cashier, ...ret };
}

function assertNoEmptyValues(params, what) {
  const empty = Object.keys(params).filter(k => params[k] === '');
  assert.deepEqual(empty, [], `${what} must not carry empty-valued fields (doc §3.3/§6.5): ${empty.join(', ')}`);
}

/** Return-URL params per doc §3.6. */
function assertReturnParams(params, { method, outTradeNo, totalAmount, app, signType }) {
  assert.equal(params.method, method, 'return method');
  assert.equal(params.out_trade_no, outTradeNo, 'return out_trade_no');
  assert.equal(params.total_amount, totalAmount, 'return total_amount (2 decimals)');
  assert.equal(params.app_id, app.app_id, 'return app_id');
  assert.equal(params.sign_type, signType, 'return sign_type');
  assert.equal(params.version, '1.0', 'return version');
  assert.match(params.charset || '', /^utf-8$/i, 'return charset echoes the request charset');
  assert.ok(params.trade_no, 'return carries trade_no');
  assert.match(params.timestamp || '', TIMESTAMP_RE, `return timestamp yyyy-MM-dd HH:mm:ss, got ${params.timestamp}`);
  assert.ok(params.sign, 'return carries sign');
  assert.equal(params.passback_params, undefined, 'passback_params is only sent in the async notification (doc §3.6)');
  assert.equal(params.trade_status, undefined, 'return_url carries no trade_status (doc §3.6)');
  assertNoEmptyValues(params, 'return_url');
}

/** Async notification per doc §3.1/§3.2. */
function assertNotification(n, { outTradeNo, totalAmount, app, signType, tradeNo }) {
  assert.equal(n.method, 'POST', 'notification must be an HTTP POST');
  assert.match(n.contentType, /^application\/x-www-form-urlencoded/i, `notification content-type, got ${n.contentType}`);
  const p = n.params;
  assert.equal(p.notify_type, 'trade_status_sync', 'notify_type');
  assert.equal(p.trade_status, 'TRADE_SUCCESS', 'trade_status');
  assert.equal(p.out_trade_no, outTradeNo, 'out_trade_no');
  assert.equal(p.total_amount, totalAmount, 'total_amount');
  assert.equal(p.app_id, app.app_id, 'app_id');
  assert.equal(p.sign_type, signType, 'sign_type');
  assert.ok(p.sign, 'sign present');
  assert.ok(p.notify_id, 'notify_id present');
  assert.match(p.notify_time || '', TIMESTAMP_RE, `notify_time format, got ${p.notify_time}`);
  if (tradeNo) assert.equal(p.trade_no, tradeNo, 'notification trade_no equals the return_url trade_no');
  assert.equal(p.alipay_cert_sn, undefined, 'no alipay_cert_sn in public-key mode notifications (doc §3.3)');
  assert.deepEqual(n.duplicateKeys, [], 'no duplicated keys in the notification body');
  assertNoEmptyValues(p, 'notification');
}

module.exports = {
  newOutTradeNo,
  submitToGateway,
  openCashier,
  clickCashier,
  payAndReturn,
  payOrder,
  assertReturnParams,
  assertNotification,
  assertNoEmptyValues,
  TIMESTAMP_RE,
};
