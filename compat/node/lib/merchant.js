'use strict';

// The merchant's web server: receives mockpay's asynchronous notifications
// (POST notify_url) and the buyer's browser coming back (GET return_url).

const http = require('node:http');

class MerchantServer {
  constructor() {
    this.notifications = []; // every POST received on the notify path, in order
    this.returns = [];
    this.waiters = [];
    // out_trade_no -> body to answer with (default "success")
    this.ackFor = new Map();
    this.server = http.createServer((req, res) => this.#handle(req, res));
  }

  async start() {
    await new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', resolve);
    });
    const { port } = this.server.address();
    this.base = `http://127.0.0.1:${port}`;
    this.notifyUrl = `${this.base}/alipay/notify`;
    this.returnUrl = `${this.base}/alipay/return`;
    return this;
  }

  async stop() {
    for (const w of this.waiters) clearTimeout(w.timer);
    this.server.closeAllConnections?.();
    await new Promise(resolve => this.server.close(() => resolve()));
  }

  #handle(req, res) {
    const chunks = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url, this.base);
      if (url.pathname === '/alipay/notify') {
        const params = Object.fromEntries(new URLSearchParams(raw));
        const entry = {
          method: req.method,
          contentType: req.headers['content-type'] || '',
          query: url.search,
          raw,
          params,
          // keys that occur more than once (must not happen, doc §6.5 item 6)
          duplicateKeys: [...new URLSearchParams(raw).keys()].filter((k, i, all) => all.indexOf(k) !== i),
          receivedAt: Date.now(),
        };
        const ack = this.ackFor.get(params.out_trade_no) ?? 'success';
        entry.answered = ack;
        this.notifications.push(entry);
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(ack);
        this.#wake(entry);
        return;
      }
      if (url.pathname === '/alipay/return') {
        this.returns.push({ method: req.method, url: url.toString(), params: Object.fromEntries(url.searchParams) });
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end('<html><body>merchant return page</body></html>');
        return;
      }
      res.writeHead(404);
      res.end('not found');
    });
  }

  #wake(entry) {
    this.waiters = this.waiters.filter(w => {
      if (w.outTradeNo === entry.params.out_trade_no) {
        clearTimeout(w.timer);
        w.resolve(entry);
        return false;
      }
      return true;
    });
  }

  /** Resolve with the first notification for out_trade_no (already received or future). */
  waitForNotification(outTradeNo, timeoutMs = 15_000) {
    const existing = this.notifications.find(n => n.params.out_trade_no === outTradeNo);
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const w = { outTradeNo, resolve };
      w.timer = setTimeout(() => {
        this.waiters = this.waiters.filter(x => x !== w);
        const seen = this.notifications.map(n => n.params.out_trade_no).join(', ') || '(none)';
        reject(new Error(`no notification for out_trade_no=${outTradeNo} reached ${this.notifyUrl} within ${timeoutMs} ms; notifications seen for: ${seen}`));
      }, timeoutMs);
      this.waiters.push(w);
    });
  }

  notificationsFor(outTradeNo) {
    return this.notifications.filter(n => n.params.out_trade_no === outTradeNo);
  }
}

module.exports = { MerchantServer };
