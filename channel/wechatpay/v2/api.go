package v2

import (
	"context"
	"crypto/rsa"
	"io"
	"net/http"
	"strings"

	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/channel/wechatpay/kit"
	"github.com/mockpay/mockpay/clock"
	"github.com/mockpay/mockpay/payment"
)

// API serves APIv2's paths (§1.4) at the merchant's api_base_url and under
// the two sandbox prefixes (§1.11). Every answer is HTTP 200 with an XML
// body (P-V2-1); it knows no echo and no SQL.
type API struct {
	Service *payment.Service
	Apps    *payment.Registry
	Clock   clock.Clock
	// RequireClientCert makes /secapi/ paths refuse a request that came
	// without a client certificate over TLS (P-V2-7). Off by default: a
	// shop under test talks plain HTTP to mockpay, and gopay presents no
	// certificate to an http:// BaseURL (§4.2).
	RequireClientCert bool
}

// call is one signed request: the merchant, its fields and the key and
// sign type it was signed with.
type call struct {
	ctx     context.Context
	app     *payment.App
	creds   *kit.Credentials
	v       Values
	m       Merchant // who the answer goes to, signed as the request was
	base    string   // scheme://host mockpay was reached under
	sandbox bool
}

// op is one APIv2 function.
type op struct {
	kind  Kind
	check func(Values) *Failure
	run   func(a *API, c *call) ([]Field, error)
	cert  bool // a /secapi/ path outside the sandbox (§1.4)
}

func (a *API) ops() map[string]op {
	return map[string]op{
		"/pay/unifiedorder":   {kind: KindUnifiedOrder, check: CheckUnifiedOrder, run: (*API).unifiedOrder},
		"/pay/orderquery":     {kind: KindOrderQuery, check: func(v Values) *Failure { return CheckOrderRef(v, false) }, run: (*API).orderQuery},
		"/pay/closeorder":     {kind: KindCloseOrder, check: func(v Values) *Failure { return CheckOrderRef(v, true) }, run: (*API).closeOrder},
		"/secapi/pay/refund":  {kind: KindRefund, check: CheckRefund, run: (*API).refund, cert: true},
		"/pay/refundquery":    {kind: KindRefundQuery, check: CheckRefundQuery, run: (*API).refundQuery},
		"/pay/micropay":       {kind: KindMicropay, check: CheckMicropay, run: (*API).micropay},
		"/secapi/pay/reverse": {kind: KindReverse, check: func(v Values) *Failure { return CheckOrderRef(v, true) }, run: (*API).reverse, cert: true},
	}
}

// The sandbox prefixes (§1.11): the legacy 仿真测试系统 and the current one.
const (
	SandboxLegacy  = "/sandboxnew"
	SandboxCurrent = "/xdc/apiv2sandbox"
)

// Routes are every APIv2 path: production paths, the same under each
// sandbox prefix (the legacy sandbox also serves refund and reverse
// without secapi, as gopay calls them), and the two getsignkey endpoints.
// Each handler bounds its own body, to answer an oversize one in XML.
func (a *API) Routes() []channel.Route {
	// GET too, to answer it in XML (REQUIRE_POST_METHOD) as the platform does.
	methods := []string{http.MethodGet, http.MethodPost}
	var routes []channel.Route
	add := func(path string, h http.Handler) {
		routes = append(routes, channel.Route{Methods: methods, Path: path, Handler: h, OwnLimit: true})
	}
	for path, o := range a.ops() {
		add(path, a.handler(o, false))
		for _, prefix := range []string{SandboxLegacy, SandboxCurrent} {
			so := o
			so.cert = false // no client certificate in the sandbox (§1.11)
			add(prefix+path, a.handler(so, true))
			if short, ok := strings.CutPrefix(path, "/secapi"); ok {
				add(prefix+short, a.handler(so, true))
			}
		}
	}
	add(SandboxLegacy+"/pay/getsignkey", http.HandlerFunc(a.getSignKey))
	add("/xdc/apiv2getsignkey/sign/getsignkey", http.HandlerFunc(a.getSignKey))
	return routes
}

func (a *API) handler(o op, sandbox bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { a.serve(w, r, o, sandbox) })
}

// serve is every call's pipeline (§1.3): POST, XML, the merchant, the
// signature, the fields, then the function. Whatever happens the answer is
// HTTP 200 and XML (P-V2-1).
func (a *API) serve(w http.ResponseWriter, r *http.Request, o op, sandbox bool) {
	ctx := r.Context()
	method := strings.TrimPrefix(r.URL.Path, "/")
	fail := failer(w, r, method)
	v, st, app, creds, ok := a.read(r, fail)
	if !ok {
		return
	}
	key := creds.APIv2Key
	if sandbox {
		key = SandboxKey(creds.APIv2Key)
	}
	if !Verify(v, key, st) {
		fail(app.AppID, FailSign, diagnose(v, st, sandbox))
		return
	}
	if o.cert && a.RequireClientCert {
		if f := clientCert(r, app); f != nil {
			fail(app.AppID, f, nil)
			return
		}
	}
	c := &call{ctx: ctx, app: app, creds: creds, v: v, base: channel.BaseURL(ctx), sandbox: sandbox,
		m: Merchant{AppID: v["appid"], MchID: app.AppID, Key: key, SignType: st}}
	if f := o.check(v); f != nil {
		a.refuse(w, c, method, f)
		return
	}
	if v["appid"] != creds.AppID {
		a.refuse(w, c, method, Refuse(ErrAppIDMchIDNotMatch, ""))
		return
	}
	fields, err := o.run(a, c)
	if err != nil {
		a.refuse(w, c, method, refusal(o.kind, v, err))
		return
	}
	channel.Report(ctx, channel.Verdict{App: app.AppID, Method: method})
	write(w, SuccessAnswer(o.kind, c.m, NewNonce(), fields))
}

