package smartwalle

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/smartwalle/alipay/v3"
)

// viaProxy is a transport through mockpay's proxy mode that trusts only the
// CA mockpay hands out at /_mockpay/ca.pem (issue 10).
func viaProxy(t *testing.T) *http.Transport {
	t.Helper()
	rsp, err := http.Get(baseURL + "/_mockpay/ca.pem")
	if err != nil {
		t.Fatal(err)
	}
	defer rsp.Body.Close()
	pem, _ := io.ReadAll(rsp.Body)
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(pem) {
		t.Fatalf("/_mockpay/ca.pem: %q", pem)
	}
	proxy, _ := url.Parse(baseURL)
	return &http.Transport{Proxy: http.ProxyURL(proxy), TLSClientConfig: &tls.Config{RootCAs: roots}}
}

// TestProductionGatewayThroughTheProxy: smartwalle in production mode with
// no gateway option — its default https://openapi.alipay.com/gateway.do —
// reaches mockpay through the proxy, and the buyer's browser follows.
func TestProductionGatewayThroughTheProxy(t *testing.T) {
	tr := viaProxy(t)
	c, err := alipay.New(app.AppID, app.AppPrivateKeyPEM, true, alipay.WithHTTPClient(&http.Client{Timeout: 30 * time.Second, Transport: tr}))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.LoadAliPayPublicKey(app.AlipayPublicKeyPEM); err != nil {
		t.Fatal(err)
	}
	sc := &sdkClient{Client: c}
	o := newOrder("PROXY", "12.3", "12.30")
	var p alipay.TradePagePay
	p.NotifyURL, p.ReturnURL = theShop.notifyURL(), theShop.returnURL()
	p.Subject, p.OutTradeNo, p.TotalAmount, p.ProductCode = testSubject, o.OutTradeNo, o.Amount, "FAST_INSTANT_TRADE_PAY"
	payURL, err := c.TradePagePay(p)
	if err != nil {
		t.Fatal(err)
	}
	if payURL.Host != "openapi.alipay.com" {
		t.Fatalf("the production pay URL is %s", payURL)
	}
	b := newBrowser(t)
	b.hc.Transport = tr
	cs := b.openPayURL(t, payURL)
	if cs.URL.Host != "openapi.alipay.com" {
		t.Errorf("the cashier is on %s, want the host the SDK named", cs.URL.Host)
	}
	ret := checkReturn(t, sc, cs.pay(t, b), o, "alipay.trade.page.pay.return")
	checkPaidNotification(t, o, ret.Get("trade_no"))

	q, err := c.TradeQuery(context.Background(), alipay.TradeQuery{OutTradeNo: o.OutTradeNo})
	if err != nil {
		t.Fatalf("TradeQuery through the proxy: %v", err)
	}
	if q.TradeStatus != alipay.TradeStatusSuccess || q.TotalAmount != o.Want {
		t.Errorf("TradeQuery: %+v", q)
	}
}
