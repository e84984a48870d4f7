package instance_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestGatewayErrors walks every envelope error in the gateway's check order
// (alipay-protocol.md §2.3, §2.6): app_id first, then the signature, then
// the rest; signed whenever the app is known.
func TestGatewayErrors(t *testing.T) {
	e := newEnv(t)
	query := map[string]string{"out_trade_no": "X"}
	cases := []struct {
		name     string
		mutate   func(v url.Values)
		resign   bool
		node     string // expected top-level key
		code     string
		subCode  string
		unsigned bool
	}{
		{"missing app_id", func(v url.Values) { v.Del("app_id") }, true, "alipay_trade_query_response", "40001", "isv.missing-app-id", true},
		{"unknown app_id", func(v url.Values) { v.Set("app_id", "2021999999999999") }, true, "alipay_trade_query_response", "40002", "isv.invalid-app-id", true},
		{"unknown app_id beats bad signature", func(v url.Values) { v.Set("app_id", "2021999999999999"); v.Set("sign", "AAAA") }, false, "alipay_trade_query_response", "40002", "isv.invalid-app-id", true},
		{"bad charset", func(v url.Values) { v.Set("charset", "latin1") }, true, "alipay_trade_query_response", "40002", "isv.invalid-charset", false},
		{"missing sign", func(v url.Values) { v.Del("sign") }, false, "alipay_trade_query_response", "40001", "isv.missing-signature", false},
		{"missing sign_type", func(v url.Values) { v.Del("sign_type") }, true, "alipay_trade_query_response", "40001", "isv.missing-signature-type", false},
		{"unknown sign_type", func(v url.Values) { v.Set("sign_type", "MD5") }, true, "alipay_trade_query_response", "40002", "isv.invalid-signature-type", false},
		{"sign_type the app has no key for", func(v url.Values) { v.Set("sign_type", "RSA") }, true, "alipay_trade_query_response", "40003", "isv.missing-signature-config", false},
		{"tampered parameter", func(v url.Values) { v.Set("biz_content", `{"out_trade_no":"Y"}`) }, false, "alipay_trade_query_response", "40002", "isv.invalid-signature", false},
		{"garbage sign", func(v url.Values) { v.Set("sign", "not base64!") }, false, "alipay_trade_query_response", "40002", "isv.invalid-signature", false},
		{"missing method", func(v url.Values) { v.Del("method") }, true, "error_response", "40001", "isv.missing-method", false},
		{"unknown method", func(v url.Values) { v.Set("method", "alipay.trade.teleport") }, true, "alipay_trade_teleport_response", "40002", "isv.invalid-method", false},
		// A method outside the name charset is refused before the envelope
		// checks and never names the node (issue 8, item 1).
		{"method that is markup", func(v url.Values) { v.Set("method", "<script>alert(1)</script>") }, true, "error_response", "40002", "isv.invalid-method", false},
		{"method with a quote", func(v url.Values) { v.Set("method", `alipay.trade.query"`) }, false, "error_response", "40002", "isv.invalid-method", false},
		{"method in capitals", func(v url.Values) { v.Set("method", "Alipay.Trade.Query") }, true, "error_response", "40002", "isv.invalid-method", false},
		{"missing timestamp", func(v url.Values) { v.Del("timestamp") }, true, "alipay_trade_query_response", "40001", "isv.missing-timestamp", false},
		{"malformed timestamp", func(v url.Values) { v.Set("timestamp", "2026/05/01 10:00") }, true, "alipay_trade_query_response", "40002", "isv.invalid-timestamp", false},
		{"timestamp two days old", func(v url.Values) { v.Set("timestamp", start.Add(-49*time.Hour).Format("2006-01-02 15:04:05")) }, true, "alipay_trade_query_response", "40002", "isv.invalid-timestamp", false},
		{"missing version", func(v url.Values) { v.Del("version") }, true, "alipay_trade_query_response", "40001", "isv.missing-version", false},
		{"wrong version", func(v url.Values) { v.Set("version", "2.0") }, true, "alipay_trade_query_response", "40002", "isv.invalid-parameter", false},
		{"wrong format", func(v url.Values) { v.Set("format", "XML") }, true, "alipay_trade_query_response", "40002", "isv.invalid-format", false},
		{"biz_content not JSON", func(v url.Values) { v.Set("biz_content", "{out_trade_no:1") }, true, "alipay_trade_query_response", "40002", "isv.invalid-parameter", false},
		{"no trade key", func(v url.Values) { v.Set("biz_content", `{"out_trade_no":"","trade_no":""}`) }, true, "alipay_trade_query_response", "40004", "ACQ.INVALID_PARAMETER", false},
		{"number where a string belongs", func(v url.Values) { v.Set("biz_content", `{"out_trade_no":{"a":1}}`) }, true, "alipay_trade_query_response", "40004", "ACQ.INVALID_PARAMETER", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := e.m.Params("alipay.trade.query", query, nil)
			c.mutate(v)
			if c.resign {
				v.Del("sign")
				v.Set("sign", e.m.Sign(v))
			}
			resp, err := e.m.HTTP.PostForm(e.m.Gateway, v)
			if err != nil {
				t.Fatal(err)
			}
			raw := readAll(t, resp)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("HTTP %d: Alipay answers 200 for everything (§2.5)", resp.StatusCode)
			}
			if !strings.HasPrefix(raw, `{"`+c.node+`":{`) {
				t.Fatalf("body does not start with the %s node: %s", c.node, raw)
			}
			r, err := e.m.Decode(strings.TrimSuffix(strings.TrimSuffix(c.node, "_response"), "error"), []byte(raw))
			if c.node != "error_response" {
				r, err = e.m.Decode(strings.ReplaceAll(strings.TrimSuffix(c.node, "_response"), "_", "."), []byte(raw))
			}
			if err != nil {
				t.Fatalf("decode: %v: %s", err, raw)
			}
			if r.Code() != c.code || r.SubCode() != c.subCode || r.Str("msg") == "" || r.Str("sub_msg") == "" {
				t.Errorf("got %s", raw)
			}
			if c.unsigned == r.Signed {
				t.Errorf("signed = %v, want %v: %s", r.Signed, !c.unsigned, raw)
			}
			if r.Signed && !r.Verified {
				t.Errorf("signature does not verify: %s", raw)
			}
		})
	}
}

