// Package mapi is the wire codec of Alipay's legacy MAPI gateway (the
// service-based MD5 "即时到账" integration, alipay-protocol.md §1): requests
// with service= in, cashier hand-offs, XML and plain-text answers, signed
// sync-return parameters and async notifications out. What it shares with
// OpenAPI (form, charset, dates, signing rule, status names) is in
// channel/alipay/kit; it knows nothing of HTTP servers or SQL.
package mapi

import (
	"context"

	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/channel/alipay/kit"
	"github.com/mockpay/mockpay/clock"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/sign"
)

// Gateway answers legacy calls on /gateway.do (service=...),
// /cooperate/gateway.do and /trade/notify_query.do.
type Gateway struct {
	Service *payment.Service
	Apps    *payment.Registry
	Tokens  *payment.Tokens
	Clock   clock.Clock
}

// Outcome is the gateway's answer. Exactly one of its fields is set.
type Outcome struct {
	Cashier string // the checkout token to send the buyer's browser to
	// SellerRefund is the token of a batch refund the seller confirms on
	// the platform's page (refund_fastpay_by_platform_pwd).
	SellerRefund string
	Page         *ErrorPage // an error a browser sees (page services)
	Reply        *Reply     // an XML or plain-text body for server calls
	// Verdict is the answer for mockpay's request journal: the wire error,
	// none when accepted. The route fills in the partner and service.
	Verdict channel.Verdict
}

// Reply is a body in the request's charset.
type Reply struct {
	Body        []byte
	ContentType string
}

// ErrorPage is the HTML error page of a page service (§1.10): HTTP 200, the
// code and a Chinese reason, no way to pay.
type ErrorPage struct {
	Wire   WireError
	Detail string
}

// Call is a request that passed the envelope checks.
type Call struct {
	Partner  *payment.App
	Service  string
	Raw      sign.Params // the bytes the merchant encoded, for echoes
	Params   sign.Params // UTF-8 values
	SignType sign.Type   // "" for an unsigned call
	Charset  kit.Charset
}

type service struct {
	page   bool // submitted by a browser: errors are HTML pages
	signed bool // sign and sign_type are required
	handle func(g *Gateway, ctx context.Context, c *Call) (Outcome, error)
}

// services is the MAPI surface mockpay emulates. notify_verify has its own
// envelope (it is never signed and answers in plain text, §1.6).
var services = map[string]service{
	"create_direct_pay_by_user": {page: true, signed: true, handle: (*Gateway).directPay},
	"query_timestamp":           {handle: (*Gateway).queryTimestamp},
	"single_trade_query":        {signed: true, handle: (*Gateway).singleTradeQuery},
	"close_trade":               {signed: true, handle: (*Gateway).closeTrade},

	"refund_fastpay_by_platform_nopwd": {signed: true, handle: (*Gateway).refundNoPwd},
	"refund_fastpay_by_platform_pwd":   {page: true, signed: true, handle: (*Gateway).refundPwd},
}

// Wants reports whether a /gateway.do request is a legacy one: it names a
// service (or a partner) and no OpenAPI method (design.md, Surfaces). It
// reads the names leniently, so that a request with a broken value still
// gets its own protocol's error.
func Wants(rawQuery, rawBody string) bool {
	has := func(key string) bool { return kit.Peek(rawQuery, rawBody, key) != nil }
	return !has("method") && (has("service") || has("partner"))
}

// serviceOf is the service a request names, even when some other
// parameter does not decode.
func serviceOf(rawQuery, rawBody string) string {
	if v := kit.Peek(rawQuery, rawBody, "service"); v != nil {
		return *v
	}
	return ""
}

// Handle answers one legacy request given its raw query string and raw
// form body.
func (g *Gateway) Handle(ctx context.Context, rawQuery, rawBody string) Outcome {
	raw, err := parse(rawQuery, rawBody)
	name := serviceOf(rawQuery, rawBody)
	if name == "notify_verify" {
		return g.notifyVerify(ctx, raw, err)
	}
	svc := services[name]
	if err != nil {
		return fail(svc, "", err)
	}
	if svc.handle == nil {
		return fail(svc, "", payment.Errorf(kit.CodeInvalidMethod, "service %q is not emulated by mockpay", name))
	}
	call, cs, err := g.envelope(name, svc, raw)
	if err != nil {
		return fail(svc, cs, err)
	}
	out, err := svc.handle(g, ctx, call)
	if err != nil {
		if svc.page {
			g.reportError(ctx, call, err)
		}
		return fail(svc, call.Charset, err)
	}
	return out
}

