// Package openapi is the wire codec of Alipay's OpenAPI gateway: requests
// in, signed JSON responses, sync-return parameters and async notifications
// out. It knows the protocol (alipay-protocol.md §2, §3) and nothing of HTTP
// servers or SQL; what it shares with MAPI is in channel/alipay/kit.
package openapi

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/channel/alipay/kit"
	"github.com/mockpay/mockpay/clock"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/sign"
)

// Gateway answers OpenAPI calls on /gateway.do.
type Gateway struct {
	Service *payment.Service
	Apps    *payment.Registry
	// Clock is the platform's (virtual) time. Wall is the merchant's: SDK
	// timestamps are the caller's real local time, which stays put when the
	// virtual clock jumps, so both are accepted for isv.invalid-timestamp.
	Clock clock.Clock
	Wall  clock.Clock
	// ScanPath is the path of the page a precreate code leads to (the
	// cashier's); opening it is the buyer scanning the code.
	ScanPath func(code string) string
}

// Outcome is the gateway's answer. Exactly one of its fields is set.
type Outcome struct {
	API     *APIResponse // a JSON response for server-to-server calls
	Cashier string       // the checkout token to send the browser to
	Page    *ErrorPage   // a browser-facing error (page and wap pay)
	// Verdict is the answer for mockpay's request journal: the wire error
	// (none when accepted) and, for a bad signature, its diagnosis. The
	// route fills in the app and method as sent.
	Verdict channel.Verdict
}

// APIResponse is a signed JSON body in the request's charset.
type APIResponse struct {
	Body    []byte
	Charset kit.Charset
}

// ErrorPage is what the buyer's browser sees when a page/wap order is bad:
// the real gateway shows an HTML page with the code (§2.7).
type ErrorPage struct {
	Wire   WireError
	Detail string
}

// Call is a request that passed the envelope checks.
type Call struct {
	App      *payment.App
	Method   string
	Params   sign.Params // UTF-8 values
	SignType sign.Type
	Charset  kit.Charset
	Biz      Biz
}

// timestampSkew is how far a request's timestamp may be from now either way.
// SDKs send their process's local time, not GMT+8 (§6.1, §6.3), so anything
// within a day is accepted.
const timestampSkew = 24 * time.Hour

type method struct {
	browser bool // submitted by the buyer's browser: errors are HTML pages
	handle  func(g *Gateway, ctx context.Context, c *Call) (*Object, string, error)
}

// methods is the OpenAPI surface mockpay emulates.
var methods = map[string]method{
	"alipay.trade.page.pay": {browser: true, handle: (*Gateway).pagePay},
	"alipay.trade.wap.pay":  {browser: true, handle: (*Gateway).wapPay},
	"alipay.trade.query":    {handle: (*Gateway).query},
	"alipay.trade.close":    {handle: (*Gateway).close},

	"alipay.trade.refund":                            {handle: (*Gateway).refund},
	"alipay.trade.fastpay.refund.query":              {handle: (*Gateway).refundQuery},
	"alipay.trade.create":                            {handle: (*Gateway).create},
	"alipay.trade.cancel":                            {handle: (*Gateway).cancel},
	"alipay.trade.precreate":                         {handle: (*Gateway).precreate},
	"alipay.trade.pay":                               {handle: (*Gateway).barcodePay},
	MethodAppPay:                                     {handle: (*Gateway).appPayOnGateway},
	"alipay.open.app.alipaycert.download":            {handle: (*Gateway).certDownload},
	"alipay.data.dataservice.bill.downloadurl.query": {handle: (*Gateway).billURL},
}