func TestSignatureErrorShowsVerifiedString(t *testing.T) {
	e := newEnv(t)
	v := e.m.Params("alipay.trade.query", map[string]string{"out_trade_no": "X"}, nil)
	v.Set("sign", e.merchant("2021000122600002").Sign(v)) // another app's key
	r, err := e.m.Post(v)
	if err != nil {
		t.Fatal(err)
	}
	// The newer gateway shows the string it verified, & as &amp; (§2.3).
	if r.SubCode() != "isv.invalid-signature" || !strings.Contains(r.Str("sub_msg"), "app_id=2021000122600001&amp;biz_content=") {
		t.Errorf("sub_msg: %s", r.Raw)
	}
}

func TestTimestampWithinADayIsAccepted(t *testing.T) {
	e := newEnv(t)
	for _, off := range []time.Duration{-23 * time.Hour, 20 * time.Hour} {
		e.m.Now = func() time.Time { return start.Add(off) }
		r, err := e.m.Call("alipay.trade.query", map[string]string{"out_trade_no": "X"}, nil)
		if err != nil || r.SubCode() != "ACQ.TRADE_NOT_EXIST" {
			t.Errorf("timestamp off by %v: %v %s", off, err, r.Raw)
		}
	}
}

func TestPagePayValidation(t *testing.T) {
	e := newEnv(t)
	with := func(k string, v any) map[string]any { b := pageBiz("VAL-1", "1.00"); b[k] = v; return b }
	without := func(k string) map[string]any { b := pageBiz("VAL-1", "1.00"); delete(b, k); return b }
	cases := []struct {
		name    string
		biz     map[string]any
		extra   map[string]string
		subCode string
	}{
		{"zero amount", with("total_amount", "0.00"), nil, "ACQ.INVALID_PARAMETER"},
		{"negative amount", with("total_amount", "-1"), nil, "ACQ.INVALID_PARAMETER"},
		{"three decimals", with("total_amount", "1.001"), nil, "ACQ.INVALID_PARAMETER"},
		{"not a number", with("total_amount", "1e3"), nil, "ACQ.INVALID_PARAMETER"},
		{"above the limit", with("total_amount", "100000000.01"), nil, "ACQ.TOTAL_FEE_EXCEED"},
		{"missing amount", without("total_amount"), nil, "ACQ.INVALID_PARAMETER"},
		{"missing subject", without("subject"), nil, "ACQ.INVALID_PARAMETER"},
		{"empty subject counts as missing", with("subject", ""), nil, "ACQ.INVALID_PARAMETER"},
		{"subject with &", with("subject", "a&b"), nil, "ACQ.INVALID_PARAMETER"},
		{"subject with /", with("subject", "a/b"), nil, "ACQ.INVALID_PARAMETER"},
		{"missing out_trade_no", without("out_trade_no"), nil, "ACQ.INVALID_PARAMETER"},
		{"out_trade_no too long", with("out_trade_no", strings.Repeat("9", 65)), nil, "ACQ.INVALID_PARAMETER"},
		{"out_trade_no with a space", with("out_trade_no", "A 1"), nil, "ACQ.INVALID_PARAMETER"},
		{"wrong product_code", with("product_code", "QUICK_WAP_WAY"), nil, "ACQ.INVALID_PARAMETER"},
		{"missing product_code", without("product_code"), nil, "ACQ.INVALID_PARAMETER"},
		{"timeout_express with decimals", with("timeout_express", "1.5h"), nil, "ACQ.INVALID_PARAMETER"},
		{"timeout_express above 15d", with("timeout_express", "16d"), nil, "ACQ.INVALID_PARAMETER"},
		{"time_expire malformed", with("time_expire", "tomorrow"), nil, "ACQ.INVALID_PARAMETER"},
		{"time_expire in the past", with("time_expire", "2026-05-01 09:59:59"), nil, "ACQ.NOW_TIME_AFTER_EXPIRE_TIME_ERROR"},
		// Beyond 15 days (§4.2's range, held for time_expire too); year
		// 9999 would not even fit the stored Unix nanoseconds.
		{"time_expire past 15 days", with("time_expire", "2026-05-16 10:00:01"), nil, "ACQ.INVALID_PARAMETER"},
		{"time_expire 9999-12-31", with("time_expire", "9999-12-31 23:59:59"), nil, "ACQ.INVALID_PARAMETER"},
		{"timeout_express overflowing", with("timeout_express", "9223372036854775807m"), nil, "ACQ.INVALID_PARAMETER"},
		{"notify_url not http", pageBiz("VAL-1", "1"), map[string]string{"notify_url": "ftp://shop/notify"}, "ACQ.INVALID_PARAMETER"},
		{"return_url relative", pageBiz("VAL-1", "1"), map[string]string{"return_url": "/return"}, "ACQ.INVALID_PARAMETER"},
		{"no biz_content", nil, nil, "ACQ.INVALID_PARAMETER"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var biz any = c.biz
			if c.biz == nil {
				biz = nil
			}
			resp, body := e.get(e.m.PageURL("alipay.trade.page.pay", biz, c.extra))
			if resp.StatusCode != http.StatusOK || !strings.Contains(body, c.subCode) {
				t.Errorf("want an error page with %s, got %d: %s", c.subCode, resp.StatusCode, body)
			}
			if strings.Contains(body, `data-testid="pay"`) {
				t.Error("an error page must not offer to pay")
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				t.Errorf("content type %q", ct)
			}
		})
	}
	// What is valid in odd shapes is accepted: a numeric amount, empty
	// optional strings, timeout_express and time_expire.
	for name, biz := range map[string]map[string]any{
		"numeric amount":       with("total_amount", 13.5),
		"empty optional body":  with("body", ""),
		"timeout_express 90m":  with("timeout_express", "90m"),
		"timeout_express 1c":   with("timeout_express", "1c"),
		"time_expire tomorrow": with("time_expire", "2026-05-02 10:00:00"),
		"time_expire 15 days":  with("time_expire", "2026-05-16 10:00:00"),
		"timeout_express 15d":  with("timeout_express", "15d"),
		"largest amount":       with("total_amount", "100000000.00"),
	} {
		resp, body := e.get(e.m.PageURL("alipay.trade.page.pay", biz, nil))
		if resp.StatusCode != http.StatusSeeOther {
			t.Errorf("%s: %d %s", name, resp.StatusCode, body)
		}
	}
}

