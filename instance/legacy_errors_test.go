package instance_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/mockpay/mockpay/internal/merchant"
)

// TestLegacyDirectPayErrors: every refused order is an HTML error page with
// the legacy code in its text, HTTP 200, no pay button (§1.3, §1.10).
func TestLegacyDirectPayErrors(t *testing.T) {
	e := newEnv(t)
	l := e.partner(md5PID)
	with := func(kv ...string) map[string]string {
		p := e.directPay(md5PID, "LEGACY-ERR", "1.00")
		for i := 0; i < len(kv); i += 2 {
			p[kv[i]] = kv[i+1]
		}
		return p
	}
	signed := func(p map[string]string) string { return l.PageURL("create_direct_pay_by_user", p) }
	// resigned builds the URL, changes it, and signs it again as a shop would.
	resigned := func(mutate func(url.Values)) string {
		v := l.Params("create_direct_pay_by_user", with())
		mutate(v)
		v.Set("sign", l.Sign(v))
		return l.Gateway + "?" + v.Encode()
	}
	// tampered changes a signed URL without signing again.
	tampered := func(mutate func(url.Values)) string {
		v := l.Params("create_direct_pay_by_user", with())
		mutate(v)
		return l.Gateway + "?" + v.Encode()
	}
	wrongKey := e.partner(md5PID)
	wrongKey.Key = strings.Repeat("0", 32)
	cases := []struct {
		name, url, code string
	}{
		{"wrong key", wrongKey.PageURL("create_direct_pay_by_user", with()), "ILLEGAL_SIGN"},
		{"tampered total_fee", tampered(func(v url.Values) { v.Set("total_fee", "0.01") }), "ILLEGAL_SIGN"},
		{"sign_type dropped from the signed string is still required", tampered(func(v url.Values) { v.Del("sign_type") }), "ILLEGAL_SIGN_TYPE"},
		{"missing sign", tampered(func(v url.Values) { v.Del("sign") }), "ILLEGAL_SIGN"},
		{"upper-case sign accepted, other hex is not", tampered(func(v url.Values) { v.Set("sign", strings.Repeat("A", 32)) }), "ILLEGAL_SIGN"},
		{"lower-case sign_type", tampered(func(v url.Values) { v.Set("sign_type", "md5") }), "ILLEGAL_SIGN_TYPE"},
		{"DSA", tampered(func(v url.Values) { v.Set("sign_type", "DSA") }), "ILLEGAL_SIGN_TYPE"},
		{"unknown partner", resigned(func(v url.Values) { v.Set("partner", "2088999999999999") }), "ILLEGAL_PARTNER"},
		{"another partner's id with this key", resigned(func(v url.Values) { v.Set("partner", rsaPID) }), "ILLEGAL_SIGN"},
		{"an OpenAPI app_id is no partner", resigned(func(v url.Values) { v.Set("partner", "2021000122600001") }), "ILLEGAL_PARTNER"},
		{"missing partner", resigned(func(v url.Values) { v.Del("partner") }), "ILLEGAL_PARTNER"},
		{"bad charset", resigned(func(v url.Values) { v.Set("_input_charset", "latin1") }), "ILLEGAL_CHARSET"},
		{"missing out_trade_no", signed(with("out_trade_no", "")), "ILLEGAL_ARGUMENT"},
		{"out_trade_no too long", signed(with("out_trade_no", strings.Repeat("9", 65))), "ILLEGAL_ARGUMENT"},
		{"missing subject", signed(with("subject", "")), "SUBJECT_MUST_NOT_BE_NULL"},
		{"subject over 256 bytes", signed(with("subject", strings.Repeat("商", 86))), "ILLEGAL_ARGUMENT"},
		{"payment_type 2", signed(with("payment_type", "2")), "ILLEGAL_PAYMENT_TYPE"},
		{"missing payment_type", signed(with("payment_type", "")), "ILLEGAL_PAYMENT_TYPE"},
		{"total_fee and price", signed(with("price", "1.00", "quantity", "1")), "ILLEGAL_FEE_PARAM"},
		{"no amount", signed(with("total_fee", "")), "ILLEGAL_FEE_PARAM"},
		{"price without quantity", signed(with("total_fee", "", "price", "1.00")), "ILLEGAL_FEE_PARAM"},
		{"quantity zero", signed(with("total_fee", "", "price", "1.00", "quantity", "0")), "ILLEGAL_FEE_PARAM"},
		{"three decimals", signed(with("total_fee", "1.001")), "ILLEGAL_FEE_PARAM"},
		{"zero total", signed(with("total_fee", "0.00")), "DIRECT_PAY_AMOUNT_OUT_OF_RANGE"},
		{"above the limit", signed(with("total_fee", "100000000.01")), "DIRECT_PAY_AMOUNT_OUT_OF_RANGE"},
		{"price × quantity above the limit", signed(with("total_fee", "", "price", "100000000.00", "quantity", "2")), "DIRECT_PAY_AMOUNT_OUT_OF_RANGE"},
		{"no seller", signed(with("seller_id", "")), "ILLEGAL_ARGUMENT"},
		{"another seller_id", signed(with("seller_id", rsaPID)), "SELLER_NOT_EXIST"},
		{"seller_id wins over a right seller_email", signed(with("seller_id", rsaPID, "seller_email", "seller-md5@sandbox.mockpay.local")), "SELLER_NOT_EXIST"},
		{"unknown seller_email", signed(with("seller_id", "", "seller_email", "nobody@example.com")), "SELLER_NOT_EXIST"},
		{"buyer is the seller", signed(with("buyer_id", md5PID)), "BUYER_SELLER_EQUAL"},
		{"extra_common_param with =", signed(with("extra_common_param", "a=b")), "ILLEGAL_EXTRA_COMMON_PARAM"},
		{"extra_common_param over 100", signed(with("extra_common_param", strings.Repeat("x", 101))), "ILLEGAL_EXTRA_COMMON_PARAM"},
		{"notify_url with its own query", signed(with("notify_url", e.shop.URL+"/notify?id=1")), "ILLEGAL_ARGUMENT"},
		{"return_url with its own query", signed(with("return_url", e.shop.URL+"/return?id=1")), "ILLEGAL_ARGUMENT"},
		{"return_url relative", signed(with("return_url", "/return")), "ILLEGAL_ARGUMENT"},
		{"notify_url over 190", signed(with("notify_url", "http://shop.example/"+strings.Repeat("n", 180))), "ILLEGAL_ARGUMENT"},
		{"it_b_pay with decimals", signed(with("it_b_pay", "1.5h")), "ILLEGAL_OUTTIME_ARGUMENT"},
		{"it_b_pay above 15d", signed(with("it_b_pay", "16d")), "ILLEGAL_OUTTIME_ARGUMENT"},
		{"it_b_pay overflowing", signed(with("it_b_pay", "2562048h")), "ILLEGAL_OUTTIME_ARGUMENT"},
		{"it_b_pay past int64", signed(with("it_b_pay", "9223372036854775808m")), "ILLEGAL_OUTTIME_ARGUMENT"},
		{"malformed percent-encoding", l.Gateway + "?service=create_direct_pay_by_user&partner=" + md5PID + "&subject=%zz", "ILLEGAL_ARGUMENT"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp, body := e.get(c.url)
			wantErrorPage(t, resp, body, c.code)
		})
	}
	// Valid in less common shapes.
	for name, p := range map[string]map[string]string{
		"seller_email only":               with("seller_id", "", "seller_email", "seller-md5@sandbox.mockpay.local"),
		"seller_id wins over a bad email": with("seller_email", "nobody@example.com"),
		"it_b_pay 90m":                    with("it_b_pay", "90m", "out_trade_no", "LEGACY-OK-1"),
		"it_b_pay 1c":                     with("it_b_pay", "1c", "out_trade_no", "LEGACY-OK-2"),
		"unknown parameters are signed":   with("royalty_type", "10", "paymethod", "directPay", "x_custom", "y"),
		"no notify or return URL":         with("notify_url", "", "return_url", ""),
	} {
		if resp, body := e.get(signed(p)); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("%s: %d %s", name, resp.StatusCode, body)
		}
	}
	// An upper-case MD5 sign from a sloppy shop is accepted (unconfirmed).
	v := l.Params("create_direct_pay_by_user", with("out_trade_no", "LEGACY-UPPER"))
	v.Set("sign", strings.ToUpper(v.Get("sign")))
	if resp, body := e.get(l.Gateway + "?" + v.Encode()); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("upper-case sign: %d %s", resp.StatusCode, body)
	}
}

