package instance_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// TestOpenAPIMatchesRealAnswers: the control API's openapi.json, checked
// by an OpenAPI validator (kin-openapi) against the requests and answers
// of a real mockpay, success and refusal alike, so the document cannot
// drift from the wire (issue 11 item 7).
func TestOpenAPIMatchesRealAnswers(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "server", "api", "openapi.json"))
	if err != nil {
		t.Fatal(err)
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(raw)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := doc.Validate(ctx); err != nil {
		t.Fatalf("openapi.json is not a valid OpenAPI document: %v", err)
	}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}

	e := newEnv(t)
	e.shop.setAnswer(func(int) (int, string) { return http.StatusInternalServerError, "down" })
	ret := e.pay("OAS-1", "1.00")
	e.shop.next(t)
	e.settle()
	tradeNo := ret.Get("trade_no")
	bad := e.m.Params("alipay.trade.query", map[string]string{"out_trade_no": "OAS-1"}, nil)
	bad.Set("biz_content", `{"out_trade_no":"x"}`)
	e.postForm(e.app.URL+"/gateway.do", bad)

	calls := []struct{ method, path, body string }{
		{"GET", "/_mockpay/api/apps", ""},
		{"GET", "/_mockpay/api/apps/2021000122600001", ""},
		{"GET", "/_mockpay/api/apps/2088102100000011", ""},
		{"GET", "/_mockpay/api/apps/nope", ""},
		{"POST", "/_mockpay/api/apps", `{"name":"oas"}`},
		{"GET", "/_mockpay/api/trades?app_id=2021000122600001", ""},
		{"GET", "/_mockpay/api/trades/" + tradeNo, ""},
		{"GET", "/_mockpay/api/trades/nope", ""},
		{"GET", "/_mockpay/api/trades/" + tradeNo + "/notifications", ""},
		{"GET", "/_mockpay/api/trades/" + tradeNo + "/refunds", ""},
		{"GET", "/_mockpay/api/trades/wait?trade_no=" + tradeNo + "&status=TRADE_SUCCESS&timeout=1s", ""},
		{"POST", "/_mockpay/api/trades", `{"app_id":"2021000122600001","amount":"5.00","outcome":"refunded","refund_amount":"2.00","notify_url":"` + e.shop.URL + `/notify"}`},
		{"POST", "/_mockpay/api/trades", `{"app_id":"2021000122600001","amount":"5.00","outcome":"nope"}`},
		{"GET", "/_mockpay/api/notifications", ""},
		{"GET", "/_mockpay/api/notifications/1", ""},
		{"GET", "/_mockpay/api/notifications/wait?trade_no=" + tradeNo + "&attempts=1&timeout=1s", ""},
		{"POST", "/_mockpay/api/notifications/1/redeliver", ""},
		{"POST", "/_mockpay/api/notifications/1/send", `{"url":"` + e.shop.URL + `/notify"}`},
		{"POST", "/_mockpay/api/notifications/1/send", `{"url":""}`},
		{"GET", "/_mockpay/api/attempts?after=0", ""},
		{"GET", "/_mockpay/api/requests", ""},
		{"GET", "/_mockpay/api/requests?verdict=nope", ""},
		{"GET", "/_mockpay/api/clock", ""},
		{"POST", "/_mockpay/api/clock/advance", `{"by":"5m"}`},
		{"POST", "/_mockpay/api/clock/advance", `{"by":"soon"}`},
	}
	clock := doc.Components.Schemas["Clock"].Value
	for _, call := range calls {
		var body io.Reader
		if call.body != "" {
			body = strings.NewReader(call.body)
		}
		req, _ := http.NewRequest(call.method, e.app.URL+call.path, body)
		if call.body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()

		// The router matches the document's paths, which are absolute.
		check, _ := http.NewRequest(call.method, call.path, strings.NewReader(call.body))
		check.URL = &url.URL{Path: strings.SplitN(call.path, "?", 2)[0], RawQuery: queryOf(call.path)}
		if call.body != "" {
			check.Header.Set("Content-Type", "application/json")
		}
		route, params, err := router.FindRoute(check)
		if err != nil {
			t.Errorf("%s %s: not in openapi.json: %v", call.method, call.path, err)
			continue
		}
		in := &openapi3filter.RequestValidationInput{Request: check, PathParams: params, Route: route,
			Options: &openapi3filter.Options{MultiError: true, ExcludeRequestBody: resp.StatusCode >= 400}}
		if resp.StatusCode < 400 {
			if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
				t.Errorf("%s %s: the request does not match openapi.json: %v", call.method, call.path, err)
			}
		}
		out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: resp.StatusCode, Header: resp.Header,
			Options: &openapi3filter.Options{MultiError: true, IncludeResponseStatus: true}}
		out.SetBodyBytes(got)
		if call.path == "/_mockpay/api/clock" {
			// The check can fail: a schema that demands a field no answer
			// has refuses the real answer.
			orig := clock.Required
			clock.Required = append(orig[:len(orig):len(orig)], "no_such_field")
			if openapi3filter.ValidateResponse(ctx, out) == nil {
				t.Error("a Clock schema requiring no_such_field accepted the clock's answer: the validator checks nothing")
			}
			clock.Required = orig
			out.SetBodyBytes(got)
		}
		if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
			t.Errorf("%s %s: answer %d does not match openapi.json: %v\n%s", call.method, call.path, resp.StatusCode, err, clip(got))
		}
	}
}

func queryOf(p string) string {
	if _, q, ok := strings.Cut(p, "?"); ok {
		return q
	}
	return ""
}

func clip(b []byte) string {
	if len(b) > 600 {
		return string(bytes.TrimSpace(b[:600])) + "…"
	}
	return string(bytes.TrimSpace(b))
}
