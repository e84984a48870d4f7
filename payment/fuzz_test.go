package payment_test

import (
	"testing"

	"github.com/mockpay/mockpay/payment"
)

// FuzzParseYuan: no input panics; an accepted amount is never negative and
// survives Yuan() -> ParseYuan unchanged (§4.3: output is always 2 decimals).
func FuzzParseYuan(f *testing.F) {
	for _, s := range []string{"0.01", "13.5", "1200", "1200.00", "100000000.00", " 5 ", "", ".5", "5.", "1.001",
		"-1", "+1", "1e3", "0x10", "１", "999999999999.99", "9999999999999", "007.10", "0.", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := payment.ParseYuan(s)
		if err != nil {
			return
		}
		if a < 0 {
			t.Fatalf("ParseYuan(%q) = %d < 0", s, a)
		}
		back, err := payment.ParseYuan(a.Yuan())
		if err != nil || back != a {
			t.Fatalf("ParseYuan(%q) = %d; Yuan() = %q parses to %d, %v", s, a, a.Yuan(), back, err)
		}
	})
}
