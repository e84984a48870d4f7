package gopay

import (
	"fmt"
	"os"
	"testing"

	"github.com/mockpay/mockpay/compat/launch"
)

// mockApp is one element of GET /_mockpay/api/apps.
type mockApp struct {
	Protocol           string `json:"protocol"`
	AppID              string `json:"app_id"`
	SignType           string `json:"sign_type"`
	KeyMode            string `json:"key_mode"`
	AppPrivateKeyPEM   string `json:"app_private_key_pem"`
	AlipayPublicKeyPEM string `json:"alipay_public_key_pem"`
}

var (
	baseURL string // mockpay, http://127.0.0.1:port
	tlsURL  string // mockpay's --tls-addr, https://127.0.0.1:port
	caFile  string // mockpay's local CA, as SSL_CERT_FILE names it
	apps    []mockApp
	mockpay *launch.Server
	// direct talks to mockpay's own API, never through the proxy.
	direct = launch.Direct
	// get and getJSON read a URL of mockpay's through direct.
	get, getJSON = launch.Get, launch.GetJSON
)

func TestMain(m *testing.M) { os.Exit(runMain(m)) }

func runMain(m *testing.M) int {
	bin := os.Getenv("MOCKPAY_BIN")
	if bin == "" {
		fmt.Fprintln(os.Stderr, "MOCKPAY_BIN is not set: run `make test-compat-gopay` (it builds bin/mockpay)")
		return 1
	}
	var err error
	mockpay, err = launch.Start(launch.Options{Bin: bin, TempPrefix: "mockpay-compat-gopay-", TLS: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer mockpay.Stop()
	baseURL, tlsURL = mockpay.URL, mockpay.TLSURL
	if err := mockpay.Apps(&apps); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if caFile, err = mockpay.SaveCA(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	// What a merchant sets before starting the shop: Go reads both once, at
	// the first request and the first certificate check.
	os.Setenv("HTTPS_PROXY", baseURL)
	os.Setenv("HTTP_PROXY", baseURL)
	os.Setenv("SSL_CERT_FILE", caFile)
	code := m.Run()
	if code != 0 {
		fmt.Fprintf(os.Stderr, "---- mockpay output (tail) ----\n%s\n", mockpay.Tail(20000))
	}
	return code
}

func appWith(t *testing.T, keyMode string) mockApp {
	t.Helper()
	for _, a := range apps {
		if a.Protocol == "openapi" && a.SignType == "RSA2" && a.KeyMode == keyMode {
			return a
		}
	}
	t.Fatalf("mockpay lists no RSA2 app with key_mode %q", keyMode)
	return mockApp{}
}