func TestPagePayErrorPageForEnvelopeErrors(t *testing.T) {
	e := newEnv(t)
	u := e.m.PageURL("alipay.trade.page.pay", pageBiz("ENV-1", "1"), e.urls())
	tampered := strings.Replace(u, "sign=", "sign=AAAA", 1)
	resp, body := e.get(tampered)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "isv.invalid-signature") || strings.Contains(body, `data-testid="pay"`) {
		t.Errorf("tampered page.pay: %d %s", resp.StatusCode, body)
	}
	resp, body = e.get(strings.Replace(u, "app_id=2021000122600001", "app_id=2021000000000000", 1))
	if !strings.Contains(body, "isv.invalid-app-id") {
		t.Errorf("unknown app page.pay: %d %s", resp.StatusCode, body)
	}
}

func TestCashierEscapesMerchantText(t *testing.T) {
	e := newEnv(t)
	biz := pageBiz("XSS-1", "1")
	biz["subject"] = `"><script>alert(1)<script>` // subjects may not hold / = &
	biz["body"] = `<script>alert(2)</script>`
	_, html := e.openCashier(e.m.PageURL("alipay.trade.page.pay", biz, e.urls()))
	if strings.Contains(html, "<script>alert") {
		t.Fatalf("merchant text reached the page unescaped: %s", html)
	}
	if !strings.Contains(html, "&lt;script&gt;alert(2)&lt;/script&gt;") || !strings.Contains(html, "&#34;&gt;&lt;script&gt;alert(1)") {
		t.Errorf("subject not shown escaped: %s", html)
	}
}

