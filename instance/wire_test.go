package instance_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/mockpay/mockpay/internal/merchant"
)

// TestGBKMerchant: a gbk merchant signs and encodes gbk bytes; everything
// mockpay sends back is gbk too, signed over the gbk bytes (§2.3 Charset).
func TestGBKMerchant(t *testing.T) {
	e := newEnv(t)
	e.m.Charset = "gbk"
	biz := pageBiz("GBK-1", "9.90")
	biz["subject"] = "中文商品"
	cashier, html := e.openCashier(e.m.PageURL("alipay.trade.page.pay", biz, e.urls()))
	if !strings.Contains(html, "中文商品") {
		t.Fatalf("cashier does not show the gbk subject decoded")
	}
	resp, _ := e.press(cashier, "pay")
	loc := resp.Header.Get("Location")
	ret := mustQuery(t, loc) // url.Query keeps the raw gbk bytes
	if ret.Get("charset") != "gbk" || e.m.VerifyParams(ret) != nil {
		t.Fatalf("gbk return does not verify: %s", loc)
	}

	n := e.shop.next(t)
	if err := e.m.VerifyParams(n); err != nil {
		t.Fatalf("gbk notification does not verify: %v", err)
	}
	if got := merchant.FromGBK(n.Get("subject")); got != "中文商品" {
		t.Errorf("notification subject %q", got)
	}
	if !strings.Contains(e.shop.raw[0], "subject="+url.QueryEscape(string([]byte{0xd6, 0xd0, 0xce, 0xc4, 0xc9, 0xcc, 0xc6, 0xb7}))) {
		t.Errorf("notification body is not gbk percent-encoded: %s", e.shop.raw[0])
	}

	r, err := e.m.Call("alipay.trade.query", map[string]string{"out_trade_no": "GBK-1"}, nil)
	if err != nil || !r.Verified || r.Str("subject") != "中文商品" {
		t.Fatalf("gbk query: %v %v %q", err, r, r.Str("subject"))
	}
	if strings.Contains(string(r.Raw), "中文") {
		t.Error("gbk response body carries utf-8 text")
	}
}

// TestNodeSDKShape: common parameters and sign in the query string,
// biz_content in the body, empty values signed as k= (§2.1, §6.3).
func TestNodeSDKShape(t *testing.T) {
	e := newEnv(t)
	e.m.SignEmpty = true
	v := e.m.Params("alipay.trade.query", map[string]string{"out_trade_no": "NODE-1"}, map[string]string{"app_auth_token": ""})
	v.Del("format") // the Node SDK never sends it
	v.Set("sign", e.m.Sign(v))
	body := url.Values{"biz_content": {v.Get("biz_content")}}
	v.Del("biz_content")
	resp, err := e.m.HTTP.Post(e.m.Gateway+"?"+v.Encode(), "application/x-www-form-urlencoded;charset=UTF-8", strings.NewReader(body.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	r, err := e.m.Decode("alipay.trade.query", []byte(readAll(t, resp)))
	if err != nil || r.SubCode() != "ACQ.TRADE_NOT_EXIST" {
		t.Errorf("node-shaped call: %v %v", err, r)
	}
}

// TestGopayShape: gopay posts everything in the body and repeats charset in
// the query; the duplicate counts once (§2.1, §2.3).
func TestGopayShape(t *testing.T) {
	e := newEnv(t)
	v := e.m.Params("alipay.trade.query", map[string]string{"out_trade_no": "GOPAY-1"}, nil)
	resp, err := e.m.HTTP.Post(e.m.Gateway+"?charset=utf-8", "application/x-www-form-urlencoded", strings.NewReader(v.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	raw := readAll(t, resp)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(raw, `{"alipay_trade_query_response":{"code":"40004"`) || !strings.HasSuffix(raw, `"}`) {
		t.Fatalf("gopay-shaped call: %d %s", resp.StatusCode, raw)
	}
	// gopay cuts the signed part between `_response":` and `,"sign":`: the
	// body must be compact, node first, sign last (§6.2).
	if !strings.Contains(raw, `},"sign":"`) || strings.Count(raw, `,"sign":`) != 1 {
		t.Errorf("body shape breaks gopay's extraction: %s", raw)
	}
}

// TestRSAApp: an app registered for RSA (SHA1) signs and is answered in SHA1.
func TestRSAApp(t *testing.T) {
	e := newEnv(t)
	m := e.merchant("2021000122600002")
	r, err := m.Call("alipay.trade.query", map[string]string{"out_trade_no": "RSA-1"}, nil)
	if err != nil || !r.Verified || r.SubCode() != "ACQ.TRADE_NOT_EXIST" {
		t.Fatalf("RSA app: %v %v", err, r)
	}
	m.SignType = "RSA2"
	r, _ = m.Call("alipay.trade.query", map[string]string{"out_trade_no": "RSA-1"}, nil)
	if r.SubCode() != "isv.missing-signature-config" {
		t.Errorf("RSA2 on an RSA app: %s", r.Raw)
	}
}