// TestLegacyReusedOutTradeNo: the same out_trade_no reopens its trade on
// the same terms and is refused with the term that changed (§1.10).
func TestLegacyReusedOutTradeNo(t *testing.T) {
	e := newEnv(t)
	l := e.partner(md5PID)
	order := func(kv ...string) string {
		p := e.directPay(md5PID, "LEGACY-SAME", "10.00")
		for i := 0; i < len(kv); i += 2 {
			p[kv[i]] = kv[i+1]
		}
		return l.PageURL("create_direct_pay_by_user", p)
	}
	first, html := e.openCashier(order())
	tradeNo := tradeNoOf(t, html)
	if _, html := e.openCashier(order("total_fee", "10")); tradeNoOf(t, html) != tradeNo {
		t.Errorf("same terms opened another trade")
	}
	resp, body := e.get(order("total_fee", "10.01"))
	wantErrorPage(t, resp, body, "TRADE_TOTALFEE_NOT_MATCH")

	_, _ = e.openCashier(order("out_trade_no", "LEGACY-PQ", "total_fee", "", "price", "5.00", "quantity", "2"))
	resp, body = e.get(order("out_trade_no", "LEGACY-PQ", "total_fee", "", "price", "2.50", "quantity", "4"))
	wantErrorPage(t, resp, body, "TRADE_PRICE_NOT_MATCH")
	resp, body = e.get(order("out_trade_no", "LEGACY-PQ", "total_fee", "", "price", "5.00", "quantity", "3"))
	wantErrorPage(t, resp, body, "TRADE_QUANTITY_NOT_MATCH")

	// Paid, then closed: neither can be paid again.
	resp, _ = e.press(first, "pay")
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("pay: %d", resp.StatusCode)
	}
	e.shop.next(t)
	resp, body = e.get(order())
	wantErrorPage(t, resp, body, "TRADE_HAS_SUCCESS")
	r, err := l.Call("close_trade", map[string]string{"out_order_no": "LEGACY-PQ"})
	if err != nil || r.IsSuccess != "T" {
		t.Fatalf("close_trade: %v %s", err, r.Raw)
	}
	resp, body = e.get(order("out_trade_no", "LEGACY-PQ", "total_fee", "", "price", "5.00", "quantity", "2"))
	wantErrorPage(t, resp, body, "TRADE_NOT_ALLOWED_PAY")
}