// Handle answers one gateway request given its raw query string and raw
// form body.
func (g *Gateway) Handle(ctx context.Context, rawQuery, rawBody string) Outcome {
	raw, err := kit.ParseForm(rawQuery)
	if err == nil {
		var bp sign.Params
		bp, err = kit.ParseForm(rawBody)
		raw = kit.MergeParams(raw, bp)
	}
	if m := raw.Value("method"); m != "" && !ValidMethodName(m) {
		// A method outside the name charset is refused before anything is
		// built from it: the answer is the unknown-method error (§2.6) in
		// error_response, never a node named after the bad bytes.
		return g.early(raw).fail(payment.Errorf(kit.CodeInvalidMethod,
			"method %.64q is not a method name (lower-case letters, digits and dots, e.g. alipay.trade.query)", m))
	}
	r := &reply{method: raw.Value("method")}
	r.browser = methods[r.method].browser
	if err != nil {
		return r.fail(payment.Errorf(payment.CodeInvalidParameter, "%v", err))
	}
	call, err := g.envelope(raw, r)
	if err != nil {
		return r.fail(err)
	}
	m := methods[call.Method]
	node, token, err := m.handle(g, ctx, call)
	if err != nil {
		return r.fail(err)
	}
	if token != "" {
		return Outcome{Cashier: token}
	}
	return r.ok(node)
}

// envelope checks the common parameters in the gateway's order: app_id,
// then the signature, then the rest (§2.6 "Gateway check order").
func (g *Gateway) envelope(raw sign.Params, r *reply) (*Call, error) {
	appID := raw.Value("app_id")
	if appID == "" {
		return nil, payment.Errorf(payment.CodeMissingAppID, "app_id is required")
	}
	app, ok := g.Apps.App(appID)
	if !ok || app.Protocol() != payment.ProtocolOpenAPI { // a legacy partner id is no app_id
		return nil, payment.Errorf(payment.CodeInvalidAppID, "no app %q in this sandbox (GET /_mockpay/api/apps lists them)", appID)
	}
	r.app, r.signType = app, app.SignType
	cs, ok := kit.ParseCharset(raw.Value("charset"))
	if !ok {
		return nil, payment.Errorf(kit.CodeInvalidCharset, "charset %q: use utf-8 or gbk", raw.Value("charset"))
	}
	r.charset = cs
	if raw.Value("sign") == "" {
		return nil, payment.Errorf(payment.CodeMissingSignature, "sign is required")
	}
	stName := raw.Value("sign_type")
	if stName == "" {
		return nil, payment.Errorf(payment.CodeMissingSignType, "sign_type is required")
	}
	st, err := sign.ParseType(stName)
	if err != nil {
		return nil, payment.Errorf(payment.CodeInvalidSignType, "sign_type %q: use RSA2 or RSA", stName)
	}
	if st != app.SignType {
		// The app registered one public key for one algorithm; the other
		// algorithm has no key configured (§2.6, 40003).
		return nil, payment.Errorf(payment.CodeMissingSignConfig, "app %s is configured for %s, the request is signed with %s", app.AppID, app.SignType, st)
	}
	r.signType = st
	if err := g.checkCertSNs(app, raw); err != nil {
		return nil, err
	}
	if err := verifyRequest(app, st, raw); err != nil {
		r.diag = journalDiagnosis(app, st, raw)
		return nil, err
	}
	params, err := kit.ToUTF8(raw, cs)
	if err != nil {
		return nil, err
	}
	method := params.Value("method")
	if method == "" {
		return nil, payment.Errorf(kit.CodeMissingMethod, "method is required")
	}
	if _, ok := methods[method]; !ok {
		return nil, payment.Errorf(kit.CodeInvalidMethod, "method %q is not emulated by mockpay", method)
	}
	if err := g.checkTimestamp(params.Value("timestamp")); err != nil {
		return nil, err
	}
	switch v := params.Value("version"); v {
	case "1.0":
	case "":
		return nil, payment.Errorf(CodeMissingVersion, "version is required")
	default:
		return nil, payment.Errorf(CodeInvalidVersion, "version %q: only 1.0 exists", v)
	}
	if f := params.Value("format"); f != "" && !strings.EqualFold(f, "json") {
		return nil, payment.Errorf(CodeInvalidFormat, "format %q: only JSON", f)
	}
	bizText, key, err := decryptBiz(app, params, cs)
	if err != nil {
		return nil, err
	}
	r.aesKey = key // from here on, the answer is encrypted too
	biz, err := ParseBiz(bizText)
	if err != nil {
		return nil, err
	}
	return &Call{App: app, Method: method, Params: params, SignType: st, Charset: cs, Biz: biz}, nil
}

