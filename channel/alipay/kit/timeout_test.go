package kit

import (
	"testing"
	"time"

	"github.com/mockpay/mockpay/payment"
)

// TestParseTimeoutExpress: Nm, Nh or Nd, integers only, 1m to 15d; 1c closes
// at the coming midnight GMT+8 (alipay-protocol.md §4.2, §1.3 it_b_pay).
func TestParseTimeoutExpress(t *testing.T) {
	// 20:00 UTC on 1 May is 04:00 on 2 May in GMT+8: "1c" closes at the
	// start of 3 May GMT+8, not of 2 May (UTC's next midnight).
	now := time.Date(2026, 5, 1, 20, 0, 0, 0, time.UTC)
	midnight := time.Date(2026, 5, 3, 0, 0, 0, 0, payment.CST)

	ok := []struct {
		in    string
		after time.Duration
		at    time.Time
	}{
		{"1m", time.Minute, time.Time{}},
		{"90m", 90 * time.Minute, time.Time{}}, // the integer way to say 1.5h
		{"2h", 2 * time.Hour, time.Time{}},
		{"15h", 15 * time.Hour, time.Time{}},
		{"15d", 15 * 24 * time.Hour, time.Time{}},
		{"360h", 360 * time.Hour, time.Time{}},       // = 15d
		{"21600m", 21600 * time.Minute, time.Time{}}, // = 15d
		{"1c", 0, midnight},
	}
	for _, c := range ok {
		after, at, err := ParseTimeoutExpress(c.in, now)
		if err != nil {
			t.Errorf("ParseTimeoutExpress(%q): %v", c.in, err)
			continue
		}
		if after != c.after || !at.Equal(c.at) {
			t.Errorf("ParseTimeoutExpress(%q) = %v, %v; want %v, %v", c.in, after, at, c.after, c.at)
		}
	}

	bad := []string{
		"", "m", "0m", "0d", "-1m", "+5m", "5", "5s", "1M", "1H", "16d", "361h", "21601m",
		"1.5h", "1,5h", " 5m", "5m ", "5 m", "1d1h", "2c", "0c", "1C", "c", "１m",
		"99999999999999999999m", // beyond int
	}
	for _, in := range bad {
		after, at, err := ParseTimeoutExpress(in, now)
		if err == nil {
			t.Errorf("ParseTimeoutExpress(%q) = %v, %v; want an error", in, after, at)
			continue
		}
		if payment.CodeOf(err) != payment.CodeInvalidParameter {
			t.Errorf("ParseTimeoutExpress(%q): code %s, want %s", in, payment.CodeOf(err), payment.CodeInvalidParameter)
		}
	}
}

// TestParseTimeoutExpress1c: "1c" at the edges of a GMT+8 day.
func TestParseTimeoutExpress1c(t *testing.T) {
	cases := []struct {
		now, want time.Time
	}{
		// 23:59:59 on 1 May GMT+8 closes one second later.
		{time.Date(2026, 5, 1, 15, 59, 59, 0, time.UTC), time.Date(2026, 5, 2, 0, 0, 0, 0, payment.CST)},
		// 00:00:00 on 2 May GMT+8 closes at the end of 2 May.
		{time.Date(2026, 5, 1, 16, 0, 0, 0, time.UTC), time.Date(2026, 5, 3, 0, 0, 0, 0, payment.CST)},
		// The last day of a year.
		{time.Date(2026, 12, 31, 12, 0, 0, 0, payment.CST), time.Date(2027, 1, 1, 0, 0, 0, 0, payment.CST)},
	}
	for _, c := range cases {
		_, at, err := ParseTimeoutExpress("1c", c.now)
		if err != nil || !at.Equal(c.want) {
			t.Errorf("1c at %v = %v, %v; want %v", c.now, at, err, c.want)
		}
	}
}

// TestParseTimeoutExpressOverflow: N times the unit must not wrap around.
func TestParseTimeoutExpressOverflow(t *testing.T) {
	now := time.Date(2026, 5, 1, 20, 0, 0, 0, time.UTC)
	for _, in := range []string{"153722868m", "2562048h", "106751992d", "9223372036854775807m"} {
		after, _, err := ParseTimeoutExpress(in, now)
		if err == nil {
			t.Errorf("ParseTimeoutExpress(%q) = %v, want an error (range is 1m to 15d)", in, after)
		}
	}
}
