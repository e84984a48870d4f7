package kit_test

import (
	"net/url"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/mockpay/mockpay/channel/alipay/kit"
	"github.com/mockpay/mockpay/sign"
)

// FuzzParseForm: request bodies are untrusted. No input panics, and what
// parses re-encodes to a form that parses to the same params.
func FuzzParseForm(f *testing.F) {
	for _, s := range []string{
		"", "a=1&b=2", "a=1&a=2", "q=a+b%20c", "subject=%E4%B8%AD%E6%96%87", "subject=%D6%D0%CE%C4",
		"%FF=%FE", "&&a=1&", "flag&a=1", "a==b", "=v", "=", "a=%", "a=%zz", "a=1;b=2",
		"app_id=2021000122600001&biz_content=%7B%22out_trade_no%22%3A%22A1%22%7D&charset=utf-8&method=alipay.trade.query&sign=ab%2Bcd%3D%3D&sign_type=RSA2&timestamp=2026-05-02+04%3A00%3A00&version=1.0",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := kit.ParseForm(s)
		if err != nil {
			return
		}
		var b strings.Builder
		for i, kv := range p {
			if i > 0 {
				b.WriteByte('&')
			}
			b.WriteString(url.QueryEscape(kv.Key) + "=" + url.QueryEscape(kv.Value))
		}
		again, err := kit.ParseForm(b.String())
		if err != nil {
			t.Fatalf("re-encoded %q does not parse: %v", b.String(), err)
		}
		if !paramsEqual(p, again) {
			t.Fatalf("ParseForm(%q) = %q; re-encoded %q parses to %q", s, p, b.String(), again)
		}
	})
}

func gbkBytes(t testing.TB, s string) string {
	t.Helper()
	out, err := simplifiedchinese.GBK.NewEncoder().String(s)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func paramsEqual(a, b sign.Params) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
