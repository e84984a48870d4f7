package sign_test

import (
	"crypto/md5"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/mockpay/mockpay/sign"
)

// TestMD5 checks the legacy rule: MD5 over content with the key appended,
// no separator, lower-case hex (§1.2 items 5-6).
func TestMD5(t *testing.T) {
	cases := []struct {
		name, content, key string
	}{
		{"legacy request", "_input_charset=utf-8&out_trade_no=A1&partner=2088102100000001&service=create_direct_pay_by_user&subject=测试&total_fee=0.01", "0123456789abcdefghijklmnopqrstuv"},
		{"empty content", "", "key"},
		{"empty key", "a=1", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sum := md5.Sum([]byte(c.content + c.key))
			want := hex.EncodeToString(sum[:])
			got := sign.MD5([]byte(c.content), []byte(c.key))
			if got != want {
				t.Errorf("MD5 = %q, want %q", got, want)
			}
			if got != strings.ToLower(got) || len(got) != 32 {
				t.Errorf("MD5 = %q, want 32 lower-case hex chars", got)
			}
		})
	}
	// RFC 1321's "abc" vector, split between content and key: proves the key
	// is appended with nothing in between.
	if got := sign.MD5([]byte("a"), []byte("bc")); got != "900150983cd24fb0d6963f7d28e17f72" {
		t.Errorf(`MD5("a", "bc") = %q, want md5("abc")`, got)
	}
}

// TestVerifyMD5 is case-sensitive, like the merchant demos' == (§1.2 item 6).
func TestVerifyMD5(t *testing.T) {
	content, key := []byte("a"), []byte("bc")
	const good = "900150983cd24fb0d6963f7d28e17f72"
	cases := []struct {
		sig  string
		want bool
	}{
		{good, true},
		{strings.ToUpper(good), false},
		{good[:31], false},
		{good + "0", false},
		{"", false},
		{"900150983cd24fb0d6963f7d28e17f73", false},
	}
	for _, c := range cases {
		if got := sign.VerifyMD5(content, key, c.sig); got != c.want {
			t.Errorf("VerifyMD5(%q) = %v, want %v", c.sig, got, c.want)
		}
	}
	if sign.VerifyMD5(content, []byte("bd"), good) {
		t.Error("VerifyMD5 accepted a signature made with another key")
	}
}
