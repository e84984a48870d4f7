package instance_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mockpay/mockpay/controlapi"
	"github.com/mockpay/mockpay/instance"
	"github.com/mockpay/mockpay/internal/merchant"
	"github.com/mockpay/mockpay/sign"
)

// createdCertApp is a cert-mode app created through the control API, with
// its downloaded files and the SNs computed from them as an SDK would.
type createdCertApp struct {
	app                   controlapi.App
	files                 map[string]string
	appSN, alipaySN, root string
	m                     *merchant.Client
}

func (e *env) createCertApp(t *testing.T) createdCertApp {
	t.Helper()
	a, err := controlapi.New(e.app.URL).CreateApp(context.Background(), controlapi.CreateAppRequest{Name: "cert shop", KeyMode: "certificate"})
	if err != nil || a.KeyMode != "cert" {
		t.Fatalf("create: %+v %v", a, err)
	}
	return e.loadCertApp(t, a)
}

// loadCertApp downloads a's files; the merchant verifies answers with the
// key of the downloaded "Alipay public key certificate", as cert-mode SDKs do.
func (e *env) loadCertApp(t *testing.T, a controlapi.App) createdCertApp {
	t.Helper()
	cf, files := e.certFilesOf(a.AppID)
	c := createdCertApp{app: a, files: files}
	alipayCert := pemCerts(t, files["alipayCertPublicKey_RSA2.crt"])[0]
	c.appSN, c.alipaySN = snOf(t, pemCerts(t, files["appCertPublicKey_"+a.AppID+".crt"])[0]), snOf(t, alipayCert)
	var rootSNs []string
	for _, r := range pemCerts(t, files["alipayRootCert.crt"]) {
		if r.SignatureAlgorithm == x509.SHA256WithRSA {
			rootSNs = append(rootSNs, snOf(t, r))
		}
	}
	c.root = strings.Join(rootSNs, "_")
	if cf.AppCertSN != c.appSN || cf.AlipayCertSN != c.alipaySN || cf.AlipayRootCertSN != c.root ||
		a.AppCertSN != c.appSN || a.AlipayCertSN != c.alipaySN || a.AlipayRootCertSN != c.root {
		t.Fatalf("SNs: API %+v, app %+v, computed %s %s %s", cf, a, c.appSN, c.alipaySN, c.root)
	}
	der, err := x509.MarshalPKIXPublicKey(alipayCert.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	c.m, err = merchant.New(e.app.URL+"/gateway.do", a.AppID, a.AppPrivateKeyPEM,
		string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})), a.SignType)
	if err != nil {
		t.Fatal(err)
	}
	c.m.Now = e.clock.Now
	return c
}

func (c createdCertApp) params(e *env) map[string]string {
	return map[string]string{"app_cert_sn": c.appSN, "alipay_root_cert_sn": c.root, "notify_url": e.shop.URL + "/notify"}
}

