package openapi_test

import (
	"testing"

	"github.com/mockpay/mockpay/channel/alipay/openapi"
	"github.com/mockpay/mockpay/payment"
)

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
		b, err := openapi.ParseBiz(s)
		if err != nil {
			if payment.CodeOf(err) != openapi.CodeInvalidBizContent {
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

func keysOfBiz(b openapi.Biz) []string {
	var ks []string
	for k := range b {
		ks = append(ks, k)
	}
	return ks
}
