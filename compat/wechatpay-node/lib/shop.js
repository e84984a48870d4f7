'use strict';

// The merchant's notify endpoint. Each order (and refund) gets its own
// notify_url path, /wx/<key>, no query (§2.5), so a test waits for its own
// delivery; the raw body and the Wechatpay-* headers are kept for the SDK's
// verification. Payments are acknowledged 200, refunds 204 (both count,
// §2.8).

const http = require('node:http');
const { advanceClock } = require('./env');

class Shop {
  constructor() {
    this.deliveries = new Map(); // key -> [{ headers, raw, body }]
    this.waiters = [];
    // refuse.get(key) deliveries are answered 500 before the first
    // acknowledgement, as a shop whose handler failed.
    this.refuse = new Map();
    this.server = http.createServer((req, res) => {
      const chunks = [];
      req.on('data', c => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const key = decodeURIComponent(new URL(req.url, 'http://x').pathname.replace(/^\/wx\//, ''));
        let body;
        try { body = JSON.parse(raw); } catch { body = undefined; }
        const d = { headers: req.headers, raw, body };
        if (!this.deliveries.has(key)) this.deliveries.set(key, []);
        const all = this.deliveries.get(key);
        all.push(d);
        if (all.length <= (this.refuse.get(key) ?? 0)) {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end('{"code":"FAIL","message":"shop busy"}');
        } else {
          res.writeHead(body && String(body.event_type).startsWith('REFUND.') ? 204 : 200);
          res.end();
        }
        this.waiters = this.waiters.filter(w => (w.key === key && all.length >= w.n ? (w.resolve(all[w.n - 1]), false) : true));
      });
    });
  }

  async start() {
    await new Promise(resolve => this.server.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${this.server.address().port}`;
    return this;
  }

  async stop() {
    this.server.closeAllConnections?.();
    await new Promise(resolve => this.server.close(() => resolve()));
  }

  notifyUrl(key) { return `${this.base}/wx/${encodeURIComponent(key)}`; }

  /**
   * The n-th (default first) delivery to /wx/<key>. A refund may finish on the virtual
   * clock (PROCESSING first), so with `nudge` the clock is moved on by a
   * minute, once, after two quiet seconds.
   */
  async wait(env, key, { nudge = false, timeoutMs = 20_000, n = 1 } = {}) {
    const have = this.deliveries.get(key);
    if (have && have.length >= n) return have[n - 1];
    const arrived = new Promise(resolve => this.waiters.push({ key, n, resolve }));
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`delivery ${n} did not reach ${this.notifyUrl(key)} within ${timeoutMs} ms`)), timeoutMs);
    });
    let nudger;
    if (nudge) nudger = setTimeout(() => advanceClock(env, '1m').catch(() => {}), 2000);
    try {
      return await Promise.race([arrived, timeout]);
    } finally {
      clearTimeout(timer);
      clearTimeout(nudger);
    }
  }
}

module.exports = { Shop };
