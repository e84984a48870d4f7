'use strict';

// mockpay for the WeChat Pay suites: started by compat/node's launcher
// (MOCKPAY_BIN, ephemeral port), its WeChat Pay merchants picked from
// GET /_mockpay/api/apps by the fields of issue 13 item 1, and the control
// API calls a shop's test makes.

const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { startMockpay } = require('../../node/lib/mockpay');

async function startWechat() {
  const env = await startMockpay();
  env.wechat = env.apps.filter(a => a.protocol === 'wechatpay');
  return env;
}

/** The fixture merchant in platform_key_mode `mode` (certificate | public_key). */
function merchant(env, mode) {
  const a = env.wechat.find(m => m.platform_key_mode === mode);
  assert.ok(a, `GET /_mockpay/api/apps lists no wechatpay merchant with platform_key_mode ${mode}; wechatpay merchants: ${JSON.stringify(env.wechat.map(m => m.mch_id))}`);
  for (const f of ['mch_id', 'appid', 'apiv3_key', 'merchant_serial_no', 'merchant_private_key_pem', 'merchant_certificate_pem', 'api_base_url']) {
    assert.ok(a[f], `merchant ${a.mch_id}: apps API field ${f} is empty`);
  }
  return a;
}

async function control(env, method, path, body) {
  const res = await fetch(`${env.base}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

/** Pay through the control API with an empty body, right after prepay (item 3). */
async function pay(env, a, outTradeNo) {
  const r = await control(env, 'POST', `/_mockpay/api/apps/${a.mch_id}/orders/${encodeURIComponent(outTradeNo)}/pay`);
  assert.ok(r.status >= 200 && r.status < 300, `control API pay ${outTradeNo}: HTTP ${r.status} ${r.text}`);
}

async function advanceClock(env, by) {
  const r = await control(env, 'POST', '/_mockpay/api/clock/advance', { by });
  assert.ok(r.status >= 200 && r.status < 300, `clock advance: HTTP ${r.status} ${r.text}`);
}

/** A merchant made through POST /_mockpay/api/apps (item 1): the 201 body is all a client needs. */
async function createMerchant(env, mode) {
  const r = await control(env, 'POST', '/_mockpay/api/apps', { protocol: 'wechatpay', key_mode: mode, name: `compat node ${mode}` });
  assert.equal(r.status, 201, `POST /_mockpay/api/apps: HTTP ${r.status} ${r.text}`);
  const a = JSON.parse(r.text);
  assert.equal(a.protocol, 'wechatpay');
  assert.equal(a.platform_key_mode, mode);
  assert.equal(a.app_id, a.mch_id);
  return a;
}

let seq = 0;
/** 6–32 chars of [0-9A-Za-z_-|*] (wechatpay-protocol.md §2.5). */
function newOutTradeNo(tag) {
  seq += 1;
  return `${tag}${Date.now().toString(36)}${seq}${crypto.randomBytes(2).toString('hex')}`;
}

/**
 * Registers node:test hooks that start mockpay and the shop's notify
 * endpoint once per file; `ctx.env` and `ctx.shop` are set before the first
 * test runs.
 */
function useMockpay() {
  const { before, after } = require('node:test');
  const { Shop } = require('./shop');
  const ctx = {};
  before(async () => {
    ctx.env = await startWechat();
    ctx.shop = await new Shop().start();
  });
  after(async () => {
    await ctx.shop?.stop();
    await ctx.env?.stop();
  });
  return ctx;
}

module.exports = { useMockpay, startWechat, merchant, createMerchant, control, pay, advanceClock, newOutTradeNo };
