package wechatpaygo

import (
	"os"
	"testing"

	"github.com/mockpay/mockpay/compat/launch"
)

// merchant is a WeChat Pay element of GET /_mockpay/api/apps (issue 13 item 1).
type merchant struct {
	Protocol               string `json:"protocol"`
	AppID                  string `json:"app_id"`
	MchID                  string `json:"mch_id"`
	AppIDWx                string `json:"appid"`
	APIv3Key               string `json:"apiv3_key"`
	MerchantSerialNo       string `json:"merchant_serial_no"`
	MerchantPrivateKeyPEM  string `json:"merchant_private_key_pem"`
	PlatformKeyMode        string `json:"platform_key_mode"`
	PlatformSerialNo       string `json:"platform_serial_no"`
	PlatformCertificatePEM string `json:"platform_certificate_pem"`
	PlatformPublicKeyID    string `json:"platform_public_key_id"`
	PlatformPublicKeyPEM   string `json:"platform_public_key_pem"`
	APIBaseURL             string `json:"api_base_url"`
}

var (
	baseURL string // mockpay, http://127.0.0.1:port
	caFile  string // mockpay's local CA, as SSL_CERT_FILE names it
	apps    []merchant
	// mockpay runs with --tls-addr too: the proxy route's CONNECT lands there.
	mockpay *launch.Server
)

func TestMain(m *testing.M) {
	os.Exit(launch.Main(m, launch.Options{TempPrefix: "mockpay-compat-wechatpay-go-", TLS: true}, "", "test-compat-wechatpay-go", setup))
}

// setup reads the apps and sets what a merchant sets before starting the
// shop: HTTPS_PROXY and HTTP_PROXY naming mockpay, SSL_CERT_FILE its CA.
func setup(s *launch.Server) (err error) {
	mockpay, baseURL = s, s.URL
	if err := s.Apps(&apps); err != nil {
		return err
	}
	caFile, err = s.ProxyEnv(true)
	return err
}

func merchantIn(t *testing.T, mode string) merchant {
	t.Helper()
	for _, a := range apps {
		if a.Protocol == "wechatpay" && a.PlatformKeyMode == mode {
			return a
		}
	}
	t.Fatalf("mockpay lists no WeChat Pay merchant in platform_key_mode %q", mode)
	return merchant{}
}

// control calls mockpay's control API (never through the proxy).
func control(t *testing.T, method, path string, body any) (int, []byte) {
	t.Helper()
	status, b, err := mockpay.Do(method, "/_mockpay/api"+path, body)
	if err != nil {
		t.Fatal(err)
	}
	return status, b
}
