'use strict';

// The http service handed to wechatpay-node-v3's documented `createHttp`
// hook. The SDK builds every URL on the real host and signs the URL minus
// `https://api.mch.weixin.qq.com` (wechatpay-protocol.md §4.4), so the host
// may be changed only here, after signing. It answers in the SDK's own
// shape ({status, data} on success, {status, error} otherwise) and also
// keeps the raw text and headers, so a shop can check an answer's signature
// with the SDK's verifySign.

const REAL = 'https://api.mch.weixin.qq.com';

class MockpayHttp {
  constructor(apiBaseUrl) { this.base = apiBaseUrl.replace(/\/$/, ''); this.last = null; }

  rewrite(url) {
    if (!url.startsWith(REAL)) throw new Error(`wechatpay-node-v3 asked for ${url}, not the platform host`);
    return this.base + url.slice(REAL.length);
  }

  async #send(method, url, headers, body) {
    const res = await fetch(this.rewrite(url), { method, headers, body });
    const text = await res.text();
    const out = { status: res.status, headers: Object.fromEntries(res.headers), text };
    if (res.status >= 200 && res.status < 300) {
      out.data = text === '' ? {} : JSON.parse(text);
    } else {
      out.error = text;
    }
    this.last = out;
    return out;
  }

  post(url, params, headers) { return this.#send('POST', url, headers, JSON.stringify(params)); }

  get(url, headers) { return this.#send('GET', url, headers, undefined); }
}

module.exports = { MockpayHttp };
