'use strict';

// A shop's side of a page.pay order, with node:crypto only: the test must not
// lean on mockpay's own code (or on an SDK from another suite) to make the
// request mockpay judges.

const crypto = require('node:crypto');

// canonical is the string Alipay signs (alipay-protocol.md §2.2): every
// parameter except sign, non-empty, sorted by key, k=v joined with &.
function canonical(params) {
  return Object.keys(params)
    .filter(k => k !== 'sign' && params[k] !== undefined && params[k] !== '')
    .sort()
    .map(k => `${k}=${params[k]}`)
    .join('&');
}

function sign(params, privateKeyPem, signType) {
  const algorithm = signType === 'RSA' ? 'RSA-SHA1' : 'RSA-SHA256';
  return crypto.sign(algorithm, Buffer.from(canonical(params), 'utf8'), privateKeyPem).toString('base64');
}

// timestamp is now in GMT+8 as yyyy-MM-dd HH:mm:ss, the platform's zone.
function timestamp(now = Date.now()) {
  return new Date(now + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/** The signed alipay.trade.page.pay GET URL a shop sends the buyer to. */
function pagePayURL(gateway, app, biz, { notifyUrl, returnUrl }) {
  const params = {
    app_id: app.app_id,
    method: 'alipay.trade.page.pay',
    format: 'JSON',
    charset: 'utf-8',
    sign_type: app.sign_type,
    timestamp: timestamp(),
    version: '1.0',
    notify_url: notifyUrl,
    return_url: returnUrl,
    biz_content: JSON.stringify({ product_code: 'FAST_INSTANT_TRADE_PAY', ...biz }),
  };
  params.sign = sign(params, app.app_private_key_pem, app.sign_type);
  return `${gateway}?${new URLSearchParams(params)}`;
}

module.exports = { canonical, sign, pagePayURL };
