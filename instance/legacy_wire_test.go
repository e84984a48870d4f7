package instance_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/mockpay/mockpay/internal/merchant"
)

// gbkSubject is "中文商品" as gbk bytes, percent-encoded.
var gbkSubject = url.QueryEscape(string([]byte{0xd6, 0xd0, 0xce, 0xc4, 0xc9, 0xcc, 0xc6, 0xb7}))

// TestLegacyGBK: a gbk partner signs and percent-encodes gbk bytes; the
// return URL's query and the notification body come back gbk-encoded and
// signed over the gbk bytes; query answers are GBK XML (§1.1, §1.2).
func TestLegacyGBK(t *testing.T) {
	e := newEnv(t)
	l := e.partner(md5PID)
	l.Charset = "gbk"
	p := e.directPay(md5PID, "LEGACY-GBK", "9.90")
	p["subject"] = "中文商品"
	p["body"] = "两个杯子"
	pageURL := l.PageURL("create_direct_pay_by_user", p)
	if !strings.Contains(pageURL, "subject="+gbkSubject) {
		t.Fatalf("the shop did not encode gbk: %s", pageURL)
	}
	cashier, html := e.openCashier(pageURL)
	if !strings.Contains(html, "中文商品") || !strings.Contains(html, "两个杯子") {
		t.Fatalf("cashier does not show the gbk texts decoded")
	}
	resp, _ := e.press(cashier, "pay")
	loc := resp.Header.Get("Location")
	if !strings.Contains(loc, "subject="+gbkSubject) {
		t.Errorf("return query is not gbk percent-encoded: %s", loc)
	}
	ret := mustQuery(t, loc) // raw gbk bytes, as a gbk shop reads them
	if err := l.Verify(ret); err != nil {
		t.Fatalf("gbk return does not verify over gbk bytes: %v", err)
	}
	if merchant.FromGBK(ret.Get("subject")) != "中文商品" {
		t.Errorf("return subject %q", ret.Get("subject"))
	}

	n := e.shop.next(t)
	if err := l.Verify(n); err != nil {
		t.Fatalf("gbk notification does not verify: %v", err)
	}
	if merchant.FromGBK(n.Get("body")) != "两个杯子" || !strings.Contains(e.shop.raw[0], "subject="+gbkSubject) {
		t.Errorf("notification body is not gbk: %s", e.shop.raw[0])
	}

	r, err := l.Call("single_trade_query", map[string]string{"out_trade_no": "LEGACY-GBK"})
	if err != nil || r.IsSuccess != "T" || r.Fields["subject"] != "中文商品" {
		t.Fatalf("gbk query: %v %v", err, r)
	}
	if err := l.VerifyXML(r); err != nil {
		t.Errorf("gbk query answer does not verify: %v", err)
	}
	if !strings.HasPrefix(string(r.Raw), `<?xml version="1.0" encoding="GBK"?>`) || strings.Contains(string(r.Raw), "中文") {
		t.Errorf("gbk answer is not GBK bytes: %s", r.Raw)
	}

	// gbk bytes declared as utf-8 are an encoding error, answered in XML.
	l.Charset = "utf-8"
	v := l.Params("single_trade_query", map[string]string{"out_trade_no": "X"})
	v.Set("out_trade_no", "\xd6\xd0")
	v.Set("sign", l.Sign(v))
	r, err = l.Post(v)
	wantXMLError(t, r, err, "ILLEGAL_ENCODING")
}

