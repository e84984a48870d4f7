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
		for _, word := range []string{"AppCert", "LegacyPartner", "MD5Key", "AntiPhishing", "CertSN", "RootCert"} {
			if strings.Contains(string(src), word) {
				t.Errorf("%s names %s, which belongs to the Alipay channel's credentials", filepath.Base(f), word)
			}
		}
	}
}