// verifyRequest checks the request signature (§2.3): every parameter but
// sign, sorted, raw values, empty values skipped; if that fails and empty
// values were present, retry with them as k= (the Node SDK signs them).
func verifyRequest(app *payment.App, st sign.Type, raw sign.Params) error {
	sig := raw.Value("sign")
	opt := kit.RequestRule.Options()
	content := sign.Canonical(raw, opt)
	err := sign.VerifyRSA(app.AppPublicKey(), st, []byte(content), sig)
	if err != nil && hasEmpty(raw) {
		opt.IncludeEmpty = true
		if sign.VerifyRSA(app.AppPublicKey(), st, []byte(sign.Canonical(raw, opt)), sig) == nil {
			return nil
		}
	}
	switch {
	case err == nil:
		return nil
	case errors.Is(err, sign.ErrSignatureEncoding):
		return payment.Errorf(payment.CodeInvalidSignature, "验签出错，sign值与sign_type参数指定的签名类型不一致：sign_type=%s，sign is not base64 of a %d-bit signature", st, app.AppPublicKey().Size()*8)
	default:
		// The newer gateway wording shows the string it verified, with & as
		// &amp; (§2.3); it is the quickest way to find a signing bug.
		return payment.Errorf(payment.CodeInvalidSignature, "验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配，网关生成的验签字符串为：%s",
			strings.ReplaceAll(content, "&", "&amp;"))
	}
}

func hasEmpty(p sign.Params) bool {
	for _, kv := range p {
		if kv.Value == "" {
			return true
		}
	}
	return false
}

func (g *Gateway) checkTimestamp(ts string) error {
	if ts == "" {
		return payment.Errorf(payment.CodeMissingTimestamp, "timestamp is required")
	}
	t, err := time.ParseInLocation(kit.TimestampLayout, ts, payment.CST)
	if err != nil {
		return payment.Errorf(payment.CodeInvalidTimestamp, "timestamp %q is not yyyy-MM-dd HH:mm:ss", ts)
	}
	for _, c := range []clock.Clock{g.Clock, g.Wall} {
		if c == nil {
			continue
		}
		if d := t.Sub(c.Now()); d <= timestampSkew && d >= -timestampSkew {
			return nil
		}
	}
	return payment.Errorf(payment.CodeInvalidTimestamp, "timestamp %s is more than a day from now", ts)
}

// reply accumulates what is known about the request so that an error can be
// answered in the right shape: signed once the app is known, HTML for a
// browser-submitted method.
type reply struct {
	method   string
	browser  bool
	app      *payment.App
	signType sign.Type
	charset  kit.Charset
	aesKey   string // the request was encrypted: so is the answer's node
	diag     *channel.Diagnosis
}

func (r *reply) fail(err error) Outcome {
	w := WireErrorOf(err)
	detail := payment.DetailOf(err)
	v := channel.Verdict{Code: w.Code, SubCode: w.SubCode, Message: detail, Diagnosis: r.diag}
	if r.browser {
		return Outcome{Page: &ErrorPage{Wire: w, Detail: detail}, Verdict: v}
	}
	subMsg := w.SubMsg
	if payment.CodeOf(err) == payment.CodeInvalidSignature {
		subMsg = detail // the real gateway puts the verified string in sub_msg
	}
	var echo []sign.Param
	var ke *keyedError
	if errors.As(err, &ke) {
		echo = append([]sign.Param{{Key: "out_trade_no", Value: ke.outTradeNo}, {Key: "trade_no", Value: ke.tradeNo}}, ke.extra...)
	}
	out := r.ok(ErrorNode(w, subMsg, echo...))
	out.Verdict = v
	return out
}