// failer answers a communication-layer refusal of method, unsigned, and
// journals it.
func failer(w http.ResponseWriter, r *http.Request, method string) func(mchID string, f *Failure, d *channel.Diagnosis) {
	return func(mchID string, f *Failure, d *channel.Diagnosis) {
		channel.Report(r.Context(), channel.Verdict{App: mchID, Method: method, Code: "FAIL", Message: f.Msg, Diagnosis: d})
		write(w, FailAnswer(f.Msg))
	}
}

// read is what every call goes through before its signature (§1.3): POST,
// a bounded XML body, mch_id, nonce_str and sign, a known sign_type, a
// WeChat Pay merchant; fail answers what is wrong.
func (a *API) read(r *http.Request, fail func(mchID string, f *Failure, d *channel.Diagnosis)) (Values, SignType, *payment.App, *kit.Credentials, bool) {
	if r.Method != http.MethodPost {
		fail("", FailPost, nil)
		return nil, "", nil, nil, false
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, channel.MaxBodyBytes+1))
	if err != nil || len(body) > channel.MaxBodyBytes {
		fail("", FailXML, nil)
		return nil, "", nil, nil, false
	}
	v, err := Decode(body)
	if err != nil {
		fail("", DecodeFailure(err), nil)
		return nil, "", nil, nil, false
	}
	st, f := Common(v)
	if f != nil {
		fail(v["mch_id"], f, nil)
		return nil, "", nil, nil, false
	}
	app, creds, ok := a.merchant(v["mch_id"])
	if !ok {
		fail(v["mch_id"], FailNoMerchant, nil)
		return nil, "", nil, nil, false
	}
	return v, st, app, creds, true
}

// refuse answers a refusal: a return_code FAIL unsigned, a business one
// signed with the request's sign type (§1.3).
func (a *API) refuse(w http.ResponseWriter, c *call, method string, f *Failure) {
	code := f.Code
	if f.Return {
		code = "FAIL"
	}
	channel.Report(c.ctx, channel.Verdict{App: c.app.AppID, Method: method, Code: code, Message: f.Msg})
	write(w, RefusalAnswer(c.m, NewNonce(), f))
}

// merchant finds a WeChat Pay merchant by mch_id: an app registered with
// WeChat Pay credentials, APIv3's merchants (issue 14 item 3).
func (a *API) merchant(mchID string) (*payment.App, *kit.Credentials, bool) {
	app, ok := a.Apps.App(mchID)
	if !ok {
		return nil, nil, false
	}
	c := kit.Creds(app)
	if c == nil || c.MchID != mchID || c.APIv2Key == "" {
		return nil, nil, false
	}
	return app, c, true
}

func write(w http.ResponseWriter, b []byte) {
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
}

// diagnose explains a signature that did not verify, for the journal: the
// string mockpay signed, the key masked (a Diagnosis never holds a key).
func diagnose(v Values, st SignType, sandbox bool) *channel.Diagnosis {
	canonical := strings.TrimSuffix(Canonical(v, ""), "key=") + "key=<APIv2 key>"
	d := &channel.Diagnosis{Cause: "signature", Canonical: canonical,
		Summary: "the sign does not match " + string(st) + " over the fields with the merchant's APIv2 key",
		Details: []string{
			"every non-empty field but sign, sorted by name, joined k=v&…, then &key=<APIv2 key> (wechatpay-protocol.md §1.2)",
			"MD5 and HMAC-SHA256 both sign that same string, upper-case hex; sign_type, when sent, is one of the fields",
		}}
	if sandbox {
		d.Details = append(d.Details, "under "+SandboxLegacy+" and "+SandboxCurrent+" the key is the sandbox_signkey getsignkey hands out, not the APIv2 key")
	}
	return d
}

// clientCert is P-V2-7's check, when it is on: a /secapi/ call must come
// over TLS with the merchant's API certificate (apiclient_cert.pem, the
// merchant key pair) as its client certificate. The platform refuses
// others in the handshake; mockpay answers in XML so the shop sees why
// (wording unconfirmed).
func clientCert(r *http.Request, app *payment.App) *Failure {
	if r.TLS == nil || len(r.TLS.PeerCertificates) == 0 {
		return ReturnFail("证书不存在: this call needs the merchant's API certificate as a TLS client certificate (mockpay serve --wechatpay-v2-client-cert)")
	}
	pub, ok := r.TLS.PeerCertificates[0].PublicKey.(*rsa.PublicKey)
	if key := app.AppPublicKey(); !ok || key == nil || !key.Equal(pub) {
		return ReturnFail("证书错误: the client certificate is not this merchant's API certificate")
	}
	return nil
}
