package gopayv2

import (
	"context"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/go-pay/gopay"
	"github.com/go-pay/gopay/wechat"
)

// TestErrors: what the platform refuses, in its own words (§1.3, §1.10).
func TestErrors(t *testing.T) {
	ctx := context.Background()
	m := merchantFor(t, 0)
	c := client(m)

	// A wrong key: return_code FAIL, 签名错误, unsigned.
	bad := m
	bad.APIv2Key = strings.Repeat("x", 32)
	r, err := client(bad).UnifiedOrder(ctx, order(m, outTradeNo("GP2ER"), "MD5", "NATIVE", 1))
	if err != nil || r.ReturnCode != "FAIL" || r.ReturnMsg != "签名错误" || r.Sign != "" || r.ResultCode != "" {
		t.Errorf("bad signature: %+v %v", r, err)
	}

	// An unknown order.
	for _, st := range signTypes {
		bm := make(gopay.BodyMap)
		bm.Set("nonce_str", nonce()).Set("out_trade_no", "GP2NOSUCHORDER").Set("sign_type", st)
		q, qbm, err := c.QueryOrder(ctx, bm)
		if err != nil || q.ReturnCode != "SUCCESS" || q.ResultCode != "FAIL" || q.ErrCode != "ORDERNOTEXIST" || q.ErrCodeDes == "" {
			t.Errorf("%s: query of an unknown order: %+v %v", st, q, err)
		}
		verify(t, "ORDERNOTEXIST", m.APIv2Key, st, q, qbm)
	}

	// The same out_trade_no with another amount.
	otn := outTradeNo("GP2RE")
	if r, err := c.UnifiedOrder(ctx, order(m, otn, "MD5", "NATIVE", 100)); err != nil || r.ResultCode != "SUCCESS" {
		t.Fatalf("unifiedorder: %+v %v", r, err)
	}
	if r, err := c.UnifiedOrder(ctx, order(m, otn, "MD5", "NATIVE", 200)); err != nil || r.ErrCode != "INVALID_REQUEST" {
		t.Errorf("re-entry with another amount: %+v %v", r, err)
	}
	if r, err := c.UnifiedOrder(ctx, order(m, otn, "MD5", "APP", 100)); err != nil || r.ErrCode != "OUT_TRADE_NO_USED" {
		t.Errorf("re-entry with another trade type: %+v %v", r, err)
	}

	// Malformed fields are refused before any business (return_code FAIL).
	for name, change := range map[string]func(gopay.BodyMap){
		"zero fee":             func(bm gopay.BodyMap) { bm.Set("total_fee", 0) },
		"JSAPI without openid": func(bm gopay.BodyMap) { bm.Set("trade_type", "JSAPI") },
		"bad notify_url":       func(bm gopay.BodyMap) { bm.Set("notify_url", "/relative") },
	} {
		bm := order(m, outTradeNo("GP2BF"), "HMAC-SHA256", "NATIVE", 1)
		change(bm)
		r, err := c.UnifiedOrder(ctx, bm)
		if err != nil || r.ReturnCode != "FAIL" || r.ReturnMsg == "" || r.Sign != "" {
			t.Errorf("%s: %+v %v", name, r, err)
		}
	}

	// A refund of an unpaid order.
	rbm := make(gopay.BodyMap)
	rbm.Set("nonce_str", nonce()).Set("out_trade_no", otn).Set("out_refund_no", otn+"R").Set("total_fee", 100).Set("refund_fee", 1)
	if r, _, err := c.Refund(ctx, rbm); err != nil || r.ResultCode != "FAIL" || r.ErrCode == "" {
		t.Errorf("refund of an unpaid order: %+v %v", r, err)
	}
	// An unknown refund.
	qbm := make(gopay.BodyMap)
	qbm.Set("nonce_str", nonce()).Set("out_refund_no", "GP2NOSUCHREFUND")
	if r, _, err := c.QueryRefund(ctx, qbm); err != nil || r.ErrCode != "REFUNDNOTEXIST" {
		t.Errorf("unknown refund: %+v %v", r, err)
	}
}

