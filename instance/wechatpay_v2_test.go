package instance_test

import (
	"context"
	"crypto/tls"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mockpay/mockpay/channel/wechatpay/kit"
	"github.com/mockpay/mockpay/controlapi"
	"github.com/mockpay/mockpay/instance"
	"github.com/mockpay/mockpay/internal/merchant"
)

// paidV2 orders out_trade_no through APIv2 and pays it through the control
// API, the notification going nowhere (no notify_url is reachable: the
// shop of the env).
func (e *env) paidV2(c *merchant.WeChatV2, otn string) {
	e.t.Helper()
	a, err := c.Call("/pay/unifiedorder", "MD5", map[string]string{"body": "v2", "out_trade_no": otn, "total_fee": "300",
		"spbill_create_ip": "127.0.0.1", "notify_url": e.shop.URL + "/notify", "trade_type": "NATIVE"})
	if err != nil || a.Code() != "" {
		e.t.Fatalf("unifiedorder: %v %s", err, a.Raw)
	}
	if code := e.api("POST", "/apps/"+c.MchID+"/orders/"+otn+"/pay", nil, nil); code != http.StatusOK {
		e.t.Fatalf("pay: %d", code)
	}
}

// TestWechatpayV2Journal: APIv2 calls reach the request journal with their
// verdicts; a bad signature carries the diagnosis, whose canonical string
// names the key's place but never the key (issue 14 item 2).
func TestWechatpayV2Journal(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	c := e.wxV2(kit.ModeCertificate)
	api := controlapi.New(e.app.URL)
	before, err := api.Requests(ctx, controlapi.RequestFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if a, err := c.Call("/pay/orderquery", "HMAC-SHA256", map[string]string{"out_trade_no": "V2J0000001"}); err != nil || a.Code() != "ORDERNOTEXIST" {
		t.Fatalf("orderquery: %v %s", err, a.Raw)
	}
	bad := *c
	bad.Key = strings.Repeat("k", 32)
	if a, err := bad.Call("/pay/orderquery", "MD5", map[string]string{"out_trade_no": "V2J0000001"}); err != nil || a.Code() != "签名错误" {
		t.Fatalf("bad signature: %v %s", err, a.Raw)
	}
	got, err := api.Requests(ctx, controlapi.RequestFilter{AppID: c.MchID, Since: before.Next})
	if err != nil || len(got.Requests) != 2 {
		t.Fatalf("journal: %+v %v", got, err)
	}
	refused, badSig := got.Requests[0], got.Requests[1]
	if refused.Path != "/pay/orderquery" || refused.Verdict != "rejected" || refused.Code != "ORDERNOTEXIST" {
		t.Errorf("refused query: %+v", refused)
	}
	if badSig.Verdict != "rejected" || badSig.Code != "FAIL" || badSig.Diagnosis == nil ||
		!strings.Contains(badSig.Diagnosis.Canonical, "out_trade_no=V2J0000001") || !strings.HasSuffix(badSig.Diagnosis.Canonical, "&key=<APIv2 key>") {
		t.Errorf("bad signature entry: %+v", badSig)
	}
	_, raw := e.get(e.app.URL + "/_mockpay/api/requests")
	if strings.Contains(raw, c.Key) || strings.Contains(raw, bad.Key) {
		t.Error("the journal holds an APIv2 key")
	}
}

// TestWechatpayV2Dashboard: a v2 trade and its notification show in the
// control API in WeChat Pay's words, as any channel's (issue 14 item 3).
func TestWechatpayV2Dashboard(t *testing.T) {
	e := newEnv(t)
	c := e.wxV2(kit.ModePublicKey)
	e.shop.setAnswer(func(int) (int, string) {
		return 200, `<xml><return_code><![CDATA[SUCCESS]]></return_code><return_msg><![CDATA[OK]]></return_msg></xml>`
	})
	e.paidV2(c, "V2D0000001")
	e.shop.next(t)
	e.shop.mu.Lock()
	body := e.shop.raw[len(e.shop.raw)-1]
	e.shop.mu.Unlock()
	if !strings.Contains(body, "<out_trade_no><![CDATA[V2D0000001]]></out_trade_no>") {
		t.Fatalf("notification: %s", body)
	}
	var trades []map[string]any
	e.api("GET", "/trades?out_trade_no=V2D0000001", nil, &trades)
	if len(trades) != 1 || trades[0]["status"] != "SUCCESS" || trades[0]["app_id"] != c.MchID {
		t.Fatalf("trades: %v", trades)
	}
	tradeNo := trades[0]["trade_no"].(string)
	var n map[string]any
	if code := e.api("GET", "/notifications/wait?trade_no="+tradeNo+"&status=acked&timeout=10s", nil, &n); code != http.StatusOK {
		t.Fatalf("the XML SUCCESS answer does not acknowledge: %d %v", code, n)
	}
	// A refund notification's req_info is shown decrypted beside its body.
	if a, err := c.Call("/secapi/pay/refund", "MD5", map[string]string{"out_trade_no": "V2D0000001", "out_refund_no": "V2D0000001-R",
		"total_fee": "300", "refund_fee": "100", "notify_url": e.shop.URL + "/notify"}); err != nil || a.Code() != "" {
		t.Fatalf("refund: %v %s", err, a.Raw)
	}
	e.shop.next(t)
	var list []map[string]any
	e.api("GET", "/trades/"+tradeNo+"/notifications", nil, &list)
	revealed := false
	for _, n := range list {
		p, _ := n["payload"].(string)
		revealed = revealed || strings.Contains(p, "<out_refund_no><![CDATA[V2D0000001-R]]></out_refund_no>")
	}
	if len(list) != 2 || !revealed {
		t.Errorf("notifications of the trade: %v", list)
	}
	_, page := e.get(e.app.URL + "/_mockpay/trades/" + tradeNo)
	if !strings.Contains(page, "V2D0000001") || !strings.Contains(page, "SUCCESS") {
		t.Errorf("the dashboard's trade page does not show the v2 trade")
	}
}

// TestWechatpayV2ClientCert: with --wechatpay-v2-client-cert, refund needs
// the merchant's API certificate as the TLS client certificate (P-V2-7);
// other paths do not.
func TestWechatpayV2ClientCert(t *testing.T) {
	e := newEnvWithConfig(t, nil, func(cfg *instance.Config) {
		cfg.TLSAddr = "127.0.0.1:0"
		cfg.WechatV2ClientCert = true
	})
	var apps []map[string]string
	e.api("GET", "/apps", nil, &apps)
	certs := map[string]tls.Certificate{}
	for _, a := range apps {
		if a["protocol"] == "wechatpay" {
			pair, err := tls.X509KeyPair([]byte(a["merchant_certificate_pem"]), []byte(a["merchant_private_key_pem"]))
			if err != nil {
				t.Fatal(err)
			}
			certs[a["platform_key_mode"]] = pair
		}
	}
	c := e.wxV2(kit.ModeCertificate)
	e.paidV2(c, "V2C0000001")
	over := func(cert *tls.Certificate) *merchant.WeChatV2 {
		tc := &tls.Config{InsecureSkipVerify: true} // gopay does the same (§4.2)
		if cert != nil {
			tc.Certificates = []tls.Certificate{*cert}
		}
		h := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: tc}}
		return &merchant.WeChatV2{BaseURL: e.app.TLSURL, AppID: c.AppID, MchID: c.MchID, Key: c.Key, HTTP: h}
	}
	refund := func(m *merchant.WeChatV2, no string) merchant.V2Answer {
		a, err := m.Call("/secapi/pay/refund", "MD5", map[string]string{"out_trade_no": "V2C0000001", "out_refund_no": no,
			"total_fee": "300", "refund_fee": "100"})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	own, other := certs[kit.ModeCertificate], certs[kit.ModePublicKey]
	for name, m := range map[string]*merchant.WeChatV2{"plain HTTP": c, "HTTPS without a certificate": over(nil), "another merchant's certificate": over(&other)} {
		if a := refund(m, "R1"); a.Fields["return_code"] != "FAIL" || !strings.Contains(a.Fields["return_msg"], "证书") {
			t.Errorf("%s: %s", name, a.Raw)
		}
	}
	if a := refund(over(&own), "R1"); a.Code() != "" || a.Fields["refund_fee"] != "100" {
		t.Errorf("with the merchant's certificate: %s", a.Raw)
	}
	// Only /secapi/ asks: a query over plain HTTP is served.
	if a, err := c.Call("/pay/orderquery", "MD5", map[string]string{"out_trade_no": "V2C0000001"}); err != nil || a.Fields["trade_state"] != "REFUND" {
		t.Errorf("orderquery: %v %s", err, a.Raw)
	}
}

// TestWechatpayV2RefundNotifyURL: APIv2 notifies a refund only when the
// refund request named notify_url (§1.8), never at the order's.
func TestWechatpayV2RefundNotifyURL(t *testing.T) {
	e := newEnv(t)
	c := e.wxV2(kit.ModeCertificate)
	e.paidV2(c, "V2N0000001")
	e.shop.next(t) // the pay notification
	if a, err := c.Call("/secapi/pay/refund", "HMAC-SHA256", map[string]string{"out_trade_no": "V2N0000001", "out_refund_no": "V2N0000001-R",
		"total_fee": "300", "refund_fee": "100"}); err != nil || a.Code() != "" {
		t.Fatalf("refund: %v %s", err, a.Raw)
	}
	e.shop.none(t, e)
	var list []map[string]any
	e.api("GET", "/notifications?out_trade_no=V2N0000001", nil, &list)
	for _, n := range list {
		if n["kind"] == "refund" {
			t.Errorf("a refund without notify_url was notified: %v", n)
		}
	}
}
