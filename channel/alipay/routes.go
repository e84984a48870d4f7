package alipay

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/channel/alipay/kit"
	"github.com/mockpay/mockpay/channel/alipay/mapi"
	"github.com/mockpay/mockpay/channel/alipay/openapi"
	"github.com/mockpay/mockpay/payment"
)

// routes are Alipay's own paths: query and form body are handed to the
// codecs raw, because the signature covers the bytes the merchant encoded,
// in the merchant's charset.
type routes struct {
	openapi *openapi.Gateway
	mapi    *mapi.Gateway
	pages   channel.Pages
}

func (r *routes) list() []channel.Route {
	getPost := []string{http.MethodGet, http.MethodPost}
	return []channel.Route{
		// The gateway, on any Host (design.md, Surfaces): OpenAPI (method=)
		// and MAPI (service=) share it. It bounds its own body, to answer an
		// oversize one in the protocol's format.
		{Methods: getPost, Path: gatewayPath, Handler: http.HandlerFunc(r.gateway), OwnLimit: true},
		// MAPI only: the older demos' gateway and the plain-HTTP
		// notify_verify (alipay-protocol.md §0, §1.6).
		{Methods: getPost, Path: "/cooperate/gateway.do", Handler: http.HandlerFunc(r.cooperateGateway), OwnLimit: true},
		{Methods: getPost, Path: "/trade/notify_query.do", Handler: http.HandlerFunc(r.notifyQuery), OwnLimit: true},
		// The platform's bill file server (bill_download_url).
		{Methods: []string{http.MethodGet}, Path: openapi.BillPath, Handler: http.HandlerFunc(r.billFile)},
	}
}

// gateway is /gateway.do: a MAPI request when it names a service and no
// OpenAPI method (mapi.Wants), an OpenAPI call otherwise.
func (r *routes) gateway(w http.ResponseWriter, req *http.Request) {
	body, err := readForm(req)
	if mapi.Wants(req.URL.RawQuery, body) {
		r.legacyGateway(w, req, body, err)
		return
	}
	var out openapi.Outcome
	if err != nil {
		out = r.openapi.Reject(req.URL.RawQuery, body, bodyError(err))
	} else {
		out = r.openapi.Handle(req.Context(), req.URL.RawQuery, body)
	}
	report(req, body, out.Verdict, "app_id", "method")
	switch {
	case out.Cashier != "":
		redirect(w, r.pages.OrderPath(out.Cashier))
	case out.Page != nil:
		r.errorPage(w, channel.ErrorView{SubCode: out.Page.Wire.SubCode, SubMsg: out.Page.Wire.SubMsg, Detail: out.Page.Detail})
	default:
		// Real responses are JSON served as text/html (§2.5); the server's
		// answer CSP keeps a browser that opens one from running anything
		// in it.
		blob(w, http.StatusOK, "text/html;charset="+string(out.API.Charset), out.API.Body)
	}
}

// legacyGateway answers a MAPI request (service=) given its raw form body,
// or the error reading it.
func (r *routes) legacyGateway(w http.ResponseWriter, req *http.Request, body string, readErr error) {
	var out mapi.Outcome
	if readErr != nil {
		out = r.mapi.Reject(req.URL.RawQuery, body, bodyError(readErr))
	} else {
		out = r.mapi.Handle(req.Context(), req.URL.RawQuery, body)
	}
	report(req, body, out.Verdict, "partner", "service")
	r.legacyReply(w, out)
}

// cooperateGateway is /cooperate/gateway.do, which only older MAPI demos
// use, so every request is a MAPI one.
func (r *routes) cooperateGateway(w http.ResponseWriter, req *http.Request) {
	body, err := readForm(req)
	r.legacyGateway(w, req, body, err)
}

// notifyQuery is /trade/notify_query.do: notify_verify without service=.
func (r *routes) notifyQuery(w http.ResponseWriter, req *http.Request) {
	body, err := readForm(req)
	out := r.mapi.NotifyQuery(req.Context(), req.URL.RawQuery, body, err)
	report(req, body, out.Verdict, "partner", "service")
	r.legacyReply(w, out)
}

