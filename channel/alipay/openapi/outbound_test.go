package openapi_test

import (
	"crypto/rsa"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/mockpay/mockpay/channel/alipay/kit"
	"github.com/mockpay/mockpay/channel/alipay/openapi"
	"github.com/mockpay/mockpay/payment"
)

// Fixed instants: 19:59 UTC on 1 May is 03:59 on 2 May in GMT+8, so a time
// formatted in UTC instead of GMT+8 shows up as a golden diff (§3.2).
var (
	created    = time.Date(2026, 5, 1, 19, 59, 0, 0, time.UTC)
	paid       = created.Add(65 * time.Second)
	notifyTime = time.Date(2026, 5, 1, 20, 0, 7, 0, time.UTC)
)

// paidTrade is a page.pay trade just paid by the sandbox buyer.
func paidTrade(app *payment.App) payment.Trade {
	return payment.Trade{
		TradeNo: "2026050222001400000000000001",
		Order: payment.Order{
			AppID:          app.AppID,
			PID:            app.PID,
			OutTradeNo:     "ORDER-20260502-0001",
			Subject:        "测试商品 iPhone 15 <蓝色>",
			Body:           "128G + 保护壳",
			Total:          1350,
			Product:        payment.ProductPagePay,
			ProductCode:    openapi.ProductCodePage,
			NotifyURL:      "https://shop.example.com/alipay/notify",
			ReturnURL:      "https://shop.example.com/alipay/return",
			PassbackParams: "order%3D1%26user%3D2", // merchant-encoded, returned verbatim (§3.2)
			Charset:        "utf-8",
			SignType:       "RSA2",
		},
		Status:     payment.StatusPaid,
		BuyerID:    "2088102177846880",
		BuyerLogon: "buy***@sandbox.com",
		CreatedAt:  created,
		PaidAt:     paid,
	}
}

// checkSignedForm reads a form body the way a merchant does and checks the
// rules of §3.3 with its own verifier: one non-empty value per key, no
// alipay_cert_sn, and a sign over every field but sign and sign_type.
func checkSignedForm(t *testing.T, body string, pub *rsa.PublicKey, signType string) map[string]string {
	t.Helper()
	vals, err := url.ParseQuery(body)
	if err != nil {
		t.Fatalf("body is not a form: %v", err)
	}
	m := map[string]string{}
	for k, vs := range vals {
		if len(vs) != 1 {
			t.Errorf("%s sent %d times (gopay drops duplicated keys, §3.3)", k, len(vs))
		}
		if vs[0] == "" {
			t.Errorf("%s is empty (SDKs disagree on empty values, §3.3)", k)
		}
		m[k] = vs[0]
	}
	if _, ok := m["alipay_cert_sn"]; ok {
		t.Error("alipay_cert_sn present: public-key-mode smartwalle rejects it (§3.3)")
	}
	if m["sign_type"] != signType {
		t.Errorf("sign_type = %q, want %q", m["sign_type"], signType)
	}
	content := canonicalOf(m, "sign", "sign_type")
	if err := verifyRaw(pub, signType, []byte(content), m["sign"]); err != nil {
		t.Errorf("sign does not verify over %q: %v", content, err)
	}
	// sign_type is not signed (V1 rule): with it included the check fails.
	if verifyRaw(pub, signType, []byte(canonicalOf(m, "sign")), m["sign"]) == nil {
		t.Error("sign also verifies with sign_type included: it must be excluded (§3.3)")
	}
	return m
}

func sortedKeys(m map[string]string) string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return strings.Join(ks, ",")
}

// payFields are the fields of a pay-success notification (§3.2).
const payFields = "app_id,auth_app_id,body,buyer_id,buyer_logon_id,buyer_pay_amount,charset,fund_bill_list,gmt_create,gmt_payment,invoice_amount,notify_id,notify_time,notify_type,out_trade_no,passback_params,point_amount,receipt_amount,seller_email,seller_id,sign,sign_type,subject,total_amount,trade_no,trade_status,version"

func TestNotificationUTF8(t *testing.T) {
	app := fixtureApp(t, appRSA2)
	n := &payment.Notification{
		NotifyID: "2026050201220000000000000000000001",
		AppID:    app.AppID,
		Kind:     payment.KindTrade,
		Trade:    paidTrade(app),
	}
	p, err := openapi.NotificationParams(app, n, notifyTime)
	if err != nil {
		t.Fatal(err)
	}
	body := kit.EncodeForm(p, kit.UTF8)
	golden(t, "notification_utf8.golden", []byte(body))
	if nb, err := openapi.NotificationBody(app, n, notifyTime); err != nil || nb != body {
		t.Errorf("NotificationBody differs from EncodeForm(NotificationParams): %v", err)
	}

	m := checkSignedForm(t, body, platformPublic(t, appRSA2), "RSA2")
	if got := sortedKeys(m); got != payFields {
		t.Errorf("fields\n got %s\nwant %s", got, payFields)
	}
	want := map[string]string{
		"notify_time":     "2026-05-02 04:00:07", // GMT+8, the attempt time
		"gmt_create":      "2026-05-02 03:59:00",
		"gmt_payment":     "2026-05-02 04:00:05",
		"notify_type":     "trade_status_sync",
		"notify_id":       n.NotifyID,
		"trade_status":    "TRADE_SUCCESS",
		"total_amount":    "13.50",
		"point_amount":    "0.00",
		"charset":         "utf-8",
		"version":         "1.0",
		"app_id":          appRSA2,
		"auth_app_id":     appRSA2,
		"seller_id":       app.PID,
		"subject":         "测试商品 iPhone 15 <蓝色>",
		"passback_params": "order%3D1%26user%3D2",
		// A JSON string with camelCase keys amount, fundChannel (§3.2, §6.5 item 6).
		"fund_bill_list": `[{"amount":"13.50","fundChannel":"ALIPAYACCOUNT"}]`,
	}
	for k, v := range want {
		if m[k] != v {
			t.Errorf("%s = %q, want %q", k, m[k], v)
		}
	}
}