// TestLegacyRSAPartner: sign_type=RSA (SHA1withRSA) for a partner with RSA
// keys; the answers come back in RSA too. The partner's MD5 key still
// works, and an MD5-only partner cannot sign with RSA (§1.2).
func TestLegacyRSAPartner(t *testing.T) {
	e := newEnv(t)
	l := e.partner(rsaPID)
	l.SignType = "RSA"
	ret := e.legacyPay(l.PageURL("create_direct_pay_by_user", e.directPay(rsaPID, "LEGACY-RSA", "3.00")))
	if ret.Get("sign_type") != "RSA" || l.Verify(ret) != nil {
		t.Fatalf("RSA return: %v (%v)", l.Verify(ret), ret)
	}
	n := e.shop.next(t)
	if n.Get("sign_type") != "RSA" || l.Verify(n) != nil {
		t.Fatalf("RSA notification: %v (%v)", l.Verify(n), n)
	}
	r, err := l.Call("single_trade_query", map[string]string{"out_trade_no": "LEGACY-RSA"})
	if err != nil || r.SignType != "RSA" || l.VerifyXML(r) != nil {
		t.Fatalf("RSA query: %v %s", err, r.Raw)
	}
	// The same partner with its MD5 key.
	l.SignType = "MD5"
	if r, err := l.Call("single_trade_query", map[string]string{"out_trade_no": "LEGACY-RSA"}); err != nil || r.SignType != "MD5" || l.VerifyXML(r) != nil {
		t.Errorf("MD5 query of an RSA partner: %v %s", err, r.Raw)
	}
	// Another key pair's RSA signature is refused.
	l.SignType = "RSA"
	other, err := merchant.ParsePrivateKey(e.app.Fixtures.Apps[0].AppPrivateKeyPEM)
	if err != nil {
		t.Fatal(err)
	}
	l.PrivateKey = other
	r, err = l.Call("single_trade_query", map[string]string{"out_trade_no": "LEGACY-RSA"})
	wantXMLError(t, r, err, "ILLEGAL_SIGN")

	m := e.partner(md5PID)
	m.SignType, m.PrivateKey = "RSA", other
	r, err = m.Call("single_trade_query", map[string]string{"out_trade_no": "X"})
	wantXMLError(t, r, err, "ILLEGAL_SIGN_TYPE")
}

// TestLegacyPlainProductAndAntiPhishing: a partner with anti-phishing on
// needs a live key from query_timestamp (§1.7); its plain 即时到账 product
// pays straight into TRADE_FINISHED (§1.5).
func TestLegacyPlainProductAndAntiPhishing(t *testing.T) {
	e := newEnv(t)
	l := e.partner(plainPID)
	order := func(key string) (*http.Response, string) {
		p := e.directPay(plainPID, "LEGACY-PLAIN", "5.00")
		if key != "" {
			p["anti_phishing_key"] = key
		}
		return e.get(l.PageURL("create_direct_pay_by_user", p))
	}
	resp, body := order("")
	wantErrorPage(t, resp, body, "ILLEGAL_ANTI_PHISHING_KEY")
	resp, body = order("NOTAKEYFROMTHEGATEWAY")
	wantErrorPage(t, resp, body, "ILLEGAL_ANTI_PHISHING_KEY")

	// query_timestamp, unsigned as the demos send it.
	resp, body = e.get(e.app.URL + "/gateway.do?service=query_timestamp&partner=" + plainPID + "&_input_charset=utf-8")
	r, err := merchant.ParseXML([]byte(body))
	if err != nil || r.IsSuccess != "T" || r.Node != "timestamp" || len(r.Order) != 1 || r.Order[0] != "encrypt_key" {
		t.Fatalf("query_timestamp: %v %s", err, body)
	}
	if err := l.VerifyXML(r); err != nil {
		t.Errorf("query_timestamp answer does not verify: %v", err)
	}
	key := r.Fields["encrypt_key"]
	if key == "" || url.QueryEscape(key) != key {
		t.Errorf("encrypt_key %q must be URL-safe", key)
	}
	// Another partner's key is no key for this one.
	_, other := e.get(e.app.URL + "/gateway.do?service=query_timestamp&partner=" + md5PID + "&_input_charset=utf-8")
	otherR, _ := merchant.ParseXML([]byte(other))
	resp, body = order(otherR.Fields["encrypt_key"])
	wantErrorPage(t, resp, body, "ILLEGAL_ANTI_PHISHING_KEY")

	cashier, _ := e.openCashier(func() string {
		p := e.directPay(plainPID, "LEGACY-PLAIN", "5.00")
		p["anti_phishing_key"] = key
		return l.PageURL("create_direct_pay_by_user", p)
	}())
	resp, _ = e.press(cashier, "pay")
	ret := mustQuery(t, resp.Header.Get("Location"))
	if ret.Get("trade_status") != "TRADE_FINISHED" || l.Verify(ret) != nil {
		t.Errorf("plain product return: %v", ret)
	}
	if n := e.shop.next(t); n.Get("trade_status") != "TRADE_FINISHED" || l.Verify(n) != nil {
		t.Errorf("plain product notification: %v", n)
	}

	// The key expires on the virtual clock.
	e.clock.Advance(31 * time.Minute)
	p := e.directPay(plainPID, "LEGACY-PLAIN-2", "5.00")
	p["anti_phishing_key"] = key
	resp, body = e.get(l.PageURL("create_direct_pay_by_user", p))
	wantErrorPage(t, resp, body, "ANTI_PHISHING_KEY_TIMEOUT")
}
