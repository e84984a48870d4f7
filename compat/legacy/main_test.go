package legacy

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/mockpay/mockpay/compat/launch"
)

// partnerInfo is a protocol "legacy" element of GET /_mockpay/api/apps.
type partnerInfo struct {
	Protocol         string `json:"protocol"`
	PID              string `json:"pid"`
	MD5Key           string `json:"md5_key"`
	SellerID         string `json:"seller_id"`
	SellerEmail      string `json:"seller_email"`
	SignType         string `json:"sign_type"`
	TradeStatusOnPay string `json:"trade_status_on_pay"`
	AntiPhishing     string `json:"anti_phishing"`
	PrivateKeyPEM    string `json:"app_private_key_pem"`
	AlipayPublicPEM  string `json:"alipay_public_key_pem"`
}

var (
	// gateway is mockpay's .../gateway.do; base is the server without a path.
	gateway, base string
	// partners are the legacy partners mockpay lists.
	partners []partnerInfo
	// mockpay is the running server (its output goes in failure reports).
	mockpay *launch.Server
)

// Without MOCKPAY_BIN, a mockpay built from the repository root.
func TestMain(m *testing.M) {
	os.Exit(launch.Main(m, launch.Options{TempPrefix: "mockpay-compat-legacy-"}, filepath.Join("..", ".."), "test-compat-legacy", func(s *launch.Server) (err error) {
		mockpay, base, gateway = s, s.URL, s.URL+"/gateway.do"
		partners, err = listPartners()
		return err
	}))
}

func listPartners() ([]partnerInfo, error) {
	var all []partnerInfo
	if err := mockpay.Apps(&all); err != nil {
		return nil, err
	}
	var out []partnerInfo
	for _, p := range all {
		if p.Protocol == "legacy" {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("GET /_mockpay/api/apps lists no protocol \"legacy\" partner")
	}
	return out, nil
}

// findPartner returns the first partner that suits the test.
func findPartner(t *testing.T, what string, ok func(partnerInfo) bool) partnerInfo {
	t.Helper()
	for _, p := range partners {
		if ok(p) {
			return p
		}
	}
	t.Fatalf("mockpay lists no legacy partner that is %s: %+v", what, partners)
	return partnerInfo{}
}

// md5Partner is a refundable MD5 partner without anti-phishing.
func md5Partner(t *testing.T) partnerInfo {
	return findPartner(t, "MD5, refundable, anti-phishing off", func(p partnerInfo) bool {
		return p.SignType == "MD5" && p.TradeStatusOnPay == "TRADE_SUCCESS" && p.AntiPhishing == "off" && len(p.MD5Key) == 32
	})
}
