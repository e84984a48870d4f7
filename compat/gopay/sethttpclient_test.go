//go:build gopay_sethttpclient

package gopay

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net"
	"net/http"
	"net/url"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-pay/gopay"
	"github.com/go-pay/gopay/alipay"
	"github.com/go-pay/gopay/pkg/xhttp"
)

// SetHttpClient is gopay's own way out of its compiled-in hosts (since
// about v1.5.105, alipay-protocol.md §0): the merchant hands it an HTTP
// client whose transport dials mockpay's HTTPS port for openapi.alipay.com
// and trusts mockpay's local CA, with no proxy anywhere (issue 12 item 8).
// v1.5.100 has no such option, so this file builds only with go.mod (build
// tag gopay_sethttpclient, `make test-compat-gopay`).

// setHTTPClient sends every connection of c to mockpay's --tls-addr and counts them.
func setHTTPClient(t *testing.T, c *alipay.Client) *atomic.Int64 {
	t.Helper()
	pem, err := os.ReadFile(caFile)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(pem) {
		t.Fatal("the CA file holds no certificate")
	}
	u, err := url.Parse(tlsURL)
	if err != nil || tlsURL == "" {
		t.Fatalf("mockpay's https URL %q: %v", tlsURL, err)
	}
	var dials atomic.Int64
	var d net.Dialer
	tr := &http.Transport{
		Proxy: nil, // whatever the environment says: no proxy
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if addr != "openapi.alipay.com:443" {
				t.Errorf("gopay dialed %s", addr)
			}
			dials.Add(1)
			return d.DialContext(ctx, network, u.Host)
		},
		// The leaf names openapi.alipay.com; only the local CA is trusted.
		TLSClientConfig:   &tls.Config{RootCAs: roots},
		ForceAttemptHTTP2: true,
	}
	c.SetHttpClient(xhttp.NewClient().SetTransport(tr).SetTimeout(30 * time.Second))
	return &dials
}

func TestSetHttpClientWithoutProxy(t *testing.T) {
	ctx := context.Background()
	a := appWith(t, "public_key")
	s := newShop(t)
	c := newClient(t, a, s)
	dials := setHTTPClient(t, c)
	// The process's proxy settings stay as TestMain set them (the buyer's
	// browser below uses them); gopay's client ignores them: the dial count
	// proves its calls went through the transport it was given.
	no := outTradeNo("H")

	// An order the buyer pays through the browser (which is not gopay's
	// client and still uses the environment), then gopay's server calls.
	payURL, err := c.TradePagePay(ctx, pageOrder(no, "12.34"))
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t)
	cashier, page := openCashier(t, b, payURL)
	pay(t, b, cashier, page)
	n := s.wait(t, no)
	if ok, err := alipay.VerifySign(bare(a.AlipayPublicKeyPEM), n); !ok || err != nil {
		t.Fatalf("gopay rejects the notification's signature: %v %v", ok, err)
	}

	q, err := c.TradeQuery(ctx, gopay.BodyMap{}.Set("out_trade_no", no))
	if err != nil {
		t.Fatalf("query: %v", err)
	}
	if q.Response.TradeStatus != "TRADE_SUCCESS" || q.Response.TotalAmount != "12.34" {
		t.Errorf("query: %+v", q.Response)
	}
	r, err := c.TradeRefund(ctx, gopay.BodyMap{}.Set("out_trade_no", no).Set("refund_amount", "2.34").Set("out_request_no", no+"R"))
	if err != nil || r.Response.RefundFee != "2.34" || r.Response.FundChange != "Y" {
		t.Fatalf("refund: %v %+v", err, r)
	}
	// A business error comes back as gopay's BizErr, signed or not.
	_, err = c.TradeQuery(ctx, gopay.BodyMap{}.Set("out_trade_no", no+"-none"))
	if bizErr, ok := alipay.IsBizError(err); !ok || bizErr.SubCode != "ACQ.TRADE_NOT_EXIST" {
		t.Errorf("query of an unknown order: %v", err)
	}
	if dials.Load() == 0 {
		t.Error("gopay's calls did not go through the client given with SetHttpClient")
	}
}
