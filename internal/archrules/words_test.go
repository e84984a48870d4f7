package archrules

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDomainHasNoAlipayCredentials: what only Alipay knows of a merchant
// (certificate-mode SNs, the MAPI MD5 key and contract) is the Alipay
// channel's credentials (channel/alipay/kit.Credentials), not a field of
// the domain's App: a WeChat Pay or UnionPay merchant then fits App as it is.
func TestDomainHasNoAlipayCredentials(t *testing.T) {
	domainNames(t, "the Alipay channel's credentials",
		"AppCert", "LegacyPartner", "MD5Key", "AntiPhishing", "CertSN", "RootCert")
}

// TestDomainHasNoMAPIOrderTerms: what only a MAPI order says (price ×
// quantity, payment_type, show_url, the plain product's no-refund rule) is
// the Alipay channel's order terms (channel/alipay/mapi.Terms in
// Order.Terms), judged through payment.Terms, not a field of the domain's
// Order.
func TestDomainHasNoMAPIOrderTerms(t *testing.T) {
	domainNames(t, "the Alipay channel's order terms",
		"LegacyTerms", "ShowURL", "show_url", "PaymentType", "payment_type", "NoRefund", "Quantity", "PriceMismatch")
}

// domainNames fails for each word a payment source (tests aside) names,
// as belonging to owner.
func domainNames(t *testing.T, owner string, words ...string) {
	t.Helper()
	files, err := filepath.Glob("../../payment/*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("payment sources: %v %v", files, err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, word := range words {
			if strings.Contains(string(src), word) {
				t.Errorf("%s names %s, which belongs to %s", filepath.Base(f), word, owner)
			}
		}
	}
}

// TestDomainHasNoWechatpayNames: what only WeChat Pay knows of a merchant
// or an order (the mchid, APIv3/APIv2 keys, PUB_KEY_ID_ public keys,
// prepay ids, trade types, openids) is the WeChat Pay channel's
// (channel/wechatpay/kit.Credentials and kit.Terms), not the domain's.
func TestDomainHasNoWechatpayNames(t *testing.T) {
	domainNames(t, "the WeChat Pay channel",
		"MchID", "mchid", "APIv2Key", "APIv3Key", "PUB_KEY_ID", "PrepayID", "prepay_id", "TradeType", "trade_type", "OpenID", "openid", "wechatpay")
}