// TestCreatedCertApp: an app created with key_mode certificate has
// certificates from mockpay's local CA, a root bundle of the fixtures' ECC
// root then the local CA, pays and queries with the SNs computed from the
// downloaded files, and keeps them across a restart (§2.4).
func TestCreatedCertApp(t *testing.T) {
	e := newEnv(t)
	c := e.createCertApp(t)
	roots := pemCerts(t, c.files["alipayRootCert.crt"])
	fixtureRoots := pemCerts(t, string(must(os.ReadFile("../fixtures/ca/alipayRootCert.crt"))))
	if len(roots) != 2 || !roots[0].Equal(fixtureRoots[0]) || sign.RSASigned(roots[0]) || !roots[1].Equal(must(e.app.LocalCA()).Cert) {
		t.Fatalf("root bundle is not [fixtures' ECC root, local CA]: %d certs", len(roots))
	}
	if c.root != snOf(t, must(e.app.LocalCA()).Cert) {
		t.Errorf("alipay_root_cert_sn %s is not the local CA's", c.root)
	}
	pool := x509.NewCertPool()
	pool.AddCert(must(e.app.LocalCA()).Cert)
	for _, name := range []string{"appCertPublicKey_" + c.app.AppID + ".crt", "alipayCertPublicKey_RSA2.crt"} {
		cert := pemCerts(t, c.files[name])[0]
		if _, err := cert.Verify(x509.VerifyOptions{Roots: pool, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}); err != nil {
			t.Errorf("%s is not issued by the local CA: %v", name, err)
		}
	}

	r, err := c.m.Call("alipay.trade.pay", map[string]string{"out_trade_no": "CCERT-1", "total_amount": "2.00", "subject": "s", "auth_code": "286666666666666666"}, c.params(e))
	if err != nil || !r.Verified || r.Code() != "10000" || !strings.Contains(string(r.Raw), `"alipay_cert_sn":"`+c.alipaySN+`"`) {
		t.Fatalf("pay: %v %s", err, r.Raw)
	}
	if n := e.shop.next(t); c.m.VerifyParams(n) != nil || n.Get("app_id") != c.app.AppID {
		t.Errorf("notification: %v", n)
	}
	if r, _ := c.m.Call("alipay.trade.query", map[string]string{"out_trade_no": "CCERT-1"}, map[string]string{"app_cert_sn": c.appSN}); r.SubCode() != "isv.missing-alipay-root-cert-sn" {
		t.Errorf("query without the root SN: %s", r.Raw)
	}

	if _, html := e.get(e.app.URL + "/_mockpay/apps"); !strings.Contains(html, "/_mockpay/api/apps/"+c.app.AppID+"/certs/alipayRootCert.crt") {
		t.Errorf("the dashboard does not link the created app's certificates")
	}

	e.restart()
	after, err := controlapi.New(e.app.URL).App(context.Background(), c.app.AppID)
	if err != nil || after.App == nil {
		t.Fatalf("after restart: %+v %v", after, err)
	}
	again := e.loadCertApp(t, *after.App)
	if again.appSN != c.appSN || again.alipaySN != c.alipaySN || again.root != c.root {
		t.Errorf("SNs changed across a restart: %+v", again)
	}
	r, err = again.m.Call("alipay.trade.query", map[string]string{"out_trade_no": "CCERT-1"}, again.params(e))
	if err != nil || !r.Verified || r.Str("trade_status") != "TRADE_SUCCESS" {
		t.Errorf("query after restart: %v %s", err, r.Raw)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestCreatedCertCannotServeTLS: mockpay hands out the app private key of
// a created cert-mode app, so its certificate must not let a server pass
// as any host to a client that trusts the local CA (no serverAuth).
func TestCreatedCertCannotServeTLS(t *testing.T) {
	e := newEnv(t)
	c := e.createCertApp(t)
	pair, err := tls.X509KeyPair([]byte(c.files["appCertPublicKey_"+c.app.AppID+".crt"]), []byte(c.app.AppPrivateKeyPEM))
	if err != nil {
		t.Fatal(err)
	}
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{pair}})
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			_ = conn.(*tls.Conn).Handshake()
			conn.Close()
		}
	}()
	pool := x509.NewCertPool()
	pool.AddCert(must(e.app.LocalCA()).Cert)
	conn, err := tls.Dial("tcp", ln.Addr().String(), &tls.Config{RootCAs: pool, ServerName: c.app.AppID})
	if err == nil {
		conn.Close()
		t.Fatal("a client trusting the local CA accepted a server presenting an app certificate")
	}
	// Not only for want of a host name: the chain itself is refused for
	// TLS servers, whatever name a client asks for.
	chainOnly := &tls.Config{InsecureSkipVerify: true, VerifyConnection: func(cs tls.ConnectionState) error {
		_, err := cs.PeerCertificates[0].Verify(x509.VerifyOptions{Roots: pool})
		return err
	}}
	conn, err = tls.Dial("tcp", ln.Addr().String(), chainOnly)
	var invalid x509.CertificateInvalidError
	if err == nil {
		conn.Close()
	}
	if !errors.As(err, &invalid) || invalid.Reason != x509.IncompatibleUsage {
		t.Errorf("chain check: %v, want incompatible key usage", err)
	}
	// The same check passes a TLS leaf of the same CA.
	leaf := must(must(e.app.LocalCA()).Leaf([]string{"localhost"}))
	if _, err := must(x509.ParseCertificate(leaf.Certificate[0])).Verify(x509.VerifyOptions{Roots: pool}); err != nil {
		t.Errorf("the CA's own TLS leaf fails the chain check: %v", err)
	}
}

// TestCertAppWithECDSALocalCA: a local CA made by an older mockpay (ECDSA)
// still serves TLS, but creating a cert-mode app is refused with a 400 that
// says how to get an RSA CA.
func TestCertAppWithECDSALocalCA(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "old-ca.pem"), filepath.Join(dir, "old-ca-key.pem")
	key := must(ecdsa.GenerateKey(elliptic.P256(), rand.Reader))
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{Organization: []string{"mockpay"}, CommonName: "mockpay local CA old"},
		NotBefore: start.AddDate(-1, 0, 0), NotAfter: start.AddDate(10, 0, 0), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign}
	der := must(x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key))
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: must(x509.MarshalECPrivateKey(key))}), 0o600)
	e := newEnvWithConfig(t, nil, func(cfg *instance.Config) { cfg.CACert, cfg.CAKey, cfg.TLSAddr = certFile, keyFile, "127.0.0.1:0" })
	resp, body := postJSON(t, e.app.URL+"/_mockpay/api/apps", `{"key_mode":"certificate"}`)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "mockpay-ca.pem") || !strings.Contains(body, "ECDSA") {
		t.Errorf("cert-mode app with an ECDSA CA: %d %s", resp.StatusCode, body)
	}
	if !strings.Contains(e.logs.String(), "certificate-mode apps cannot be created") {
		t.Errorf("no log line for the ECDSA CA: %s", e.logs)
	}
	pool := x509.NewCertPool()
	pool.AddCert(must(e.app.LocalCA()).Cert)
	conn, err := tls.Dial("tcp", e.app.TLSAddr.String(), &tls.Config{RootCAs: pool, ServerName: "localhost"})
	if err != nil {
		t.Fatalf("the ECDSA CA no longer serves TLS: %v", err)
	}
	conn.Close()
	if resp, body := postJSON(t, e.app.URL+"/_mockpay/api/apps", `{"key_mode":"pgp"}`); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown key_mode: %d %s", resp.StatusCode, body)
	}
}

func postJSON(t *testing.T, u, body string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Post(u, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return resp, readAll(t, resp)
}