// TestLegacyServerErrors: server services answer <is_success>F</is_success>
// with the code (§1.8, §1.10).
func TestLegacyServerErrors(t *testing.T) {
	e := newEnv(t)
	l := e.partner(md5PID)
	r, err := l.Call("single_trade_query", map[string]string{"out_trade_no": "NOPE"})
	wantXMLError(t, r, err, "TRADE_NOT_EXIST")
	if !strings.HasPrefix(string(r.Raw), `<?xml version="1.0" encoding="utf-8"?><alipay><is_success>F</is_success><error>TRADE_NOT_EXIST</error></alipay>`) {
		t.Errorf("error XML shape: %s", r.Raw)
	}
	r, err = l.Call("single_trade_query", nil)
	wantXMLError(t, r, err, "ILLEGAL_ARGUMENT")
	r, err = l.Call("close_trade", map[string]string{"trade_no": "2026050121000000000000000000"})
	wantXMLError(t, r, err, "TRADE_NOT_EXIST")
	r, err = l.Call("teleport", nil)
	wantXMLError(t, r, err, "ILLEGAL_SERVICE")

	v := l.Params("single_trade_query", map[string]string{"out_trade_no": "NOPE"})
	v.Set("out_trade_no", "OTHER")
	r, err = l.Post(v)
	wantXMLError(t, r, err, "ILLEGAL_SIGN")
	r, err = e.partner(rsaPID).Post(v) // same form, sent as is
	wantXMLError(t, r, err, "ILLEGAL_SIGN")

	// Closing: only an unpaid trade; then the trade says TRADE_CLOSED.
	_, html := e.openCashier(l.PageURL("create_direct_pay_by_user", e.directPay(md5PID, "LEGACY-CLOSE", "1.00")))
	tradeNo := tradeNoOf(t, html)
	if r, err := l.Call("close_trade", map[string]string{"trade_no": tradeNo}); err != nil || string(r.Raw) != `<?xml version="1.0" encoding="utf-8"?><alipay><is_success>T</is_success></alipay>` {
		t.Fatalf("close_trade: %v %s", err, r.Raw)
	}
	r, _ = l.Call("single_trade_query", map[string]string{"trade_no": tradeNo})
	if r.Fields["trade_status"] != "TRADE_CLOSED" || r.Fields["gmt_close"] != "2026-05-01 10:00:00" {
		t.Errorf("after close: %s", r.Raw)
	}
	r, err = l.Call("close_trade", map[string]string{"out_trade_no": "LEGACY-CLOSE"})
	wantXMLError(t, r, err, "TRADE_STATUS_ERROR")
	// Another partner cannot see the trade.
	r, err = e.partner(rsaPID).Call("single_trade_query", map[string]string{"trade_no": tradeNo})
	wantXMLError(t, r, err, "TRADE_NOT_EXIST")

	// An unreadable (oversize) body still answers in the legacy format.
	v = l.Params("single_trade_query", map[string]string{"out_trade_no": "X", "padding": strings.Repeat("x", 2<<20)})
	resp, err := l.HTTP.PostForm(l.Gateway+"?service=single_trade_query&partner="+md5PID, v)
	if err != nil {
		t.Fatal(err)
	}
	body := readAll(t, resp)
	r, err = merchant.ParseXML([]byte(body))
	if resp.StatusCode != http.StatusOK {
		t.Errorf("oversize legacy body: HTTP %d", resp.StatusCode)
	}
	wantXMLError(t, r, err, "ILLEGAL_ARGUMENT")
}

