package gopay

import (
	"context"
	"testing"

	"github.com/go-pay/gopay"
	"github.com/go-pay/gopay/alipay"
)

// TestCertModeThroughTheProxy: gopay in certificate mode, with the files a
// merchant downloads from mockpay, computes the SNs itself and checks the
// answers' signatures against the platform certificate.
func TestCertModeThroughTheProxy(t *testing.T) {
	ctx := context.Background()
	a := appWith(t, "cert")
	var certs struct {
		Files map[string]string `json:"files"`
	}
	if err := getJSON(baseURL+"/_mockpay/api/apps/"+a.AppID+"/certs", &certs); err != nil {
		t.Fatal(err)
	}
	read := func(name string) []byte {
		u, ok := certs.Files[name]
		if !ok {
			t.Fatalf("no %s in %v", name, certs.Files)
		}
		body, err := get(u)
		if err != nil {
			t.Fatal(err)
		}
		return []byte(body)
	}
	appCert, alipayCert, root := read("appCertPublicKey_"+a.AppID+".crt"), read("alipayCertPublicKey_RSA2.crt"), read("alipayRootCert.crt")

	s := newShop(t)
	c, err := alipay.NewClient(a.AppID, bare(a.AppPrivateKeyPEM), true)
	if err != nil {
		t.Fatal(err)
	}
	c.SetCharset(alipay.UTF8).SetSignType(alipay.RSA2).SetNotifyUrl(s.URL + "/notify").SetReturnUrl(s.URL + "/return")
	if err := c.SetCertSnByContent(appCert, root, alipayCert); err != nil {
		t.Fatal(err)
	}
	c.AutoVerifySign(alipayCert)

	no := outTradeNo("K")
	payURL, err := c.TradePagePay(ctx, pageOrder(no, "3.20"))
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t)
	cashier, page := openCashier(t, b, payURL)
	back := pay(t, b, cashier, page)
	ret, err := alipay.ParseNotifyByURLValues(back.Query())
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := alipay.VerifySignWithCert(alipayCert, ret); !ok || err != nil {
		t.Fatalf("gopay rejects the return's signature against the platform certificate: %v %v", ok, err)
	}
	n := s.wait(t, no)
	if ok, err := alipay.VerifySignWithCert(alipayCert, n); !ok || err != nil {
		t.Fatalf("gopay rejects the notification against the platform certificate: %v %v", ok, err)
	}
	q, err := c.TradeQuery(ctx, gopay.BodyMap{}.Set("out_trade_no", no))
	if err != nil {
		t.Fatalf("query: %v", err)
	}
	if q.Response.TradeStatus != "TRADE_SUCCESS" || q.AlipayCertSn == "" {
		t.Errorf("query in cert mode: %+v (alipay_cert_sn %q)", q.Response, q.AlipayCertSn)
	}
}
