package payment_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/mockpay/mockpay/payment"
)

// TestParseYuan: yuan with at most two decimals, read exactly into fen
// (alipay-protocol.md §4.3, §2.1: "13.5" and "1200" are real inputs).
func TestParseYuan(t *testing.T) {
	ok := []struct {
		in   string
		want payment.Amount
	}{
		{"0.01", 1},
		{"0.1", 10},
		{"0.07", 7}, // a float would give 7.000000000000001
		{"13.5", 1350},
		{"1200", 120000},
		{"1200.00", 120000},
		{"100000000.00", 100_000_000_00},
		{"100000000.01", 100_000_000_01}, // parses; InRange rejects it
		{"0", 0},                         // parses; InRange rejects it
		{"0.00", 0},
		{"007.10", 710},
		{" 5 ", 500}, // surrounding blanks are trimmed
		{"\t0.01\n", 1},
		{"999999999999.99", 99_999_999_999_999}, // the longest whole part accepted
	}
	for _, c := range ok {
		got, err := payment.ParseYuan(c.in)
		if err != nil || got != c.want {
			t.Errorf("ParseYuan(%q) = %d, %v; want %d", c.in, got, err, c.want)
		}
	}

	bad := []string{
		"", " ", ".5", "5.", ".", "1.001", "0.001", "1.0.0",
		"-1", "-0.01", "+1", "1e3", "1E3", "0x10", "1,000", "1 000", "1_000",
		"１",    // fullwidth digit one
		"１.00", // fullwidth
		"٥",    // Arabic-Indic five
		"NaN", "Inf", "abc", "1.a", "a.1",
		"1000000000000",                  // 13 digits: beyond any amount
		strings.Repeat("9", 40),          // would overflow int64
		strings.Repeat("9", 19) + ".99",  // would overflow int64
		"0." + strings.Repeat("0", 1000), // too many decimals, however zero
	}
	for _, in := range bad {
		if got, err := payment.ParseYuan(in); err == nil {
			t.Errorf("ParseYuan(%q) = %d, want an error", in, got)
		}
	}
}

// TestParseYuanJSON: total_amount arrives as a JSON number or string (§2.1).
func TestParseYuanJSON(t *testing.T) {
	ok := []struct {
		raw  string
		want payment.Amount
	}{
		{`0.01`, 1},
		{`13.5`, 1350},
		{`1200`, 120000},
		{`"0.01"`, 1},
		{`"13.5"`, 1350},
		{`"1200.00"`, 120000},
		{` "88.88" `, 8888},
		{`"\u0031.00"`, 100}, // a JSON escape is decoded before parsing
	}
	for _, c := range ok {
		got, err := payment.ParseYuanJSON(json.RawMessage(c.raw))
		if err != nil || got != c.want {
			t.Errorf("ParseYuanJSON(%s) = %d, %v; want %d", c.raw, got, err, c.want)
		}
	}
	bad := []string{`-1`, `1e3`, `0.001`, `"1.001"`, `""`, `null`, `true`, `"abc`, `["1"]`, `{"v":1}`, ``}
	for _, raw := range bad {
		if got, err := payment.ParseYuanJSON(json.RawMessage(raw)); err == nil {
			t.Errorf("ParseYuanJSON(%s) = %d, want an error", raw, got)
		}
	}
}

// TestYuan: always two decimals, as Alipay echoes 1200 as "1200.00" (§4.3).
func TestYuan(t *testing.T) {
	cases := []struct {
		a    payment.Amount
		want string
	}{
		{0, "0.00"},
		{1, "0.01"},
		{10, "0.10"},
		{99, "0.99"},
		{100, "1.00"},
		{1350, "13.50"},
		{120000, "1200.00"},
		{payment.MaxAmount, "100000000.00"},
		{-1, "-0.01"},
		{-150, "-1.50"},
		{-120000, "-1200.00"},
	}
	for _, c := range cases {
		if got := c.a.Yuan(); got != c.want {
			t.Errorf("Amount(%d).Yuan() = %q, want %q", int64(c.a), got, c.want)
		}
		if got := c.a.String(); got != c.want {
			t.Errorf("Amount(%d).String() = %q, want %q", int64(c.a), got, c.want)
		}
	}
}

// TestYuanMinInt64 documents the one Amount that Yuan cannot negate.
func TestYuanMinInt64(t *testing.T) {
	a := payment.Amount(-1 << 63)
	if got, want := a.Yuan(), "-92233720368547758.08"; got != want {
		t.Errorf("Yuan() = %q, want %q", got, want)
	}
}

// TestInRange: a trade amount is within [0.01, 100000000.00] (§4.3, §1.3).
func TestInRange(t *testing.T) {
	cases := []struct {
		a    payment.Amount
		want bool
	}{
		{-1, false},
		{0, false}, // zero is not allowed
		{1, true},
		{payment.MinAmount, true},
		{123456, true},
		{payment.MaxAmount, true},
		{payment.MaxAmount + 1, false},
	}
	for _, c := range cases {
		if got := c.a.InRange(); got != c.want {
			t.Errorf("Amount(%d).InRange() = %v, want %v", int64(c.a), got, c.want)
		}
	}
	if payment.MaxAmount != 100_000_000_00 || payment.MinAmount != 1 {
		t.Errorf("limits are %d..%d fen, want 1..10000000000", payment.MinAmount, payment.MaxAmount)
	}
}
