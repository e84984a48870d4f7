package alipay_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/mockpay/mockpay/channel/alipay"
	"github.com/mockpay/mockpay/payment"
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
		p, err := alipay.ParseForm(s)
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
		again, err := alipay.ParseForm(b.String())
		if err != nil {
			t.Fatalf("re-encoded %q does not parse: %v", b.String(), err)
		}
		if !paramsEqual(p, again) {
			t.Fatalf("ParseForm(%q) = %q; re-encoded %q parses to %q", s, p, b.String(), again)
		}
	})
}

// FuzzParseBiz: biz_content is untrusted JSON. No input panics; errors carry
// the codes the gateway maps to wire errors (§2.6).
func FuzzParseBiz(f *testing.F) {
	for _, s := range []string{
		"", " ", "{}", "null", "[]", `"x"`, "{", `{"out_trade_no":"A1","total_amount":13.5}`,
		`{"total_amount":"0.01","subject":"中文","a":null,"b":true,"c":{"d":1},"e":[1],"f":-1,"g":""}`,
		`{"a":"\ud800"}`, `{"a":1e400}`, `{"a":"x","a":"y"}`, `{"a":01}`,
	} {
		f.Add(s, "total_amount")
	}
	f.Fuzz(func(t *testing.T, s, key string) {
		b, err := alipay.ParseBiz(s)
		if err != nil {
			if payment.CodeOf(err) != payment.CodeInvalidBizContent {
				t.Fatalf("ParseBiz(%q): code %s", s, payment.CodeOf(err))
			}
			return
		}
		for _, k := range append([]string{key}, keysOfBiz(b)...) {
			if _, err := b.Str(k); err != nil && payment.CodeOf(err) != payment.CodeInvalidParameter {
				t.Fatalf("Str(%q) of %q: code %s", k, s, payment.CodeOf(err))
			}
		}
	})
}

func keysOfBiz(b alipay.Biz) []string {
	var ks []string
	for k := range b {
		ks = append(ks, k)
	}
	return ks
}