// TestLegacyNotifyVerifyParameters: invalid for bad parameters, false for
// ids that are not this partner's live ones (§1.6).
func TestLegacyNotifyVerifyParameters(t *testing.T) {
	e := newEnv(t)
	l := e.partner(md5PID)
	ret := e.legacyPay(l.PageURL("create_direct_pay_by_user", e.directPay(md5PID, "LEGACY-NV", "1.00")))
	id := ret.Get("notify_id")
	e.shop.next(t)
	for name, path := range e.verifyPaths() {
		for _, c := range []struct{ query, want string }{
			{"partner=" + md5PID + "&notify_id=" + id, "true"},
			{"partner=&notify_id=" + id, "invalid"},
			{"notify_id=" + id, "invalid"},
			{"partner=" + md5PID + "&notify_id=", "invalid"},
			{"partner=2088999999999999&notify_id=" + id, "invalid"},
			{"partner=" + md5PID + "&notify_id=%zz", "invalid"},
			{"partner=" + md5PID + "&notify_id=0123456789abcdef0123456789abcdefzz", "false"},
			{"partner=" + rsaPID + "&notify_id=" + id, "false"}, // another partner's id
		} {
			sep := "?"
			if strings.Contains(path, "?") {
				sep = "&"
			}
			resp, body := e.get(path + sep + c.query)
			if resp.StatusCode != http.StatusOK || body != c.want {
				t.Errorf("%s %s: %d %q, want %q", name, c.query, resp.StatusCode, body, c.want)
			}
		}
	}
	// POST works as well.
	resp, body := e.postForm(e.app.URL+"/gateway.do", url.Values{"service": {"notify_verify"}, "partner": {md5PID}, "notify_id": {id}})
	if resp.StatusCode != http.StatusOK || body != "true" {
		t.Errorf("POST notify_verify: %d %q", resp.StatusCode, body)
	}
}

