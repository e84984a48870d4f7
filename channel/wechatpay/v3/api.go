// Package v3 is WeChat Pay's APIv3 (wechatpay-protocol.md §2): JSON over
// HTTPS at the platform's own paths, requests authenticated by the
// WECHATPAY2-SHA256-RSA2048 Authorization header, every 2xx answer signed
// with the Wechatpay-* headers, notifications encrypted with
// AEAD_AES_256_GCM. It knows no echo and no SQL.
package v3

import (
	"context"
	"io"
	"net/http"
	"strings"

	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/clock"
	"github.com/mockpay/mockpay/payment"
)

// API serves the APIv3 paths (§2.5).
type API struct {
	Service *payment.Service
	Apps    *payment.Registry
	// Clock is the platform's virtual time; Wall the merchants' clock,
	// which the skew check and every signature timestamp use (§4.5).
	Clock, Wall clock.Clock
	Pages       channel.Pages
}

// call is one authenticated request: its merchant, target and body.
type call struct {
	ctx    context.Context
	app    *payment.App
	method string
	path   []string // the path's segments after /v3/, unescaped
	query  map[string][]string
	body   []byte
	base   string // scheme://host mockpay was reached under
}

// handler answers a call with a status and a JSON value (nil for 204).
type handler func(c *call) (int, any, error)

// Routes are APIv3's paths: every path under /v3/, dispatched here so that
// an unknown one is answered in the platform's JSON (P-V3-6). The handler
// bounds its own body, to answer an oversize one in that JSON too.
func (a *API) Routes() []channel.Route {
	return []channel.Route{
		{Methods: []string{http.MethodGet, http.MethodPost}, Path: "/v3/*", Handler: a, OwnLimit: true},
	}
}

// route finds the handler of method and path (segments after /v3/).
func (a *API) route(method string, seg []string) (handler, string, bool) {
	is := func(m string, parts ...string) bool {
		if len(seg) != len(parts) {
			return false
		}
		for i, p := range parts {
			if p != "*" && p != seg[i] {
				return false
			}
		}
		return method == m
	}
	switch {
	case len(seg) == 3 && seg[0] == "pay" && seg[1] == "transactions" && tradeTypes[seg[2]] != "":
		return a.prepay, "prepay", method == http.MethodPost
	case is(http.MethodGet, "pay", "transactions", "out-trade-no", "*"):
		return a.queryByOutTradeNo, "query", true
	case is(http.MethodGet, "pay", "transactions", "id", "*"):
		return a.queryByTransactionID, "query", true
	case is(http.MethodPost, "pay", "transactions", "out-trade-no", "*", "close"):
		return a.close, "close", true
	case is(http.MethodPost, "refund", "domestic", "refunds"):
		return a.refund, "refund", true
	case is(http.MethodGet, "refund", "domestic", "refunds", "*"):
		return a.refundQuery, "refund query", true
	case is(http.MethodGet, "certificates"):
		return a.certificates, "certificates", true
	}
	return nil, "", false
}

// ServeHTTP authenticates the request (§2.2) and answers it, signed (§2.3).
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	out := &writer{w: w, wall: a.Wall}
	body, err := io.ReadAll(io.LimitReader(r.Body, channel.MaxBodyBytes+1))
	if err != nil || len(body) > channel.MaxBodyBytes {
		out.fail(r.Context(), nil, "", errParam("请求体过大或无法读取"))
		return
	}
	seg, ok := segments(r.URL.EscapedPath())
	h, name, known := a.route(r.Method, seg)
	switch {
	case !ok || h == nil:
		out.fail(r.Context(), nil, "", apiError(http.StatusNotFound, "RESOURCE_NOT_EXISTS", "无效的请求路径 "+r.URL.Path))
		return
	case !known:
		out.fail(r.Context(), nil, name, apiError(http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "不支持的请求方法 "+r.Method))
		return
	}
	app, err := a.authenticate(r, body)
	if err != nil {
		out.fail(r.Context(), app, name, err)
		return
	}
	c := &call{ctx: r.Context(), app: app, method: r.Method, path: seg, query: r.URL.Query(), body: body, base: channel.BaseURL(r.Context())}
	status, v, err := h(c)
	if err != nil {
		out.fail(r.Context(), app, name, err)
		return
	}
	channel.Report(r.Context(), channel.Verdict{App: app.AppID, Method: name})
	out.ok(app, status, v)
}

// segments splits an escaped path under /v3/ into unescaped segments.
func segments(escaped string) ([]string, bool) {
	rest, ok := strings.CutPrefix(escaped, "/v3/")
	if !ok || rest == "" {
		return nil, false
	}
	parts := strings.Split(rest, "/")
	for i, p := range parts {
		u, err := unescape(p)
		if err != nil || u == "" {
			return nil, false
		}
		parts[i] = u
	}
	return parts, true
}
