package instance_test

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/mockpay/mockpay/ca"
	"github.com/mockpay/mockpay/clock"
	"github.com/mockpay/mockpay/instance"
	"github.com/mockpay/mockpay/selfguard"
)

func newHTTPSEnv(t *testing.T) *env {
	return newEnvWithConfig(t, clock.NewFake(start), func(c *instance.Config) {
		c.TLSAddr = "127.0.0.1:0"
		c.TLSNames = []string{"mockpay.internal"}
	})
}

// trusting is a client that trusts the CA mockpay hands out and nothing
// else, optionally through mockpay's proxy.
func trusting(t *testing.T, e *env, viaProxy bool) *http.Client {
	t.Helper()
	resp, err := http.Get(e.app.URL + "/_mockpay/ca.pem")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	pemBytes, _ := io.ReadAll(resp.Body)
	roots := x509.NewCertPool()
	if resp.StatusCode != 200 || !roots.AppendCertsFromPEM(pemBytes) || strings.Contains(string(pemBytes), "PRIVATE") {
		t.Fatalf("ca.pem: %d %q", resp.StatusCode, pemBytes)
	}
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}, ForceAttemptHTTP2: true}
	if viaProxy {
		u, _ := url.Parse(e.app.URL)
		tr.Proxy = http.ProxyURL(u)
	}
	return &http.Client{Transport: tr}
}

func TestHTTPSServesEverythingWithTheLocalCAOverHTTP2(t *testing.T) {
	e := newHTTPSEnv(t)
	c := trusting(t, e, false)
	resp, err := c.Get(e.app.TLSURL + "/_mockpay/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Proto != "HTTP/2.0" {
		t.Errorf("healthz over HTTPS: %d %s", resp.StatusCode, resp.Proto)
	}
	// The leaf names the names given besides the defaults.
	leaf := resp.TLS.PeerCertificates[0]
	for _, name := range []string{"localhost", "openapi.alipay.com", "api.mch.weixin.qq.com", "mockpay.internal"} {
		if leaf.VerifyHostname(name) != nil {
			t.Errorf("the leaf does not cover %s", name)
		}
	}
	// HTTP/1.1 clients too.
	cfg := c.Transport.(*http.Transport).TLSClientConfig.Clone()
	cfg.NextProtos = []string{"http/1.1"}
	h1 := &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}}
	resp, err = h1.Get(e.app.TLSURL + "/gateway.do?method=alipay.trade.query")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.Proto != "HTTP/1.1" || !strings.Contains(string(body), "alipay_trade_query_response") {
		t.Errorf("gateway over HTTPS/1.1: %s %s", resp.Proto, body)
	}
}

func TestAClientThatDoesNotTrustTheLocalCAFailsCleanly(t *testing.T) {
	e := newHTTPSEnv(t)
	_, err := http.Get(e.app.TLSURL + "/_mockpay/healthz")
	var unknown x509.UnknownAuthorityError
	if !errors.As(err, &unknown) {
		t.Fatalf("err %v, want x509: certificate signed by unknown authority", err)
	}
}

func TestTheProxyServesTheGatewayUnderTheRealHostName(t *testing.T) {
	e := newHTTPSEnv(t)
	resp, err := trusting(t, e, true).Get("https://openapi.alipay.com/gateway.do?method=alipay.trade.query")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), "alipay_trade_query_response") {
		t.Errorf("gateway through the proxy: %d %s", resp.StatusCode, body)
	}
	resp, err = trusting(t, e, true).Get("https://example.com/")
	if err == nil {
		resp.Body.Close()
		t.Fatal("the proxy reached example.com")
	}
	if !strings.Contains(e.logs.String(), "not an open proxy") {
		t.Errorf("no log line for the refused host:\n%s", e.logs.String())
	}
}

func TestTheHTTPSListenerIsGuardedAgainstCallbacks(t *testing.T) {
	e := newHTTPSEnv(t)
	for _, u := range []string{e.app.TLSURL + "/notify", "https://localhost:" + e.app.TLSURL[strings.LastIndex(e.app.TLSURL, ":")+1:] + "/n"} {
		if err := e.app.Guard.Check(u); !errors.Is(err, selfguard.ErrSelf) {
			t.Errorf("notify_url %s: %v, want refused as mockpay itself", u, err)
		}
	}
}

// A first start makes no CA (its RSA key is most of a start's time, issue
// 18); the first use makes it, and a TLS handshake after that presents a
// leaf of the same CA.
func TestTheLocalCAIsMadeOnFirstUse(t *testing.T) {
	e := newHTTPSEnv(t)
	certFile, keyFile := ca.LocalFiles(e.db)
	for _, f := range []string{certFile, keyFile} {
		if _, err := os.Stat(f); !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("%s after a first start: %v, want none yet", f, err)
		}
	}
	c := trusting(t, e, false) // GET /_mockpay/ca.pem makes it
	if _, err := os.Stat(keyFile); err != nil {
		t.Fatalf("no CA key after /_mockpay/ca.pem: %v", err)
	}
	resp, err := c.Get(e.app.TLSURL + "/_mockpay/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("healthz over HTTPS: %d", resp.StatusCode)
	}
}

func TestTheLocalCAIsKeptBesideTheDatabase(t *testing.T) {
	e := newHTTPSEnv(t)
	first := must(e.app.LocalCA()).CertPEM
	certFile, keyFile := ca.LocalFiles(e.db)
	st, err := os.Stat(keyFile)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file %s: %v %v", keyFile, st, err)
	}
	if b, err := os.ReadFile(certFile); err != nil || string(b) != first {
		t.Fatalf("cert file %s: %v", certFile, err)
	}
	e.restart()
	if must(e.app.LocalCA()).CertPEM != first {
		t.Error("a restart made a new CA: merchants would have to trust it again")
	}
}