func (r *reply) ok(node *Object) Outcome {
	cs := r.charset
	if cs == "" {
		cs = kit.UTF8
	}
	nodeJSON := node.JSON()
	var err error
	if r.aesKey != "" {
		nodeJSON, err = encryptNode(nodeJSON, r.aesKey, cs)
	}
	var body []byte
	if err == nil {
		body, err = Envelope(r.method, nodeJSON, r.app, r.signType, cs)
	}
	if err != nil {
		// Signing cannot fail for a prepared key; answer unsigned rather than 500.
		body, _ = Envelope(r.method, ErrorNode(wireErrors[payment.CodeSystemError], "").JSON(), nil, "", cs)
	}
	return Outcome{API: &APIResponse{Body: body, Charset: cs}}
}

// Biz is a decoded biz_content. Empty strings count as absent, because some
// SDKs marshal empty struct fields (§2.1).
type Biz map[string]json.RawMessage

// ParseBiz decodes biz_content; an absent one is an empty Biz.
func ParseBiz(s string) (Biz, error) {
	b := Biz{}
	if strings.TrimSpace(s) == "" {
		return b, nil
	}
	if err := json.Unmarshal([]byte(s), &b); err != nil {
		return nil, payment.Errorf(CodeInvalidBizContent, "biz_content is not a JSON object: %v", err)
	}
	return b, nil
}

// Str returns a scalar field as text: a JSON string's value or a number's
// literal; "" for absent, null and "".
func (b Biz) Str(key string) (string, error) {
	raw, ok := b[key]
	if !ok {
		return "", nil
	}
	s := strings.TrimSpace(string(raw))
	switch {
	case s == "null":
		return "", nil
	case strings.HasPrefix(s, `"`):
		var v string
		if err := json.Unmarshal(raw, &v); err != nil {
			return "", payment.Errorf(payment.CodeInvalidParameter, "%s is not a string", key)
		}
		return v, nil
	case s != "" && (s[0] == '-' || (s[0] >= '0' && s[0] <= '9')):
		return s, nil
	}
	return "", payment.Errorf(payment.CodeInvalidParameter, "%s must be a string", key)
}

// Reject answers a request that could not even be read (an oversize or
// broken body) in the gateway's format, judged from its query string and
// the complete pairs of the body read before the limit (readBody). A page
// method posted by a browser thus keeps its HTML error page (§2.7) when its
// method= came in the form rather than the action URL. A method beyond the
// cut cannot be known and answers JSON: the page forms SDKs write name the
// method before biz_content (node, Java: in the action URL), while bodies
// sorted by key with biz_content first (smartwalle, gopay) are API calls.
func (g *Gateway) Reject(rawQuery, readBody string, err error) Outcome {
	var p sign.Params
	for _, k := range []string{"method", "app_id", "charset"} {
		if v := kit.Peek(rawQuery, readBody, k); v != nil {
			p.Add(k, *v)
		}
	}
	return g.early(p).fail(err)
}

// early is the reply to a request refused before its envelope is checked:
// its node and page style come from a well-formed method, its signing app
// and charset from app_id and charset as sent, nothing else is looked at.
func (g *Gateway) early(p sign.Params) *reply {
	r := &reply{charset: kit.UTF8}
	if m := p.Value("method"); ValidMethodName(m) {
		r.method, r.browser = m, methods[m].browser
	}
	if app, ok := g.Apps.App(p.Value("app_id")); ok && app.Protocol() == payment.ProtocolOpenAPI {
		r.app, r.signType = app, app.SignType
	}
	if cs, ok := kit.ParseCharset(p.Value("charset")); ok {
		r.charset = cs
	}
	return r
}
