package sign_test

import (
	"testing"

	"github.com/mockpay/mockpay/sign"
)

// TestCanonical pins the canonical string every signature is computed over:
// keys sorted by byte order, k=v joined by &, decoded raw values, empty
// values dropped unless asked for (alipay-protocol.md §1.2, §2.3, §3.3).
func TestCanonical(t *testing.T) {
	notify := sign.CanonicalOptions{Exclude: []string{"sign", "sign_type"}}
	request := sign.CanonicalOptions{Exclude: []string{"sign"}}
	cases := []struct {
		name   string
		params sign.Params
		opt    sign.CanonicalOptions
		want   string
	}{
		{"empty", nil, notify, ""},
		{"single", sign.Params{{"app_id", "1"}}, notify, "app_id=1"},
		{
			"sorted by key",
			sign.Params{{"timestamp", "t"}, {"app_id", "1"}, {"method", "m"}, {"biz_content", "{}"}},
			request,
			"app_id=1&biz_content={}&method=m&timestamp=t",
		},
		{
			// Byte order, not locale order: upper case sorts before lower case.
			"byte order puts upper case first",
			sign.Params{{"b", "1"}, {"a", "2"}, {"B", "3"}, {"A", "4"}, {"_", "5"}},
			notify,
			"A=4&B=3&_=5&a=2&b=1",
		},
		{
			// Keys, not whole k=v strings, are sorted: "a" < "a1" < "a_b" although
			// "a1=" < "a=" as strings, the one case where sorting k=v differs (§2.3).
			"prefix keys: a, a1, a_b",
			sign.Params{{"a_b", "3"}, {"a1", "2"}, {"a", "1"}},
			notify,
			"a=1&a1=2&a_b=3",
		},
		{
			"multi-byte keys sort by their utf-8 bytes",
			sign.Params{{"中", "x"}, {"z", "y"}, {"~", "w"}},
			notify,
			"z=y&~=w&中=x",
		},
		{
			"notification rule drops sign and sign_type (§3.3)",
			sign.Params{{"sign", "S"}, {"sign_type", "RSA2"}, {"charset", "utf-8"}},
			notify,
			"charset=utf-8",
		},
		{
			"request rule keeps sign_type (§2.3)",
			sign.Params{{"sign", "S"}, {"sign_type", "RSA2"}, {"charset", "utf-8"}},
			request,
			"charset=utf-8&sign_type=RSA2",
		},
		{
			"unknown parameters are signed too (§1.2, §2.3)",
			sign.Params{{"alipay_sdk", "alipay-sdk-nodejs-4.0.0"}, {"x_custom", "1"}},
			request,
			"alipay_sdk=alipay-sdk-nodejs-4.0.0&x_custom=1",
		},
		{
			"empty values skipped (§1.2)",
			sign.Params{{"b", ""}, {"a", "1"}, {"c", ""}},
			notify,
			"a=1",
		},
		{
			"IncludeEmpty signs k= (the Node SDK does, §2.1)",
			sign.Params{{"b", ""}, {"a", "1"}},
			sign.CanonicalOptions{IncludeEmpty: true},
			"a=1&b=",
		},
		{
			"IncludeEmpty still honours Exclude",
			sign.Params{{"sign", ""}, {"a", ""}},
			sign.CanonicalOptions{Exclude: []string{"sign"}, IncludeEmpty: true},
			"a=",
		},
		{
			"all empty",
			sign.Params{{"a", ""}, {"b", ""}},
			notify,
			"",
		},
		{
			// Decoded raw values go in as they are: no URL encoding (§1.2 item 4).
			"raw values with & = % + and spaces",
			sign.Params{{"passback_params", "a%3Db&c=d"}, {"subject", "x + y = z"}},
			notify,
			"passback_params=a%3Db&c=d&subject=x + y = z",
		},
		{
			"chinese and json left as is",
			sign.Params{{"subject", "测试商品"}, {"biz_content", `{"subject":"中文","total_amount":0.01}`}},
			request,
			`biz_content={"subject":"中文","total_amount":0.01}&subject=测试商品`,
		},
		{
			"non-utf-8 bytes (a gbk request) left as is",
			sign.Params{{"subject", "\xd6\xd0\xce\xc4"}},
			notify,
			"subject=\xd6\xd0\xce\xc4",
		},
		{
			"a repeated key keeps both, in input order",
			sign.Params{{"k", "2"}, {"a", "0"}, {"k", "1"}},
			notify,
			"a=0&k=2&k=1",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := sign.Canonical(c.params, c.opt); got != c.want {
				t.Errorf("Canonical() = %q, want %q", got, c.want)
			}
		})
	}
}

// TestCanonicalLeavesInputAlone: sorting must work on a copy, since callers
// keep emitting params in their own order (§3.6 return order).
func TestCanonicalLeavesInputAlone(t *testing.T) {
	p := sign.Params{{"b", "1"}, {"a", "2"}}
	sign.Canonical(p, sign.CanonicalOptions{})
	if p[0].Key != "b" || p[1].Key != "a" {
		t.Errorf("Canonical reordered its input: %v", p)
	}
}

func TestParamsAccessors(t *testing.T) {
	var p sign.Params
	p.Add("a", "1")
	p.AddNonEmpty("empty", "")
	p.AddNonEmpty("b", "2")
	p.Add("a", "3")
	p.Add("blank", "")

	if len(p) != 4 {
		t.Fatalf("len = %d, want 4 (AddNonEmpty must skip empty): %v", len(p), p)
	}
	cases := []struct {
		key     string
		want    string
		present bool
	}{
		{"a", "1", true}, // first value wins
		{"b", "2", true},
		{"blank", "", true},
		{"empty", "", false},
		{"missing", "", false},
	}
	for _, c := range cases {
		v, ok := p.Get(c.key)
		if v != c.want || ok != c.present {
			t.Errorf("Get(%q) = %q, %v; want %q, %v", c.key, v, ok, c.want, c.present)
		}
		if got := p.Value(c.key); got != c.want {
			t.Errorf("Value(%q) = %q, want %q", c.key, got, c.want)
		}
	}
}
