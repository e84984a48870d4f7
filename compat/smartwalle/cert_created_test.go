package smartwalle

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/smartwalle/alipay/v3"
)

// createCertApp creates an app in certificate mode through the control API
// (issue 12 item 6) and downloads its files, issued by mockpay's local CA.
func createCertApp(t *testing.T) (certMaterial, map[string]string) {
	t.Helper()
	rsp, err := http.Post(baseURL+"/_mockpay/api/apps", "application/json", bytes.NewReader([]byte(`{"name":"smartwalle cert shop","key_mode":"certificate"}`)))
	if err != nil {
		t.Fatal(err)
	}
	defer rsp.Body.Close()
	body, _ := io.ReadAll(rsp.Body)
	var a map[string]string
	if rsp.StatusCode != http.StatusCreated || json.Unmarshal(body, &a) != nil || a["key_mode"] != "cert" {
		t.Fatalf("POST /_mockpay/api/apps key_mode certificate: HTTP %d %s", rsp.StatusCode, body)
	}
	var certs struct {
		Files map[string]string `json:"files"`
	}
	getJSON(t, baseURL+"/_mockpay/api/apps/"+a["app_id"]+"/certs", &certs)
	file := map[string]string{}
	for name, u := range certs.Files {
		r, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(r.Body)
		r.Body.Close()
		file[name] = string(b)
	}
	return certMaterial{AppID: a["app_id"], PrivateKey: a["app_private_key_pem"], AppCert: file["appCertPublicKey_"+a["app_id"]+".crt"],
		AlipayCert: file["alipayCertPublicKey_RSA2.crt"], Bundle: file["alipayRootCert.crt"]}, a
}

// A created cert-mode app with smartwalle's LoadAppCertPublicKey,
// LoadAliPayRootCert and LoadAlipayCertPublicKey: the SNs it computes are
// the apps API's, and a page pay, its return and notification, and queries
// (with the platform certificate loaded, and fetched by SN in production
// mode) all verify.
func TestCreatedCertApp(t *testing.T) {
	m, app := createCertApp(t)
	c := newCertClient(t, m, true)

	o := newOrder("CCRT", "2.5", "2.50")
	var p alipay.TradePagePay
	p.NotifyURL, p.ReturnURL = theShop.notifyURL(), theShop.returnURL()
	p.Subject, p.OutTradeNo, p.TotalAmount, p.ProductCode = testSubject, o.OutTradeNo, o.Amount, "FAST_INSTANT_TRADE_PAY"
	u, err := c.TradePagePay(p)
	if err != nil {
		t.Fatal(err)
	}
	if q := u.Query(); q.Get("app_cert_sn") != app["app_cert_sn"] || q.Get("alipay_root_cert_sn") != app["alipay_root_cert_sn"] {
		t.Fatalf("the SDK's SNs %q %q, the apps API's %q %q", q.Get("app_cert_sn"), q.Get("alipay_root_cert_sn"), app["app_cert_sn"], app["alipay_root_cert_sn"])
	}
	b := newBrowser(t)
	loc := b.openPayURL(t, u).pay(t, b)
	if err := verifySign(c.Client, loc.Query()); err != nil {
		t.Errorf("VerifySign of the return: %v", err)
	}
	n := theShop.waitNotification(t, o.OutTradeNo, 15*time.Second)
	if _, err := decodeNotification(c.Client, n.Form); err != nil {
		t.Errorf("DecodeNotification: %v\n%s", err, dumpValues(n.Form))
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	q, err := c.TradeQuery(ctx, alipay.TradeQuery{OutTradeNo: o.OutTradeNo})
	if err != nil || q.TradeStatus != alipay.TradeStatusSuccess {
		t.Fatalf("TradeQuery: %v %+v\n%s", err, q, c.lastExchange())
	}
	prod := newCertClient(t, m, false)
	q, err = prod.TradeQuery(ctx, alipay.TradeQuery{OutTradeNo: o.OutTradeNo})
	if err != nil || q.TradeStatus != alipay.TradeStatusSuccess {
		t.Errorf("TradeQuery with the certificate fetched by SN: %v %+v\n%s", err, q, prod.lastExchange())
	}
}