// report gives the core the request's verdict for its journal, with the app
// and the method as the request named them (appKey, methodKey). Only those
// two values are read from the request: it never carries a key.
func report(req *http.Request, body string, v channel.Verdict, appKey, methodKey string) {
	if p := kit.Peek(req.URL.RawQuery, body, appKey); p != nil {
		v.App = *p
	}
	if p := kit.Peek(req.URL.RawQuery, body, methodKey); p != nil {
		v.Method = *p
	} else if methodKey == "service" && req.URL.Path == "/trade/notify_query.do" {
		v.Method = "notify_verify"
	}
	channel.Report(req.Context(), v)
}

func (r *routes) legacyReply(w http.ResponseWriter, out mapi.Outcome) {
	switch {
	case out.Cashier != "":
		redirect(w, r.pages.OrderPath(out.Cashier))
	case out.SellerRefund != "":
		redirect(w, r.pages.RefundBatchPath(out.SellerRefund))
	case out.Page != nil:
		r.errorPage(w, channel.ErrorView{SubCode: out.Page.Wire.Code, SubMsg: out.Page.Wire.Reason, Detail: out.Page.Detail})
	default:
		blob(w, http.StatusOK, out.Reply.ContentType, out.Reply.Body)
	}
}

// billFile serves a bill_download_url: the zip, or 404 for an altered or
// expired URL (the real file server answers those with an error page).
func (r *routes) billFile(w http.ResponseWriter, req *http.Request) {
	name, zip, err := r.openapi.BillFile(req.Context(), req.URL.RawQuery)
	if err != nil {
		status := http.StatusNotFound
		if payment.CodeOf(err) == payment.CodeSystemError {
			status = http.StatusInternalServerError
		}
		blob(w, status, "text/plain; charset=UTF-8", []byte(payment.DetailOf(err)))
		return
	}
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	blob(w, http.StatusOK, "application/zip", zip)
}

// errorPage shows the platform's error page; a page that cannot be
// rendered is mockpay's fault, and says so without detail.
func (r *routes) errorPage(w http.ResponseWriter, v channel.ErrorView) {
	if err := r.pages.WriteError(w, v); err != nil {
		blob(w, http.StatusInternalServerError, "text/plain; charset=UTF-8", []byte("internal error"))
	}
}

// redirect sends the browser on with 303 and no body, as the gateway
// always has.
func redirect(w http.ResponseWriter, to string) {
	w.Header().Set("Location", to)
	w.WriteHeader(http.StatusSeeOther)
}

func blob(w http.ResponseWriter, status int, contentType string, body []byte) {
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// bodyError words a failure to read the request body as a gateway error.
func bodyError(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return payment.Errorf(payment.CodeRequestTooLarge, "request body is larger than %d bytes", channel.MaxBodyBytes)
	}
	return payment.Errorf(payment.CodeInvalidParameter, "reading the request body: %v", err)
}

// readForm returns the raw form body of a urlencoded POST ("" otherwise).
// When the body cannot be read whole, it returns the complete pairs read
// before the failure with the error, so that the answer can still be given
// in the shape the request's method or service asks for.
func readForm(req *http.Request) (string, error) {
	if req.Method != http.MethodPost || req.Body == nil {
		return "", nil
	}
	if ct := req.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || mt != "application/x-www-form-urlencoded" {
			return "", nil
		}
	}
	// One byte past the limit tells an oversize body; it is kept, as the
	// start of the part beyond the cut.
	b, err := io.ReadAll(io.LimitReader(req.Body, channel.MaxBodyBytes+1))
	if err != nil {
		return kit.CompletePairs(string(b)), err
	}
	if len(b) <= channel.MaxBodyBytes {
		return string(b), nil
	}
	// The small pairs after the cut name what the body is (method, charset,
	// app_id when sorted after biz_content), so the error is answered in
	// the method's node, signed (issue 12 item 4). What is read past the
	// limit is bounded and dropped.
	cut, over := b[:channel.MaxBodyBytes], b[channel.MaxBodyBytes:]
	read := kit.CompletePairs(string(cut))
	rest := io.MultiReader(bytes.NewReader(over), io.LimitReader(req.Body, tailScanBytes))
	if tail := kit.TailPairs(rest, cut[len(cut)-1] == '&', tailPairBytes); tail != "" {
		read = strings.TrimPrefix(read+"&"+tail, "&")
	}
	return read, &http.MaxBytesError{Limit: channel.MaxBodyBytes}
}

// tailScanBytes bounds how much of an oversize body is read past the
// limit looking for its small parameters; tailPairBytes is the longest pair
// kept (a method name, a charset, an app_id, a sign).
const (
	tailScanBytes = 16 << 20
	tailPairBytes = 1024
)
