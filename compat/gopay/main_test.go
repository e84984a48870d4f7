package gopay

import (
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

func TestMain(m *testing.M) {
	os.Exit(launch.Main(m, launch.Options{TempPrefix: "mockpay-compat-gopay-", TLS: true}, "", "test-compat-gopay", setup))
}

// setup reads the apps and sets what a merchant sets before starting the
// shop: HTTPS_PROXY and HTTP_PROXY naming mockpay, SSL_CERT_FILE its CA.
func setup(s *launch.Server) (err error) {
	mockpay, baseURL, tlsURL = s, s.URL, s.TLSURL
	if err := s.Apps(&apps); err != nil {
		return err
	}
	caFile, err = s.ProxyEnv(true)
	return err
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