// TestNotificationGBKRSA: a gbk trade of an RSA (SHA1) app; the trade names
// no sign_type, so the app's is used. Values and the signed bytes are gbk.
func TestNotificationGBKRSA(t *testing.T) {
	app := fixtureApp(t, appRSA)
	tr := paidTrade(app)
	tr.Charset, tr.SignType = "GBK", ""
	tr.Body, tr.PassbackParams, tr.BuyerLogon = "", "", "" // absent fields are left out, not sent empty
	n := &payment.Notification{NotifyID: "2026050201220000000000000000000002", AppID: app.AppID, Kind: payment.KindTrade, Trade: tr}
	body, err := openapi.NotificationBody(app, n, notifyTime)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "notification_gbk_rsa.golden", []byte(body))

	m := checkSignedForm(t, body, platformPublic(t, appRSA), "RSA")
	if want := gbkBytes(t, tr.Subject); m["subject"] != want {
		t.Errorf("subject = %q, want gbk bytes %q", m["subject"], want)
	}
	if m["charset"] != "GBK" {
		t.Errorf("charset = %q, want the trade's own GBK echoed (§3.1)", m["charset"])
	}
	for _, k := range []string{"body", "passback_params", "buyer_logon_id"} {
		if _, ok := m[k]; ok {
			t.Errorf("%s sent although the trade has none", k)
		}
	}
}

// returnKeys is the order real returns show (§3.6).
var returnKeys = []string{"charset", "out_trade_no", "method", "total_amount", "sign", "trade_no", "auth_app_id", "version", "app_id", "sign_type", "seller_id", "timestamp"}

func TestReturnParams(t *testing.T) {
	cases := []struct {
		name, golden, appID string
		product             payment.Product
		charset, signType   string
		method              string
		cs                  kit.Charset
	}{
		{"page utf-8 RSA2", "return_page_utf8.golden", appRSA2, payment.ProductPagePay, "utf-8", "RSA2", "alipay.trade.page.pay.return", kit.UTF8},
		{"wap gbk RSA", "return_wap_gbk_rsa.golden", appRSA, payment.ProductWapPay, "gbk", "RSA", "alipay.trade.wap.pay.return", kit.GBK},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			app := fixtureApp(t, c.appID)
			tr := paidTrade(app)
			tr.Product, tr.Charset, tr.SignType = c.product, c.charset, c.signType
			tr.OutTradeNo = "订单-1" // exercises the charset in a signed value
			p, err := openapi.ReturnParams(app, &tr, notifyTime)
			if err != nil {
				t.Fatal(err)
			}
			body := kit.EncodeForm(p, c.cs)
			golden(t, c.golden, []byte(body))

			var keys []string
			for _, kv := range p {
				keys = append(keys, kv.Key)
			}
			if strings.Join(keys, ",") != strings.Join(returnKeys, ",") {
				t.Errorf("keys %v, want %v (§3.6)", keys, returnKeys)
			}
			m := checkSignedForm(t, body, platformPublic(t, c.appID), c.signType)
			want := map[string]string{
				"method":       c.method,
				"charset":      c.charset,
				"total_amount": "13.50",
				"timestamp":    "2026-05-02 04:00:07",
				"out_trade_no": string(kit.Encode("订单-1", c.cs)),
				"seller_id":    app.PID,
			}
			for k, v := range want {
				if m[k] != v {
					t.Errorf("%s = %q, want %q", k, m[k], v)
				}
			}
			// Only the notification carries these (§3.6).
			for _, k := range []string{"passback_params", "trade_status"} {
				if _, ok := m[k]; ok {
					t.Errorf("%s in a sync return", k)
				}
			}
		})
	}
}

// TestReturnURL: the signed parameters are appended to the shop's
// return_url, whatever query it already had.
func TestReturnURL(t *testing.T) {
	app := fixtureApp(t, appRSA2)
	tr := paidTrade(app)
	got, err := openapi.ReturnURL(app, &tr, notifyTime)
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(got)
	if err != nil {
		t.Fatal(err)
	}
	if u.Scheme+"://"+u.Host+u.Path != tr.ReturnURL {
		t.Errorf("ReturnURL = %s, want it on %s", got, tr.ReturnURL)
	}
	checkSignedForm(t, u.RawQuery, platformPublic(t, appRSA2), "RSA2")

	tr.ReturnURL = "https://shop.example.com/alipay/return?from=cashier"
	got, err = openapi.ReturnURL(app, &tr, notifyTime)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(got, tr.ReturnURL+"&charset=utf-8&out_trade_no=") {
		t.Errorf("ReturnURL = %s, want the shop's query first, then the return params", got)
	}
}
