package kit_test

import (
	"strings"
	"testing"

	"github.com/mockpay/mockpay/channel/alipay/kit"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/sign"
)

// kvs builds params from alternating keys and values.
func kvs(kv ...string) sign.Params {
	out := sign.Params{}
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, sign.Param{Key: kv[i], Value: kv[i+1]})
	}
	return out
}

// TestParseForm: form decoding keeps the raw bytes the sender encoded, since
// the signature is over them (alipay-protocol.md §2.3 "Charset").
func TestParseForm(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want sign.Params
	}{
		{"empty", "", kvs()},
		{"order kept, not sorted", "method=m&app_id=1&charset=utf-8", kvs("method", "m", "app_id", "1", "charset", "utf-8")},
		{"first value of a repeated key wins", "a=1&b=2&a=3", kvs("a", "1", "b", "2")},
		{"repeated key, second empty", "a=1&a=", kvs("a", "1")},
		{"repeated key, first empty", "a=&a=1", kvs("a", "")},
		{"+ is a space", "subject=a+b+c", kvs("subject", "a b c")},
		{"%2B is a plus", "sign=ab%2Bcd%3D%3D", kvs("sign", "ab+cd==")},
		{"%20 is a space (Node encodes with %20, §6.3)", "subject=a%20b", kvs("subject", "a b")},
		{"utf-8 escapes", "subject=%E4%B8%AD%E6%96%87", kvs("subject", "中文")},
		{"gbk escapes kept as raw bytes", "subject=%D6%D0%CE%C4", kvs("subject", "\xd6\xd0\xce\xc4")},
		{"invalid utf-8 in key and value kept", "%FF=%FE%00", kvs("\xff", "\xfe\x00")},
		{"json value", "biz_content=%7B%22out_trade_no%22%3A%22A1%22%7D", kvs("biz_content", `{"out_trade_no":"A1"}`)},
		{"escaped & and = inside a value", "passback_params=a%3D1%26b%3D2", kvs("passback_params", "a=1&b=2")},
		{"double-encoded value decoded once", "notify_id=Rq%252Fvw", kvs("notify_id", "Rq%2Fvw")},
		{"escaped key", "biz%5Fcontent=x", kvs("biz_content", "x")},
		{"value split at the first =", "a==b=c", kvs("a", "=b=c")},
		{"empty pairs skipped", "&&a=1&&b=2&", kvs("a", "1", "b", "2")},
		{"key without =", "flag&a=1", kvs("flag", "", "a", "1")},
		{"key with empty value", "a=&b=2", kvs("a", "", "b", "2")},
		{"raw unescaped chinese passes through", "subject=中文", kvs("subject", "中文")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := kit.ParseForm(c.in)
			if err != nil {
				t.Fatalf("ParseForm(%q): %v", c.in, err)
			}
			if !paramsEqual(got, c.want) {
				t.Errorf("ParseForm(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}

	for _, in := range []string{"a=%", "a=%4", "a=%zz", "a=1&b=%G0", "%=1", "k%2=1", "a=%E4%B8%A"} {
		if got, err := kit.ParseForm(in); err == nil {
			t.Errorf("ParseForm(%q) = %q, want a malformed-escape error", in, got)
		}
	}
}

// TestMergeParams: query and body together; a key in both with one value
// counts once (gopay's charset), the body wins when they differ (§2.3 item 1).
func TestMergeParams(t *testing.T) {
	cases := []struct {
		name        string
		query, body sign.Params
		want        sign.Params
	}{
		{
			"gopay: charset in query and body",
			kvs("charset", "utf-8"),
			kvs("app_id", "1", "charset", "utf-8", "method", "m"),
			kvs("charset", "utf-8", "app_id", "1", "method", "m"),
		},
		{
			"node: common params in query, biz_content in body (§2.1)",
			kvs("app_id", "1", "sign", "S", "charset", "utf-8"),
			kvs("biz_content", "{}"),
			kvs("app_id", "1", "sign", "S", "charset", "utf-8", "biz_content", "{}"),
		},
		{
			"differing values: body wins, in the query's position",
			kvs("charset", "utf-8", "a", "1"),
			kvs("b", "2", "charset", "gbk"),
			kvs("charset", "gbk", "a", "1", "b", "2"),
		},
		{
			"empty body value still wins",
			kvs("notify_url", "http://x"),
			kvs("notify_url", ""),
			kvs("notify_url", ""),
		},
		{"only query", kvs("a", "1"), nil, kvs("a", "1")},
		{"only body", nil, kvs("a", "1"), kvs("a", "1")},
		{"neither", nil, nil, kvs()},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := kit.MergeParams(c.query, c.body)
			if !paramsEqual(got, c.want) {
				t.Errorf("MergeParams = %q, want %q", got, c.want)
			}
		})
	}

	// What the merge is for: gopay's signed string holds charset once.
	q, _ := kit.ParseForm("charset=utf-8")
	b, _ := kit.ParseForm("app_id=1&charset=utf-8&sign=S")
	got := sign.Canonical(kit.MergeParams(q, b), sign.CanonicalOptions{Exclude: []string{"sign"}})
	if want := "app_id=1&charset=utf-8"; got != want {
		t.Errorf("canonical of merged gopay request = %q, want %q", got, want)
	}
}

func TestParseCharset(t *testing.T) {
	cases := []struct {
		in   string
		want kit.Charset
		ok   bool
	}{
		{"", kit.UTF8, true}, // absent means utf-8
		{"utf-8", kit.UTF8, true},
		{"UTF-8", kit.UTF8, true}, // Java sends UTF-8 (§2.1)
		{"Utf-8", kit.UTF8, true},
		{"utf8", kit.UTF8, true},
		{"gbk", kit.GBK, true},
		{"GBK", kit.GBK, true},
		{"gb2312", kit.GBK, true},
		{"GB2312", kit.GBK, true},
		{"latin1", "", false},
		{"gb18030", "", false},
		{"utf-16", "", false},
		{" utf-8", "", false},
		{"utf-8;", "", false},
	}
	for _, c := range cases {
		got, ok := kit.ParseCharset(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("ParseCharset(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

// TestToUTF8: values are decoded with the request's charset after the
// signature is checked over the raw bytes (§2.3 "Charset").
func TestToUTF8(t *testing.T) {
	gbk := gbkBytes(t, "中文")
	if gbk != "\xd6\xd0\xce\xc4" {
		t.Fatalf("gbk of 中文 = %x, want d6d0cec4", gbk)
	}
	cases := []struct {
		name string
		in   sign.Params
		cs   kit.Charset
		want sign.Params
	}{
		{"gbk to utf-8", kvs("subject", gbk, "app_id", "2021"), kit.GBK, kvs("subject", "中文", "app_id", "2021")},
		{"gbk ascii unchanged", kvs("a", "x=1&y"), kit.GBK, kvs("a", "x=1&y")},
		{"utf-8 unchanged", kvs("subject", "中文", "b", ""), kit.UTF8, kvs("subject", "中文", "b", "")},
		{"empty", kvs(), kit.UTF8, kvs()},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := kit.ToUTF8(c.in, c.cs)
			if err != nil {
				t.Fatal(err)
			}
			if !paramsEqual(got, c.want) {
				t.Errorf("ToUTF8 = %q, want %q", got, c.want)
			}
		})
	}

	in := kvs("app_id", "1", "subject", "\xd6\xd0\xce\xc4")
	_, err := kit.ToUTF8(in, kit.UTF8)
	if payment.CodeOf(err) != payment.CodeInvalidEncoding {
		t.Errorf("gbk bytes declared utf-8: err = %v, want code %s", err, payment.CodeInvalidEncoding)
	}
	if in[1].Value != "\xd6\xd0\xce\xc4" {
		t.Error("ToUTF8 modified its input")
	}
}

// TestToUTF8InvalidGBK: bytes that are not gbk should be refused like
// invalid utf-8 is, not turned into U+FFFD.
func TestToUTF8InvalidGBK(t *testing.T) {
	for _, v := range []string{"\xff", "\x81", "\xd6\xd0\xce"} {
		got, err := kit.ToUTF8(kvs("subject", v), kit.GBK)
		if payment.CodeOf(err) != payment.CodeInvalidEncoding {
			t.Errorf("ToUTF8(%q, gbk) = %q, %v; want code %s", v, got, err, payment.CodeInvalidEncoding)
		}
	}
}

// TestEncode: responses and notifications go out in the request charset;
// what gbk cannot hold becomes '?' (§2.3, §3.1).
func TestEncode(t *testing.T) {
	cases := []struct {
		name string
		in   string
		cs   kit.Charset
		want string
	}{
		{"utf-8 unchanged", "中文😀", kit.UTF8, "中文😀"},
		{"gbk chinese", "中文", kit.GBK, "\xd6\xd0\xce\xc4"},
		{"gbk ascii", `{"code":"10000"}`, kit.GBK, `{"code":"10000"}`},
		{"gbk emoji becomes ?", "中😀文", kit.GBK, "\xd6\xd0?\xce\xc4"},
		{"gbk two unencodable runes", "😀a🎉", kit.GBK, "?a?"},
		{"gbk empty", "", kit.GBK, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := string(kit.Encode(c.in, c.cs)); got != c.want {
				t.Errorf("Encode(%q, %s) = %q, want %q", c.in, c.cs, got, c.want)
			}
		})
	}
}

func TestEncodeForm(t *testing.T) {
	p := kvs("subject", "中文 a&b=c", "app_id", "1", "sign", "ab+/cd==", "odd key", "")
	cases := []struct {
		cs   kit.Charset
		want string
	}{
		{kit.UTF8, "subject=%E4%B8%AD%E6%96%87+a%26b%3Dc&app_id=1&sign=ab%2B%2Fcd%3D%3D&odd+key="},
		{kit.GBK, "subject=%D6%D0%CE%C4+a%26b%3Dc&app_id=1&sign=ab%2B%2Fcd%3D%3D&odd+key="},
	}
	for _, c := range cases {
		got := kit.EncodeForm(p, c.cs)
		if got != c.want {
			t.Errorf("EncodeForm(%s) = %q, want %q", c.cs, got, c.want)
		}
		// And back: ParseForm gives the charset's bytes, ToUTF8 the text.
		raw, err := kit.ParseForm(got)
		if err != nil {
			t.Fatal(err)
		}
		back, err := kit.ToUTF8(raw, c.cs)
		if err != nil || !paramsEqual(back, p) {
			t.Errorf("round trip %s = %q, %v; want %q", c.cs, back, err, p)
		}
	}
	if got := kit.EncodeForm(nil, kit.UTF8); got != "" {
		t.Errorf("EncodeForm(nil) = %q", got)
	}
}

// TestTailPairs: after a cut, the remainder of the cut pair is skipped (or
// not, when the cut fell on an '&'), small pairs are kept, pairs longer than
// the bound are dropped whole.
func TestTailPairs(t *testing.T) {
	long := strings.Repeat("z", 100)
	cases := []struct {
		tail      string
		cutAtPair bool
		want      string
	}{
		{"xxxx&method=a.b&charset=gbk", false, "method=a.b&charset=gbk"},
		{"method=a.b&charset=gbk", true, "method=a.b&charset=gbk"},
		{"xx" + long + "&k=" + long + "&sign=s&", false, "sign=s"},
		{"no-ampersand-at-all", false, ""},
		{"", true, ""},
		{"x&&a=1", false, "a=1"},
	}
	for _, c := range cases {
		if got := kit.TailPairs(strings.NewReader(c.tail), c.cutAtPair, 32); got != c.want {
			t.Errorf("TailPairs(%.40q, %v) = %q, want %q", c.tail, c.cutAtPair, got, c.want)
		}
	}
}
