package main

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestAppPayCommand: app-pay plays the Alipay app on a signed order
// string: pay answers resultStatus 9000 with a result the merchant
// verifies, and the shop gets its signed notification; a tampered string
// is the platform's invalid-signature refusal, one error line.
func TestAppPayCommand(t *testing.T) {
	s := newSandbox(t)
	biz := map[string]any{"out_trade_no": "APPCLI-1", "total_amount": "6.60", "subject": "CLI app order", "product_code": "QUICK_MSECURITY_PAY"}
	orderStr := s.m.Params("alipay.trade.app.pay", biz, map[string]string{"notify_url": s.shop.URL + "/notify"}).Encode()

	out := s.mustCLI("app-pay", orderStr)
	if !strings.Contains(out, "resultStatus  9000") || !strings.Contains(out, "out_trade_no  APPCLI-1") {
		t.Errorf("app-pay:\n%s", out)
	}
	select {
	case got := <-s.shop.received:
		n, err := url.ParseQuery(got)
		if err != nil || n.Get("trade_status") != "TRADE_SUCCESS" || n.Get("out_trade_no") != "APPCLI-1" || s.m.VerifyParams(n) != nil {
			t.Errorf("notification: %v %s", err, got)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the shop got no notification within 10s")
	}

	biz["out_trade_no"] = "APPCLI-2"
	var res struct {
		ResultStatus, Memo, Result string
	}
	second := s.m.Params("alipay.trade.app.pay", biz, nil).Encode()
	if err := json.Unmarshal([]byte(s.mustCLI("app-pay", "--json", "--action", "cancel", second)), &res); err != nil || res.ResultStatus != "6001" {
		t.Errorf("app-pay --action cancel --json: %v %+v", err, res)
	}
	if err := json.Unmarshal([]byte(s.mustCLI("app-pay", "--json", second)), &res); err != nil || res.ResultStatus != "9000" {
		t.Errorf("app-pay --json after cancel: %v %+v", err, res)
	}
	r, err := s.m.Decode("alipay.trade.app.pay", []byte(res.Result))
	if err != nil || !r.Verified || r.Str("out_trade_no") != "APPCLI-2" {
		t.Errorf("result string: %v %s", err, res.Result)
	}

	tampered := strings.Replace(orderStr, "6.60", "0.01", 1)
	if _, err := s.cli("app-pay", tampered); err == nil || !strings.HasPrefix(err.Error(), "isv.invalid-signature: ") {
		t.Errorf("tampered: %v", err)
	}
	if _, err := s.cli("app-pay", "--action", "dance", orderStr); exitCode(err) != 2 {
		t.Errorf("--action dance: %v", err)
	}
	if _, err := s.cli("app-pay"); exitCode(err) != 2 {
		t.Errorf("no order string: %v", err)
	}
}

// TestCertsCommand: certs list shows the cert-mode fixture app's SNs and
// files; certs get downloads each as the PEM certificate the API serves,
// to stdout or -o; a public-key app and an unknown file are not_found.
func TestCertsCommand(t *testing.T) {
	s := newSandbox(t)
	const certApp = "2021000122600003"
	out := s.mustCLI("certs", "list", certApp)
	for _, want := range []string{"app_cert_sn", "alipay_root_cert_sn", "alipayRootCert.crt", "alipayCertPublicKey_RSA2.crt",
		"appCertPublicKey_" + certApp + ".crt", s.base + "/_mockpay/api/apps/" + certApp + "/certs/alipayRootCert.crt"} {
		if !strings.Contains(out, want) {
			t.Errorf("certs list lacks %q:\n%s", want, out)
		}
	}
	var listed struct {
		AppCertSN string            `json:"app_cert_sn"`
		Files     map[string]string `json:"files"`
	}
	if err := json.Unmarshal([]byte(s.mustCLI("certs", "list", "--json", certApp)), &listed); err != nil || len(listed.Files) != 3 || listed.AppCertSN == "" {
		t.Fatalf("certs list --json: %v %+v", err, listed)
	}

	name := "appCertPublicKey_" + certApp + ".crt"
	got := s.mustCLI("certs", "get", certApp, name)
	block, _ := pem.Decode([]byte(got))
	if block == nil || block.Type != "CERTIFICATE" {
		t.Fatalf("certs get: not a PEM certificate:\n%s", got)
	}
	if _, err := x509.ParseCertificate(block.Bytes); err != nil {
		t.Errorf("certs get: %v", err)
	}
	file := filepath.Join(t.TempDir(), name)
	if out := s.mustCLI("certs", "get", certApp, name, "-o", file); !strings.Contains(out, "wrote "+file) {
		t.Errorf("certs get -o: %s", out)
	}
	if b, err := os.ReadFile(file); err != nil || string(b) != got {
		t.Errorf("-o file differs from stdout: %v", err)
	}

	if _, err := s.cli("certs", "list", fixtureApp); err == nil || !strings.HasPrefix(err.Error(), "not_found: ") {
		t.Errorf("a public-key app: %v", err)
	}
	if _, err := s.cli("certs", "get", certApp, "other.crt"); err == nil || !strings.HasPrefix(err.Error(), "not_found: ") {
		t.Errorf("an unknown file: %v", err)
	}
	if _, err := s.cli("certs", "get", certApp); exitCode(err) != 2 {
		t.Errorf("no file: %v", err)
	}
}
