package gopayv2

import (
	"errors"
	"fmt"
	"os"
	"testing"

	"github.com/mockpay/mockpay/compat/launch"
)

// merchant is a WeChat Pay element of GET /_mockpay/api/apps: what a shop
// configures gopay with (issue 14 item 3: the same merchants as APIv3).
type merchant struct {
	Protocol   string `json:"protocol"`
	MchID      string `json:"mch_id"`
	AppID      string `json:"appid"`
	APIv2Key   string `json:"apiv2_key"`
	APIBaseURL string `json:"api_base_url"`
}

var (
	baseURL   string // mockpay, http://127.0.0.1:port
	caFile    string
	merchants []merchant
	mockpay   *launch.Server
	// direct talks to mockpay's own API, never through a proxy.
	direct  = launch.Direct
	getJSON = launch.GetJSON
	shopURL string
	shop    = &notifications{}
)

func TestMain(m *testing.M) { os.Exit(runMain(m)) }

// runMain starts the shop that receives the notifications, then mockpay.
func runMain(m *testing.M) int {
	stopShop, err := startShop()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer stopShop()
	return launch.Main(m, launch.Options{TempPrefix: "mockpay-compat-wechatpay-gopay-v2-"}, "", "test-compat-wechatpay-gopay-v2", func(s *launch.Server) error {
		mockpay, baseURL = s, s.URL
		return fetchSetup()
	})
}

// fetchSetup reads the WeChat Pay merchants and saves mockpay's CA.
func fetchSetup() (err error) {
	if merchants, err = launch.AppsOf[merchant](mockpay, "wechatpay"); err != nil {
		return err
	}
	if len(merchants) == 0 {
		return errors.New("mockpay lists no WeChat Pay merchant")
	}
	caFile, err = mockpay.SaveCA()
	return err
}

// control calls mockpay's control API (POST), as CI does instead of a
// buyer, and decodes its JSON answer.
func control(t *testing.T, path string, out any) {
	t.Helper()
	mockpay.Post(t, path, out)
}

func merchantFor(t *testing.T, i int) merchant {
	t.Helper()
	if i >= len(merchants) {
		t.Fatalf("mockpay lists %d WeChat Pay merchants, want at least %d", len(merchants), i+1)
	}
	return merchants[i]
}