// TestMalformedMethodWithoutApp: the reported attack, a bare
// GET /gateway.do?method=<script>…, answers valid JSON in error_response,
// unsigned, under a CSP that forbids every script, echoing nothing.
func TestMalformedMethodWithoutApp(t *testing.T) {
	e := newEnv(t)
	for _, m := range []string{`<script>fetch("/_mockpay/api/reset",{method:"POST"})</script>`, `a"b`, "x\u2028"} {
		resp, raw := e.get(e.m.Gateway + "?method=" + url.QueryEscape(m))
		var top map[string]map[string]string
		if err := json.Unmarshal([]byte(raw), &top); err != nil || len(top) != 1 || top["error_response"]["sub_code"] != "isv.invalid-method" {
			t.Errorf("method %q: %v: %s", m, err, raw)
		}
		if strings.Contains(raw, "script") || strings.Contains(raw, `a"b`) {
			t.Errorf("method %q echoed: %s", m, raw)
		}
		if csp := resp.Header.Get("Content-Security-Policy"); csp != "default-src 'none'; frame-ancestors 'none'; sandbox" {
			t.Errorf("Content-Security-Policy %q", csp)
		}
	}
}

func TestOversizeBodyAnswersInAlipayFormat(t *testing.T) {
	e := newEnv(t)
	v := e.m.Params("alipay.trade.query", map[string]string{"out_trade_no": "X"}, nil)
	v.Set("padding", strings.Repeat("x", 2<<20))
	resp, err := e.m.HTTP.PostForm(e.m.Gateway+"?method=alipay.trade.query&app_id=2021000122600001", v)
	if err != nil {
		t.Fatal(err)
	}
	raw := readAll(t, resp)
	r, err := e.m.Decode("alipay.trade.query", []byte(raw))
	if resp.StatusCode != http.StatusOK || err != nil || r.Code() != "40002" || !r.Verified {
		t.Errorf("oversize: %d %v %s", resp.StatusCode, err, raw)
	}
}

