package wechatpaygopay

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"testing"

	"github.com/mockpay/mockpay/compat/launch"
)

// wxApp is one WeChat Pay merchant of GET /_mockpay/api/apps, with the
// fields issue 13 item 1 lists (a client is configured from them alone).
type wxApp struct {
	Protocol               string `json:"protocol"`
	AppID                  string `json:"app_id"`
	MchID                  string `json:"mch_id"`
	Appid                  string `json:"appid"`
	APIv3Key               string `json:"apiv3_key"`
	MerchantSerialNo       string `json:"merchant_serial_no"`
	MerchantPrivateKeyPEM  string `json:"merchant_private_key_pem"`
	MerchantCertificatePEM string `json:"merchant_certificate_pem"`
	PlatformKeyMode        string `json:"platform_key_mode"`
	PlatformSerialNo       string `json:"platform_serial_no"`
	PlatformCertificatePEM string `json:"platform_certificate_pem"`
	PlatformPublicKeyID    string `json:"platform_public_key_id"`
	PlatformPublicKeyPEM   string `json:"platform_public_key_pem"`
	APIBaseURL             string `json:"api_base_url"`
}

var (
	baseURL string // mockpay's control API, http://127.0.0.1:port
	caFile  string // mockpay's CA, as SSL_CERT_FILE names it
	wxApps  []wxApp
	mockpay *launch.Server
)

// With --tls-addr: the proxy route's CONNECT lands on the HTTPS port.
func TestMain(m *testing.M) {
	os.Exit(launch.Main(m, launch.Options{TempPrefix: "mockpay-compat-wechatpay-gopay-", TLS: true}, "", "test-compat-wechatpay-gopay", setup))
}

// setup reads the WeChat Pay merchants and sets what a shop sets for the
// proxy route (HTTPS_PROXY, SSL_CERT_FILE naming mockpay's CA). Go never
// proxies loopback, so the SetProxyHost clients (http://127.0.0.1:…) still
// go direct.
func setup(s *launch.Server) (err error) {
	mockpay, baseURL = s, s.URL
	if err := fetchSetup(); err != nil {
		return err
	}
	caFile, err = s.ProxyEnv(false)
	return err
}

// fetchSetup reads the WeChat Pay merchants (every element must decode).
func fetchSetup() error {
	var all []json.RawMessage
	if err := controlJSON(http.MethodGet, "/_mockpay/api/apps", nil, &all); err != nil {
		return err
	}
	for _, raw := range all {
		var a wxApp
		if err := json.Unmarshal(raw, &a); err != nil {
			return fmt.Errorf("apps element %s: %v", raw, err)
		}
		if a.Protocol == "wechatpay" {
			wxApps = append(wxApps, a)
		}
	}
	return nil
}

// control calls mockpay's own API (never through the proxy).
func control(method, path string, body any) (string, int, error) {
	status, b, err := mockpay.Do(method, path, body)
	return string(b), status, err
}

func controlJSON(method, path string, body, out any) error {
	text, status, err := control(method, path, body)
	if err != nil {
		return err
	}
	if status/100 != 2 {
		return fmt.Errorf("%s %s: HTTP %d %s", method, path, status, text)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal([]byte(text), out); err != nil {
		return fmt.Errorf("%s %s: %v\n%s", method, path, err, text)
	}
	return nil
}

// merchant returns the fixture merchant in the given platform_key_mode.
func merchant(t *testing.T, mode string) wxApp {
	t.Helper()
	for _, a := range wxApps {
		if a.PlatformKeyMode == mode {
			return a
		}
	}
	t.Fatalf("GET /_mockpay/api/apps lists no wechatpay merchant with platform_key_mode %q (%d wechatpay merchants)", mode, len(wxApps))
	return wxApp{}
}

// pay pays an order through the control API, right after prepay
// (issue 13 item 3).
func pay(t *testing.T, a wxApp, outTradeNo string) {
	t.Helper()
	if err := controlJSON(http.MethodPost, "/_mockpay/api/apps/"+a.MchID+"/orders/"+outTradeNo+"/pay", nil, nil); err != nil {
		t.Fatalf("control API pay: %v", err)
	}
}

// advanceClock moves mockpay's virtual clock.
func advanceClock(t *testing.T, by string) {
	t.Helper()
	if err := controlJSON(http.MethodPost, "/_mockpay/api/clock/advance", map[string]string{"by": by}, nil); err != nil {
		t.Fatalf("clock advance: %v", err)
	}
}
