'use strict';

// A deliberately tiny "buyer browser": it submits what alipay-sdk's
// pageExecute() produces (GET URL or auto-submitting POST form) and drives
// the mockpay cashier page, never following redirects on its own so every
// hop can be asserted.

const ENTITY = { quot: '"', amp: '&', lt: '<', gt: '>', apos: "'" };

function decodeEntities(s) {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|quot|amp|lt|gt|apos);/gi, (m, e) => {
    const lower = e.toLowerCase();
    if (lower.startsWith('#x')) return String.fromCodePoint(parseInt(lower.slice(2), 16));
    if (lower.startsWith('#')) return String.fromCodePoint(parseInt(lower.slice(1), 10));
    return ENTITY[lower];
  });
}

function parseAttrs(attrText) {
  const attrs = {};
  const re = /([^\s=\/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?/g;
  let m;
  while ((m = re.exec(attrText))) {
    const value = m[2] ?? m[3] ?? m[4] ?? '';
    attrs[m[1].toLowerCase()] = decodeEntities(value);
  }
  return attrs;
}

/** All tags named `name` (form, input, button ...) with their attributes and source offset. */
function findTags(html, name) {
  const re = new RegExp(`<${name}\\b([^>]*)>`, 'gi');
  const out = [];
  let m;
  while ((m = re.exec(html))) {
    out.push({ attrs: parseAttrs(m[1]), index: m.index, end: re.lastIndex });
  }
  return out;
}

/** Forms with the controls between <form ...> and the matching </form>. */
function parseForms(html) {
  const forms = [];
  const re = /<form\b([^>]*)>([\s\S]*?)<\/form\s*>/gi;
  let m;
  while ((m = re.exec(html))) {
    const inner = m[2];
    forms.push({
      attrs: parseAttrs(m[1]),
      inputs: findTags(inner, 'input').map(t => t.attrs),
      buttons: findTags(inner, 'button').map(t => t.attrs),
      html: m[0],
    });
  }
  return forms;
}

/** Visible-ish text of an HTML page (tags stripped, entities decoded). */
function htmlText(html) {
  return decodeEntities(html.replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]+>/g, ' '))
    .replace(/\s+/g, ' ').trim();
}

class Browser {
  constructor() {
    this.cookies = new Map(); // origin -> Map(name -> value)
    this.log = [];
  }

  #cookieHeader(url) {
    const jar = this.cookies.get(new URL(url).origin);
    if (!jar || jar.size === 0) return undefined;
    return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  #storeCookies(url, res) {
    const setCookies = typeof res.headers.getSetCookie === 'function' ? res.headers.getSetCookie() : [];
    if (setCookies.length === 0) return;
    const origin = new URL(url).origin;
    if (!this.cookies.has(origin)) this.cookies.set(origin, new Map());
    const jar = this.cookies.get(origin);
    for (const sc of setCookies) {
      const [pair] = sc.split(';');
      const eq = pair.indexOf('=');
      if (eq > 0) jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }

  /** One HTTP request, no redirect following. Returns { status, headers, body, url, location }. */
  async request(url, { method = 'GET', form, headers = {} } = {}) {
    const h = { 'user-agent': 'mockpay-compat-node/1.0 (buyer browser)', accept: 'text/html,*/*', ...headers };
    const cookie = this.#cookieHeader(url);
    if (cookie) h.cookie = cookie;
    let body;
    if (form !== undefined) {
      h['content-type'] = 'application/x-www-form-urlencoded';
      body = (form instanceof URLSearchParams ? form : new URLSearchParams(form)).toString();
    }
    const res = await fetch(url, { method, headers: h, body, redirect: 'manual' });
    this.#storeCookies(url, res);
    const text = await res.text();
    const location = res.headers.get('location');
    const result = {
      status: res.status,
      headers: res.headers,
      body: text,
      url,
      location: location ? new URL(location, url).toString() : null,
      rawLocation: location,
    };
    this.log.push({ method, url, requestBody: body, status: res.status, location });
    return result;
  }

  /**
   * Submit the auto-POST form that pageExecute() returns, like a browser
   * running its <script>document.forms[..].submit()</script>.
   */
  async submitSdkForm(formHtml) {
    const forms = parseForms(formHtml);
    if (forms.length !== 1) throw new Error(`expected exactly one <form> in SDK output, got ${forms.length}:\n${formHtml}`);
    const [f] = forms;
    if ((f.attrs.method || 'get').toLowerCase() !== 'post') throw new Error(`SDK form is not method=post: ${f.html}`);
    const params = new URLSearchParams();
    for (const input of f.inputs) {
      if (input.name !== undefined) params.append(input.name, input.value ?? '');
    }
    return this.request(f.attrs.action, { method: 'POST', form: params });
  }

  /** A human-readable trace of every hop, for assertion messages. */
  trace() {
    return this.log.map(e => `${e.method} ${e.url}${e.requestBody ? ` body=${e.requestBody.slice(0, 300)}` : ''} -> ${e.status}${e.location ? ` Location: ${e.location}` : ''}`).join('\n');
  }
}

/**
 * Locate the cashier form (method=post, action=/cashier/<token>) and its
 * pay/fail/cancel buttons. Returns null fields when something is missing so
 * the caller can assert with a useful message.
 */
function parseCashier(html, pageUrl) {
  const forms = parseForms(html);
  const form = forms.find(f => (f.attrs.method || '').toLowerCase() === 'post' && /\/cashier\/[^/?#\s]+$/.test(f.attrs.action || ''));
  if (!form) return { form: null, forms };
  const buttons = {};
  for (const b of form.buttons) {
    if (b.name === 'action') buttons[b.value] = b;
  }
  const hidden = form.inputs.filter(i => (i.type || 'text').toLowerCase() === 'hidden' && i.name !== undefined);
  return {
    form,
    forms,
    action: new URL(form.attrs.action, pageUrl).toString(),
    rawAction: form.attrs.action,
    buttons,
    hidden,
  };
}

module.exports = { Browser, parseForms, parseCashier, findTags, htmlText, decodeEntities };