// TestMicropay: the magic payment codes (README).
func TestMicropay(t *testing.T) {
	ctx := context.Background()
	m := merchantFor(t, 0)
	c := client(m)
	pay := func(code string) *wechat.MicropayResponse {
		bm := make(gopay.BodyMap)
		bm.Set("nonce_str", nonce()).Set("body", "micropay").Set("out_trade_no", outTradeNo("GP2MP")).Set("total_fee", 1).
			Set("spbill_create_ip", "127.0.0.1").Set("auth_code", code).Set("sign_type", "HMAC-SHA256")
		r, err := c.Micropay(ctx, bm)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	if r := pay("134666666666666666"); r.ResultCode != "SUCCESS" || r.TransactionId == "" || r.TradeType != "MICROPAY" {
		t.Errorf("paid code: %+v", r)
	} else {
		verify(t, "micropay", m.APIv2Key, "HMAC-SHA256", r)
	}
	for code, want := range map[string]string{"134333333333333333": "USERPAYING", "134444444444444444": "NOTENOUGH",
		"134555555555555555": "AUTH_CODE_INVALID", "286666666666666666": "AUTH_CODE_ERROR"} {
		if r := pay(code); r.ResultCode != "FAIL" || r.ErrCode != want {
			t.Errorf("code %s: %+v, want %s", code, r, want)
		}
	}
}

// TestSandbox: the sandbox prefixes (§1.11). gopay's own sandbox mode
// (isProd=false) cannot be used with v1.5.123 against any platform: it
// fetches the key with a request whose answer it JSON-decodes, while
// getsignkey answers XML (gopay's xhttp.Req(TypeXML) keeps the JSON
// response type). A shop on the sandbox gets the key itself and points
// gopay's production mode at BaseURL + /sandboxnew with it, as here.
func TestSandbox(t *testing.T) {
	ctx := context.Background()
	m := merchantFor(t, 0)
	key := sandboxKey(t, m, "/sandboxnew/pay/getsignkey")
	if k2 := sandboxKey(t, m, "/xdc/apiv2getsignkey/sign/getsignkey"); k2 != key || len(key) != 32 {
		t.Errorf("the two getsignkey endpoints: %q %q", key, k2)
	}
	for _, prefix := range []string{"/sandboxnew", "/xdc/apiv2sandbox"} {
		c := wechat.NewClient(m.AppID, m.MchID, key, true)
		c.BaseURL = m.APIBaseURL + prefix
		otn := outTradeNo("GP2SB")
		r, err := c.UnifiedOrder(ctx, order(m, otn, "MD5", "NATIVE", 101))
		if err != nil || r.ReturnCode != "SUCCESS" || r.ResultCode != "SUCCESS" || r.CodeUrl == "" {
			t.Fatalf("%s unifiedorder: %+v %v", prefix, r, err)
		}
		verify(t, prefix+" unifiedorder", key, "MD5", r)
		bm := make(gopay.BodyMap)
		bm.Set("nonce_str", nonce()).Set("out_trade_no", otn)
		q, qbm, err := c.QueryOrder(ctx, bm)
		if err != nil || q.ResultCode != "SUCCESS" || q.TradeState != "NOTPAY" || q.TotalFee != "101" {
			t.Errorf("%s orderquery: %+v %v", prefix, q, err)
		}
		verify(t, prefix+" orderquery", key, "MD5", q, qbm)
		// The production key does not sign sandbox calls.
		prod := wechat.NewClient(m.AppID, m.MchID, m.APIv2Key, true)
		prod.BaseURL = m.APIBaseURL + prefix
		pbm := make(gopay.BodyMap)
		pbm.Set("nonce_str", nonce()).Set("out_trade_no", otn)
		if q, _, err := prod.QueryOrder(ctx, pbm); err != nil || q.ReturnCode != "FAIL" || q.ReturnMsg != "签名错误" {
			t.Errorf("%s with the production key: %+v %v", prefix, q, err)
		}
	}
}

// sandboxKey asks mockpay for the sandbox_signkey as the protocol says
// (§1.11): mch_id, nonce_str, MD5 sign with the production key.
func sandboxKey(t *testing.T, m merchant, path string) string {
	t.Helper()
	bm := make(gopay.BodyMap)
	bm.Set("mch_id", m.MchID).Set("nonce_str", nonce())
	bm.Set("sign", wechat.GetReleaseSign(m.APIv2Key, "MD5", bm))
	rsp, err := direct.Post(m.APIBaseURL+path, "text/xml", strings.NewReader(wechat.GenerateXml(bm)))
	if err != nil {
		t.Fatal(err)
	}
	defer rsp.Body.Close()
	var out struct {
		ReturnCode string `xml:"return_code"`
		Key        string `xml:"sandbox_signkey"`
	}
	if err := xml.NewDecoder(rsp.Body).Decode(&out); err != nil || out.ReturnCode != "SUCCESS" || out.Key == "" {
		t.Fatalf("getsignkey %s: %+v %v", path, out, err)
	}
	return out.Key
}