// TestLegacyRouting: service= goes to the legacy gateway and method= stays
// OpenAPI, on /gateway.do; /cooperate/gateway.do is legacy only.
func TestLegacyRouting(t *testing.T) {
	e := newEnv(t)
	l := e.partner(md5PID)
	p := e.directPay(md5PID, "LEGACY-COOP", "1.00")
	resp, body := e.get(e.app.URL + "/cooperate/gateway.do?" + l.Params("create_direct_pay_by_user", p).Encode())
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("/cooperate/gateway.do: %d %s", resp.StatusCode, body)
	}
	// An OpenAPI call carrying a stray service parameter stays OpenAPI.
	r, err := e.m.Call("alipay.trade.query", map[string]string{"out_trade_no": "X"}, map[string]string{"service": "single_trade_query"})
	if err != nil || r.SubCode() != "ACQ.TRADE_NOT_EXIST" || !r.Verified {
		t.Errorf("OpenAPI call with service=: %v %v", err, r)
	}
	// A legacy partner id is no OpenAPI app_id.
	m := *e.m
	m.AppID = md5PID
	r, err = m.Call("alipay.trade.query", map[string]string{"out_trade_no": "X"}, nil)
	if err != nil || r.SubCode() != "isv.invalid-app-id" {
		t.Errorf("partner id as app_id: %v %v", err, r)
	}

	// GET /_mockpay/api/apps: protocol on every element, partners with
	// their MD5 keys.
	_, body = e.get(e.app.URL + "/_mockpay/api/apps")
	var apps []map[string]string
	if err := json.Unmarshal([]byte(body), &apps); err != nil {
		t.Fatalf("apps: %v %s", err, body)
	}
	partners := map[string]map[string]string{}
	for _, a := range apps {
		switch a["protocol"] {
		case "openapi":
			if a["app_id"] == "" || a["app_private_key_pem"] == "" {
				t.Errorf("openapi app: %v", a)
			}
		case "legacy":
			partners[a["pid"]] = a
		case "wechatpay":
		case "unionpay":
			if a["mer_id"] != a["app_id"] || a["cert_id"] == "" || a["sign_cert_pfx_base64"] == "" || !strings.HasSuffix(a["front_url"], "/gateway/api/frontTransReq.do") {
				t.Errorf("unionpay merchant: %v", a)
			}
		default:
			t.Errorf("element without protocol: %v", a)
		}
	}
	md5 := partners[md5PID]
	if len(md5["md5_key"]) != 32 || md5["seller_id"] != md5PID || md5["seller_email"] != "seller-md5@sandbox.mockpay.local" || md5["sign_type"] != "MD5" {
		t.Errorf("MD5 partner: %v", md5)
	}
	if rsa := partners[rsaPID]; rsa["sign_type"] != "RSA" || !strings.Contains(rsa["app_private_key_pem"], "RSA PRIVATE KEY") || len(rsa["md5_key"]) != 32 {
		t.Errorf("RSA partner: %v", rsa)
	}
	if plain := partners[plainPID]; plain["trade_status_on_pay"] != "TRADE_FINISHED" || plain["anti_phishing"] != "on" {
		t.Errorf("plain partner: %v", plain)
	}
	var one map[string]string
	if code := e.api("GET", "/apps/"+md5PID, nil, &one); code != http.StatusOK || one["protocol"] != "legacy" || one["md5_key"] != md5["md5_key"] {
		t.Errorf("GET /apps/%s: %d %v", md5PID, code, one)
	}
	// The dashboard shows partners with their MD5 keys, apart from the apps.
	_, body = e.get(e.app.URL + "/_mockpay/apps")
	if strings.Count(body, `data-testid="partner"`) != 3 || !strings.Contains(body, md5["md5_key"]) || strings.Count(body, `data-testid="app"`) != 3 {
		t.Errorf("dashboard apps page: %s", body)
	}
}

// TestLegacyReturnNotifyIDSurvivesRestart: notify_ids are kept in SQLite.
func TestLegacyReturnNotifyIDSurvivesRestart(t *testing.T) {
	e := newEnv(t)
	l := e.partner(md5PID)
	ret := e.legacyPay(l.PageURL("create_direct_pay_by_user", e.directPay(md5PID, "LEGACY-RESTART", "1.00")))
	e.shop.next(t)
	e.restart()
	l.Gateway = e.app.URL + "/gateway.do"
	if got := e.notifyVerify(l, ret.Get("notify_id")); got != "true" {
		t.Errorf("return notify_id after a restart = %q", got)
	}
}
