package smartwalle

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/smartwalle/alipay/v3"
)

// certMaterial is a cert-mode app with its certificate files, as a merchant
// downloads them from mockpay.
type certMaterial struct {
	AppID, PrivateKey           string
	AppCert, AlipayCert, Bundle string
}

func getJSON(t *testing.T, u string, v any) {
	t.Helper()
	rsp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer rsp.Body.Close()
	body, _ := io.ReadAll(rsp.Body)
	if rsp.StatusCode != http.StatusOK || json.Unmarshal(body, v) != nil {
		t.Fatalf("GET %s: HTTP %d %s", u, rsp.StatusCode, body)
	}
}

func fetchCertApp(t *testing.T) certMaterial {
	t.Helper()
	var apps []struct {
		AppID      string `json:"app_id"`
		KeyMode    string `json:"key_mode"`
		PrivateKey string `json:"app_private_key_pem"`
	}
	getJSON(t, baseURL+"/_mockpay/api/apps", &apps)
	for _, a := range apps {
		if a.KeyMode != "cert" {
			continue
		}
		var files struct {
			Files map[string]string `json:"files"`
		}
		getJSON(t, baseURL+"/_mockpay/api/apps/"+a.AppID+"/certs", &files)
		read := func(name string) string {
			u, ok := files.Files[name]
			if !ok {
				t.Fatalf("no certificate file %s in %v", name, files.Files)
			}
			rsp, err := http.Get(u)
			if err != nil {
				t.Fatal(err)
			}
			defer rsp.Body.Close()
			b, _ := io.ReadAll(rsp.Body)
			return string(b)
		}
		return certMaterial{AppID: a.AppID, PrivateKey: a.PrivateKey,
			AppCert: read("appCertPublicKey_" + a.AppID + ".crt"), AlipayCert: read("alipayCertPublicKey_RSA2.crt"), Bundle: read("alipayRootCert.crt")}
	}
	t.Fatal("GET /_mockpay/api/apps lists no app with key_mode cert")
	return certMaterial{}
}

// newCertClient is the SDK in certificate mode. With withAlipayCert false
// it is a production-mode client that must fetch the platform certificate
// by SN (alipay.open.app.alipaycert.download, protocol §2.4).
func newCertClient(t *testing.T, m certMaterial, withAlipayCert bool) *sdkClient {
	t.Helper()
	rt := &recordingTransport{}
	opts := []alipay.OptionFunc{alipay.WithHTTPClient(&http.Client{Timeout: 30 * time.Second, Transport: rt})}
	production := !withAlipayCert
	if production {
		opts = append(opts, alipay.WithProductionGateway(gatewayURL))
	} else {
		opts = append(opts, alipay.WithSandboxGateway(gatewayURL))
	}
	c, err := alipay.New(m.AppID, m.PrivateKey, production, opts...)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.LoadAppCertPublicKey(m.AppCert); err != nil {
		t.Fatalf("LoadAppCertPublicKey: %v", err)
	}
	if err := c.LoadAliPayRootCert(m.Bundle); err != nil {
		t.Fatalf("LoadAliPayRootCert: %v", err)
	}
	if withAlipayCert {
		if err := c.LoadAlipayCertPublicKey(m.AlipayCert); err != nil {
			t.Fatalf("LoadAlipayCertPublicKey: %v", err)
		}
	}
	return &sdkClient{Client: c, rt: rt}
}