// NotifyQuery answers /trade/notify_query.do, the plain-HTTP notify_verify
// (§1.6): the service is implied by the path. A body that could not be
// read (readErr) makes the request invalid.
func (g *Gateway) NotifyQuery(ctx context.Context, rawQuery, rawBody string, readErr error) Outcome {
	raw, err := parse(rawQuery, rawBody)
	if readErr != nil {
		err = readErr
	}
	return g.notifyVerify(ctx, raw, err)
}

// Reject answers a request whose body could not be read, judged from its
// query string and the complete pairs of the body read before the limit
// (readBody): a page service posted by a browser keeps its HTML error page
// when its service= came in the form (§1.10).
func (g *Gateway) Reject(rawQuery, readBody string, err error) Outcome {
	name := serviceOf(rawQuery, readBody)
	if name == "notify_verify" {
		return textReply(verifyInvalid)
	}
	cs := kit.UTF8
	if v := kit.Peek(rawQuery, readBody, "_input_charset"); v != nil {
		if c, ok := kit.ParseCharset(*v); ok {
			cs = c
		}
	}
	return fail(services[name], cs, err)
}

// parse merges query and body: a key in both with the same value (the
// demos' _input_charset) counts once (§1.2 item 1).
func parse(rawQuery, rawBody string) (sign.Params, error) {
	q, err := kit.ParseForm(rawQuery)
	if err != nil {
		return q, payment.Errorf(payment.CodeInvalidParameter, "%v", err)
	}
	b, err := kit.ParseForm(rawBody)
	if err != nil {
		return q, payment.Errorf(payment.CodeInvalidParameter, "%v", err)
	}
	return kit.MergeParams(q, b), nil
}

// envelope checks the common parameters: the partner, the charset, then the
// signature (§1.2, §1.10). It returns the charset as soon as it is known,
// so that even an error answers in it.
func (g *Gateway) envelope(name string, svc service, raw sign.Params) (*Call, kit.Charset, error) {
	partner, err := g.partner(raw.Value("partner"))
	if err != nil {
		return nil, "", err
	}
	csName := raw.Value("_input_charset")
	cs, ok := kit.ParseCharset(csName)
	if !ok {
		return nil, "", payment.Errorf(kit.CodeInvalidCharset, "_input_charset %q: use utf-8 or gbk", csName)
	}
	c := &Call{Partner: partner, Service: name, Raw: raw, Charset: cs}
	if svc.signed || raw.Value("sign") != "" {
		if c.SignType, err = verifyRequest(partner, raw); err != nil {
			if payment.CodeOf(err) == payment.CodeInvalidSignature {
				err = diagnosed{err, diagnose(partner, sign.Type(raw.Value("sign_type")), raw, cs)}
			}
			return nil, cs, err
		}
	}
	if c.Params, err = kit.ToUTF8(raw, cs); err != nil {
		return nil, cs, err
	}
	return c, cs, nil
}

// partner finds a legacy partner by its PID; OpenAPI apps are not partners.
func (g *Gateway) partner(pid string) (*payment.App, error) {
	if pid == "" {
		return nil, payment.Errorf(payment.CodeMissingAppID, "partner is required")
	}
	app, ok := g.Apps.App(pid)
	if !ok || app.Protocol() != payment.ProtocolLegacy {
		return nil, payment.Errorf(payment.CodeInvalidAppID, "no legacy partner %q in this sandbox (GET /_mockpay/api/apps lists them)", pid)
	}
	return app, nil
}

// fail answers err in the shape of the service: an HTML page for a browser,
// else the XML error (§1.10).
func fail(svc service, cs kit.Charset, err error) Outcome {
	w := WireErrorOf(err)
	v := channel.Verdict{Code: w.Code, Message: payment.DetailOf(err), Diagnosis: diagnosisOf(err)}
	if svc.page {
		return Outcome{Page: &ErrorPage{Wire: w, Detail: payment.DetailOf(err)}, Verdict: v}
	}
	return Outcome{Reply: errorXML(w, cs), Verdict: v}
}
