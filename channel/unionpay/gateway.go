package unionpay

import (
	"context"
	"errors"
	"io"
	"mime"
	"net/http"

	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/channel/unionpay/acp"
	"github.com/mockpay/mockpay/payment"
)

// inbound is a merchant's request once read: its fields, and when the
// merchant is known, the app and its credentials.
type inbound struct {
	f   acp.Fields
	app *payment.App
	m   *acp.Merchant
	// verified says the signature verified: only then are the request's
	// values echoed whatever they hold (echo).
	verified bool
}

// read reads and verifies a request (§8 item 1): form fields in their
// charset, the envelope, the merchant, the signature per version and
// signMethod. On an error, in still holds what was read, to answer in the
// request's own scheme.
func (g *gateway) read(req *http.Request) (*inbound, error) {
	in := &inbound{f: acp.Fields{}}
	body, err := readBody(req)
	if err != nil {
		return in, payment.Errorf(payment.CodeInvalidParameter, "reading the request: %v", err)
	}
	f, err := acp.ParseForm(body)
	if err != nil {
		return in, payment.Errorf(payment.CodeInvalidEncoding, "%v", err)
	}
	in.f = f
	for _, k := range []string{"version", "encoding", "signMethod", "txnType", "merId", "signature"} {
		if f[k] == "" {
			return in, payment.Errorf(payment.CodeMissingParameter, "%s is missing", k)
		}
	}
	switch f["version"] {
	case acp.V500, acp.V510:
	default:
		return in, payment.Errorf(payment.CodeInvalidParameter, "version %q: mockpay speaks 5.0.0 and 5.1.0", f["version"])
	}
	switch f["signMethod"] {
	case acp.MethodCert:
		if f["certId"] == "" {
			return in, payment.Errorf(payment.CodeMissingParameter, "certId is missing (signMethod 01)")
		}
	case acp.MethodSecureKey:
	case acp.MethodSM3:
		return in, payment.Errorf(payment.CodeInvalidParameter, "signMethod 12 (SM3) is not emulated; use 01 or 11")
	default:
		return in, payment.Errorf(payment.CodeInvalidParameter, "signMethod %q: use 01 or 11", f["signMethod"])
	}
	app, ok := g.d.Apps.App(f["merId"])
	if !ok || app.Protocol() != Protocol || acp.Of(app) == nil {
		return in, payment.Errorf(payment.CodeInvalidAppID, "no UnionPay merchant %s", f["merId"])
	}
	in.app, in.m = app, acp.Of(app)
	if err := in.m.Verify(f); err != nil {
		return in, payment.Errorf(payment.CodeInvalidSignature, "%v", err)
	}
	in.verified = true
	return in, nil
}

// readBody is a POST's urlencoded body, or a GET's query.
func readBody(req *http.Request) (string, error) {
	if req.Method == http.MethodGet {
		return req.URL.RawQuery, nil
	}
	if ct := req.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/x-www-form-urlencoded" {
			return "", errors.New("the body is not application/x-www-form-urlencoded")
		}
	}
	b, err := io.ReadAll(io.LimitReader(req.Body, channel.MaxBodyBytes+1))
	if err != nil {
		return "", err
	}
	if len(b) > channel.MaxBodyBytes {
		return "", errors.New("the body is larger than 1 MiB")
	}
	return string(b), nil
}

// signer is the merchant whose credentials sign an answer: the request's,
// or for an unknown merchant any UnionPay merchant's (the gateway's chain
// is the same for all).
func (g *gateway) signer(in *inbound) (*payment.App, *acp.Merchant) {
	if in.app != nil {
		return in.app, in.m
	}
	for _, a := range g.d.Apps.All() {
		if m := acp.Of(a); m != nil && a.Protocol() == Protocol {
			return a, m
		}
	}
	return nil, nil
}

