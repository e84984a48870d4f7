package gopay

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
)

// proxied is a plain Go client through mockpay's proxy trusting roots only.
func proxied(roots *x509.CertPool) *http.Client {
	u, _ := url.Parse(baseURL)
	return &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(u), TLSClientConfig: &tls.Config{RootCAs: roots}}}
}

func TestAPlainClientTrustingOnlyTheCA(t *testing.T) {
	pem, err := os.ReadFile(caFile)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(pem)
	rsp, err := proxied(roots).Get("https://openapi.alipay.com/gateway.do?method=alipay.trade.query")
	if err != nil {
		t.Fatal(err)
	}
	defer rsp.Body.Close()
	body, _ := io.ReadAll(rsp.Body)
	if !strings.Contains(string(body), `"alipay_trade_query_response"`) {
		t.Errorf("%d %s", rsp.StatusCode, body)
	}
}

func TestAClientNotTrustingTheCAFailsCleanly(t *testing.T) {
	_, err := proxied(x509.NewCertPool()).Get("https://openapi.alipay.com/gateway.do")
	var unknown x509.UnknownAuthorityError
	if !errors.As(err, &unknown) {
		t.Fatalf("err %v, want x509: certificate signed by unknown authority", err)
	}
}

func TestTheProxyRefusesOtherHosts(t *testing.T) {
	for _, u := range []string{"https://example.com/", "http://example.com/", "https://openapi.alipay.com:8443/gateway.do"} {
		rsp, err := http.Get(u) // the environment's proxy: mockpay
		if err == nil {
			rsp.Body.Close()
			if rsp.StatusCode != http.StatusForbidden {
				t.Errorf("GET %s through mockpay: %d, want 403", u, rsp.StatusCode)
			}
			continue
		}
		if !strings.Contains(err.Error(), "Forbidden") {
			t.Errorf("GET %s through mockpay: %v, want a 403 refusal", u, err)
		}
	}
}