// TestOversizeBodySortedAfterBizContent: a body sorted by key (smartwalle,
// gopay: app_id, biz_content, charset, ..., method, sign) whose biz_content
// passes the limit names its method, charset and sign_type after the cut;
// the error is answered in that method's node, signed, in that charset, as
// every error of a known app (§2.5, issue 12 item 4). A pair beyond the cut
// that is itself huge is not read.
func TestOversizeBodySortedAfterBizContent(t *testing.T) {
	e := newEnv(t)
	for _, cs := range []string{"utf-8", "gbk"} {
		e.m.Charset = cs
		v := e.m.Params("alipay.trade.query", map[string]string{"out_trade_no": "BIG", "pad": strings.Repeat("x", 2<<20)}, nil)
		body := v.Encode()
		if strings.Index(body, "biz_content=") > strings.Index(body, "method=") {
			t.Fatalf("the body is not sorted with biz_content first: %.200s", body)
		}
		resp, err := e.m.HTTP.Post(e.m.Gateway, "application/x-www-form-urlencoded", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		raw := readAll(t, resp)
		r, err := e.m.Decode("alipay.trade.query", []byte(raw))
		if err != nil || !strings.HasPrefix(raw, `{"alipay_trade_query_response":{"code":"40002"`) || !r.Verified || r.SubCode() != "isv.invalid-parameter" {
			t.Errorf("%s: %d %v %.400s", cs, resp.StatusCode, err, raw)
		}
		if !strings.Contains(resp.Header.Get("Content-Type"), cs) {
			t.Errorf("%s: Content-Type %q", cs, resp.Header.Get("Content-Type"))
		}
	}
	// The method pair itself past the limit is no method.
	e.m.Charset = ""
	resp, err := e.m.HTTP.Post(e.m.Gateway, "application/x-www-form-urlencoded",
		strings.NewReader("app_id=2021000122600001&biz_content="+strings.Repeat("x", 2<<20)+"&method=alipay.trade.query"+strings.Repeat("y", 4096)))
	if err != nil {
		t.Fatal(err)
	}
	if raw := readAll(t, resp); !strings.HasPrefix(raw, `{"error_response":`) {
		t.Errorf("huge method pair: %.300s", raw)
	}
}

// TestOversizeBodyToAPageMethod: a page method whose form is too big still
// shows the buyer the platform's HTML error page (§2.7), whether it names
// the method in the action URL or in the form before the cut; an API call
// whose method lies beyond the cut answers JSON.
func TestOversizeBodyToAPageMethod(t *testing.T) {
	e := newEnv(t)
	pad := strings.Repeat("x", 2<<20)
	post := func(target, body string) (*http.Response, string) {
		resp, err := e.m.HTTP.Post(target, "application/x-www-form-urlencoded", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		return resp, readAll(t, resp)
	}
	for name, c := range map[string]struct{ target, body string }{
		"method in the form":       {e.m.Gateway, "app_id=2021000122600001&method=alipay.trade.page.pay&charset=utf-8&biz_content=" + pad},
		"wap method in the form":   {e.m.Gateway, "method=alipay.trade.wap.pay&biz_content=" + pad},
		"method in the action URL": {e.m.Gateway + "?method=alipay.trade.page.pay&app_id=2021000122600001", "biz_content=" + pad},
	} {
		t.Run(name, func(t *testing.T) {
			resp, body := post(c.target, c.body)
			wantErrorPage(t, resp, body, "isv.invalid-parameter")
			if !strings.Contains(body, "larger than") {
				t.Errorf("the page does not say the body is too large: %s", body)
			}
		})
	}
	// Sorted by key (smartwalle), biz_content comes before method: the
	// small pairs after the cut are still read, so the page method is known
	// (issue 12 item 4).
	resp, body := post(e.m.Gateway, "app_id=2021000122600001&biz_content="+pad+"&method=alipay.trade.page.pay")
	wantErrorPage(t, resp, body, "isv.invalid-parameter")
	// A method cut in the middle of its value is not read as a shorter one.
	resp, body = post(e.m.Gateway, "app_id=2021000122600001&method=alipay.trade.page.pay"+strings.Repeat("y", 2<<20))
	if !strings.HasPrefix(body, `{"error_response":`) {
		t.Errorf("cut method: %d %s", resp.StatusCode, body[:min(len(body), 300)])
	}

	// The legacy page services likewise (§1.10).
	l := e.partner(md5PID)
	for name, c := range map[string]struct{ target, body string }{
		"direct pay in the form":     {l.Gateway, "service=create_direct_pay_by_user&partner=" + md5PID + "&body=" + pad},
		"direct pay in the URL":      {l.Gateway + "?service=create_direct_pay_by_user", "partner=" + md5PID + "&body=" + pad},
		"batch refund page in form":  {l.Gateway, "service=refund_fastpay_by_platform_pwd&detail_data=" + pad},
		"cooperate gateway, in form": {e.app.URL + "/cooperate/gateway.do", "service=create_direct_pay_by_user&body=" + pad},
	} {
		t.Run(name, func(t *testing.T) {
			resp, body := post(c.target, c.body)
			wantErrorPage(t, resp, body, "ILLEGAL_ARGUMENT")
		})
	}
}
