'use strict';

// The buyer's side of a WeChat Pay order (issue 13 item 3): the page that
// plays WeixinJSBridge.getBrandWCPayRequest with what the SDK made for the
// shop's page (§2.9), an h5_url, a scanned code_url. Redirects are not
// followed, so every hop is asserted.

const assert = require('node:assert/strict');

async function open(url) {
  const res = await fetch(url, { redirect: 'manual' });
  return { status: res.status, location: res.headers.get('location'), body: await res.text() };
}

/** The page sends the buyer on to mockpay's cashier, which answers 200. */
async function reachCashier(what, url) {
  const r = await open(url);
  assert.ok(r.status >= 300 && r.status < 400 && r.location, `${what} (${url}): HTTP ${r.status} Location ${r.location}\n${r.body.slice(0, 600)}`);
  const cashier = await open(new URL(r.location, url).toString());
  assert.equal(cashier.status, 200, `${what}: cashier ${r.location} HTTP ${cashier.status}\n${cashier.body.slice(0, 600)}`);
}

function jsapiPage(apiBaseUrl, p) {
  const q = new URLSearchParams({ appId: p.appId, timeStamp: p.timeStamp, nonceStr: p.nonceStr, package: p.package, signType: p.signType, paySign: p.paySign });
  return `${apiBaseUrl}/wxpay/jsapi?${q}`;
}

/** JSAPI parameters as the SDK made them are accepted; an altered paySign is refused. */
async function checkJSAPI(apiBaseUrl, p) {
  await reachCashier('JSAPI page with the SDK\'s paySign', jsapiPage(apiBaseUrl, p));
  const forged = { ...p, paySign: (p.paySign[0] === 'A' ? 'B' : 'A') + p.paySign.slice(1) };
  const r = await open(jsapiPage(apiBaseUrl, forged));
  assert.ok(!(r.status >= 300 && r.status < 400) && r.body.includes('SIGN_ERROR'), `JSAPI page with an altered paySign: HTTP ${r.status} Location ${r.location}`);
}

/** A code_url opened as the WeChat client does after scanning it. */
function checkNative(apiBaseUrl, codeUrl) {
  return reachCashier('scanned code_url', `${apiBaseUrl}/wxpay/bizpayurl?${new URL(codeUrl).search.slice(1)}`);
}

module.exports = { reachCashier, checkJSAPI, checkNative };