// Certificate mode end to end (protocol §2.4): the SDK computes app_cert_sn
// and alipay_root_cert_sn from mockpay's files (the bundle's ECC root is
// skipped), verifies responses by alipay_cert_sn, fetches the platform
// certificate by SN in production mode, and verifies returns and
// notifications; a public-key client is refused.
func TestCertMode(t *testing.T) {
	m := fetchCertApp(t)
	c := newCertClient(t, m, true)

	o := newOrder("CERT", "4.2", "4.20")
	var p alipay.TradePagePay
	p.NotifyURL, p.ReturnURL = theShop.notifyURL(), theShop.returnURL()
	p.Subject, p.OutTradeNo, p.TotalAmount, p.ProductCode = testSubject, o.OutTradeNo, o.Amount, "FAST_INSTANT_TRADE_PAY"
	u, err := c.TradePagePay(p)
	if err != nil {
		t.Fatal(err)
	}
	if q := u.Query(); q.Get("app_cert_sn") == "" || q.Get("alipay_root_cert_sn") == "" || strings.Contains(q.Get("alipay_root_cert_sn"), "_") {
		t.Fatalf("the SDK's cert SNs: app_cert_sn=%q alipay_root_cert_sn=%q (one RSA root expected)", q.Get("app_cert_sn"), q.Get("alipay_root_cert_sn"))
	}
	b := newBrowser(t)
	loc := b.openPayURL(t, u).pay(t, b)
	ret := loc.Query()
	if err := verifySign(c.Client, ret); err != nil {
		t.Errorf("VerifySign of the cert-mode return: %v", err)
	}
	n := theShop.waitNotification(t, o.OutTradeNo, 15*time.Second)
	if n.Form.Has("alipay_cert_sn") {
		t.Errorf("notification carries alipay_cert_sn (protocol §3.3: never)")
	}
	if _, err := decodeNotification(c.Client, n.Form); err != nil {
		t.Errorf("DecodeNotification (cert mode) of the notification: %v\n%s", err, dumpValues(n.Form))
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	q, err := c.TradeQuery(ctx, alipay.TradeQuery{OutTradeNo: o.OutTradeNo})
	if err != nil || q.TradeStatus != alipay.TradeStatusSuccess {
		t.Fatalf("TradeQuery in cert mode: %v %+v\n%s", err, q, c.lastExchange())
	}
	if !strings.Contains(c.lastExchange(), `},"alipay_cert_sn":"`) {
		t.Errorf("the response does not put alipay_cert_sn after the node:\n%s", c.lastExchange())
	}
	rf, err := c.TradeRefund(ctx, alipay.TradeRefund{OutTradeNo: o.OutTradeNo, RefundAmount: "4.20", OutRequestNo: "R1"})
	if err != nil || rf.RefundFee != "4.20" {
		t.Errorf("TradeRefund in cert mode: %v %+v\n%s", err, rf, c.lastExchange())
	}

	// Production mode without the platform certificate: the SDK downloads it
	// by the SN the response names, then verifies.
	prod := newCertClient(t, m, false)
	q, err = prod.TradeQuery(ctx, alipay.TradeQuery{OutTradeNo: o.OutTradeNo})
	if err != nil || q.TradeStatus != alipay.TradeStatusClosed {
		t.Errorf("TradeQuery with the certificate downloaded by SN: %v %+v\n%s", err, q, prod.lastExchange())
	}
	dl, err := prod.CertDownload(ctx, alipay.CertDownload{AliPayCertSN: "00000000000000000000000000000000"})
	if err != nil || dl.SubCode != "ALIPAY_CERT_NOT_EXIST" {
		t.Errorf("CertDownload of an unknown SN: %v %+v", err, dl)
	}

	// A public-key client for a cert-mode app is refused with the
	// platform's code (the SDK, in public-key mode, also rejects the
	// answer's alipay_cert_sn).
	rt := &recordingTransport{}
	pk, err := alipay.New(m.AppID, m.PrivateKey, false, alipay.WithSandboxGateway(gatewayURL), alipay.WithHTTPClient(&http.Client{Transport: rt}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pk.TradeQuery(ctx, alipay.TradeQuery{OutTradeNo: o.OutTradeNo}); err == nil || !strings.Contains(rt.last(), "isv.missing-app-cert-sn") {
		t.Errorf("public-key client against a cert-mode app: %v\n%s", err, rt.last())
	}
}
