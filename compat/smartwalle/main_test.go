package smartwalle

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/mockpay/mockpay/compat/launch"
)

// mockApp is one element of GET /_mockpay/api/apps.
type mockApp struct {
	Protocol              string `json:"protocol"` // "openapi", or "legacy" for MAPI partners
	AppID                 string `json:"app_id"`
	PID                   string `json:"pid"`
	SignType              string `json:"sign_type"`
	AppPrivateKeyPEM      string `json:"app_private_key_pem"`
	AppPrivateKeyPKCS8PEM string `json:"app_private_key_pkcs8_pem"`
	AppPublicKeyPEM       string `json:"app_public_key_pem"`
	AlipayPublicKeyPEM    string `json:"alipay_public_key_pem"`
}

var (
	// baseURL is the mockpay server, e.g. http://127.0.0.1:41234 (no trailing slash).
	baseURL string
	// gatewayURL is baseURL + "/gateway.do".
	gatewayURL string
	// app is the first OpenAPI RSA2 app reported by mockpay.
	app mockApp
	// theShop is the merchant server (notify_url / return_url target).
	theShop *shop
	// serverLog collects mockpay's stdout+stderr for diagnostics.
	serverLog launch.Buffer
	// mockpayBin is the binary under test, for suites that run their own.
	mockpayBin string
)

func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	tmp, err := os.MkdirTemp("", "mockpay-compat-smartwalle-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "mkdtemp:", err)
		return 1
	}
	defer os.RemoveAll(tmp)

	// Without MOCKPAY_BIN, a mockpay built from the repository root.
	bin, err := launch.Binary(filepath.Join("..", ".."), tmp)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}

	mockpayBin = bin
	srv, err := startMockpay(bin, tmp)
	if err != nil {
		fmt.Fprintln(os.Stderr, err) // with mockpay's output
		return 1
	}
	defer srv.stop()

	app, err = fetchRSA2App(baseURL)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}

	theShop, err = newShop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "shop:", err)
		return 1
	}
	defer theShop.Close()

	code := m.Run()
	if code != 0 {
		out := serverLog.String()
		if len(out) > 20000 {
			out = "...\n" + out[len(out)-20000:]
		}
		fmt.Fprintf(os.Stderr, "---- mockpay output (tail) ----\n%s\n", out)
	}
	return code
}

// mockpayProcess is one running mockpay.
type mockpayProcess struct{ *launch.Server }

func (p *mockpayProcess) stop() { p.Stop() }

// startMockpay runs `<bin> serve --addr 127.0.0.1:0 --db <tmp>/mockpay.db` in a
// temporary working directory and waits (≤60 s) for the banner line
// announcing the gateway URL, which sets baseURL and gatewayURL.
func startMockpay(bin, tmp string) (*mockpayProcess, error) {
	p, base, err := spawnMockpay(bin, filepath.Join(tmp, "wd"), filepath.Join(tmp, "mockpay.db"))
	if err != nil {
		return nil, err
	}
	baseURL = base
	gatewayURL = baseURL + "/gateway.do"
	return p, nil
}

// spawnMockpay runs `<bin> serve --addr 127.0.0.1:0 --db <db> <extra...>` in
// wd and returns the process and its base URL once the banner is out; its
// output goes to serverLog.
func spawnMockpay(bin, wd, db string, extra ...string) (*mockpayProcess, string, error) {
	s, err := launch.Start(launch.Options{Bin: bin, Dir: wd, DB: db, Args: extra, Log: &serverLog})
	if err != nil {
		return nil, "", err
	}
	return &mockpayProcess{s}, s.URL, nil
}

func fetchRSA2App(base string) (mockApp, error) {
	var apps []mockApp
	if err := launch.GetJSON(base+"/_mockpay/api/apps", &apps); err != nil {
		return mockApp{}, err
	}
	for _, a := range apps {
		// Legacy MAPI partners are listed too; only OpenAPI apps suit the SDK.
		if a.Protocol == "openapi" && a.SignType == "RSA2" {
			if a.AppID == "" || a.AppPrivateKeyPEM == "" || a.AlipayPublicKeyPEM == "" {
				return mockApp{}, fmt.Errorf("GET /_mockpay/api/apps: RSA2 app lacks app_id/app_private_key_pem/alipay_public_key_pem: %+v", a)
			}
			return a, nil
		}
	}
	return mockApp{}, fmt.Errorf("GET /_mockpay/api/apps: no app with protocol \"openapi\" and sign_type \"RSA2\" in %+v", apps)
}