// schemeOf is the scheme an answer to in is signed in: the request's
// version and signMethod (§8 item 3), 5.1.0 certificate signatures when the
// request named neither usably.
func schemeOf(in *inbound) acp.Scheme {
	s := acp.SchemeOf(in.f)
	if s.Version != acp.V500 {
		s.Version = acp.V510
	}
	if s.SignMethod != acp.MethodSecureKey || in.m == nil {
		s.SignMethod = acp.MethodCert
	}
	if _, err := acp.Encode(s.Encoding, ""); err != nil || s.Encoding == "" {
		s.Encoding = "UTF-8"
	}
	return s
}

// serve is a server-to-server path: the request read and verified, do,
// the answer signed (§8 items 1, 3, 4).
func (g *gateway) serve(do func(ctx context.Context, in *inbound) (acp.Fields, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, req *http.Request) {
		in, err := g.read(req)
		var more acp.Fields
		if err == nil {
			more, err = do(req.Context(), in)
		}
		g.answer(req.Context(), w, in, more, err)
	}
}

// echoed are the request fields every answer repeats (§5, §8 item 3).
var echoed = []string{"txnType", "txnSubType", "bizType", "accessType", "merId", "orderId", "txnTime", "reqReserved"}

// answer writes a synchronous answer: the echoed fields, respCode and
// respMsg, more, signed, HTTP 200, raw (§2, §8 item 4). Errors are signed
// too ([GO-SW] needs signPubKeyCert on every answer).
func (g *gateway) answer(ctx context.Context, w http.ResponseWriter, in *inbound, more acp.Fields, err error) {
	channel.Report(ctx, verdict(in, err))
	body, ct, aerr := g.answerBody(in, more, err)
	if aerr != nil {
		http.Error(w, aerr.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", ct)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// answerBody is an answer's signed body and Content-Type: the echoed
// fields, respCode and respMsg, more.
func (g *gateway) answerBody(in *inbound, more acp.Fields, err error) ([]byte, string, error) {
	f := acp.Fields{}
	for _, k := range echoed {
		if v := in.f[k]; in.verified || plain(v) {
			f[k] = v
		}
	}
	if err != nil {
		f["respCode"], f["respMsg"] = wireOf(err)
	} else {
		f["respCode"], f["respMsg"] = rcSuccess, respMsgs[rcSuccess]
		for k, val := range more {
			f[k] = val
		}
	}
	s := schemeOf(in)
	app, m := g.signer(in)
	if app == nil {
		return nil, "", errors.New("no UnionPay merchant is registered")
	}
	if serr := m.Sign(f, s, app.PlatformPrivateKey()); serr != nil {
		return nil, "", errors.New("signing failed")
	}
	body, _ := acp.Answer(f)
	// The real Content-Type is not known (§11); not a form type, which
	// [NODE-LR] would turn into an object and break (§2), and not HTML:
	// the answer echoes request values raw, which a browser must never
	// render as markup.
	return body, "text/plain;charset=" + s.Encoding, nil
}

// plain is a value of letters and digits only: what an answer echoes of a
// request whose signature did not verify, so that nobody can make the
// gateway sign and return markup of theirs.
func plain(v string) bool {
	for _, c := range v {
		if (c < '0' || c > '9') && (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') {
			return false
		}
	}
	return true
}

// verdict is the request's outcome for mockpay's journal; a bad signature
// comes with the string mockpay verified (no key is ever in it).
func verdict(in *inbound, err error) channel.Verdict {
	v := channel.Verdict{App: in.f["merId"], Method: "txnType " + in.f["txnType"]}
	if err == nil {
		return v
	}
	v.Code, _ = wireOf(err)
	v.Message = detailOf(err)
	if v.Code == rcSignature {
		v.Diagnosis = &channel.Diagnosis{Cause: "signature", Canonical: acp.Canonical(in.f),
			Summary: "the signature does not verify over this string (every field but signature, sorted, k=v joined by &)",
			Details: []string{"5.1.0 signs lowerhex(SHA-256(string)) with SHA256withRSA, 5.0.0 lowerhex(SHA-1(string)) with SHA1withRSA; certId must be the merchant certificate's decimal serial and is signed too; signMethod 11 is lowerhex(SHA-256(string&lowerhex(SHA-256(secureKey))))"}}
	}
	return v
}
