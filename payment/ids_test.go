package payment_test

import (
	"regexp"
	"testing"
	"time"

	"github.com/mockpay/mockpay/payment"
)

// 20:00 UTC on 1 May is 04:00 on 2 May in GMT+8: an id dated in UTC would
// start 20260501 (§4.6 ids carry the GMT+8 date).
var lateUTC = time.Date(2026, 5, 1, 20, 0, 0, 0, time.UTC)

// TestNewTradeNo: yyyyMMdd + "22" + 18 digits, 28 in all (§4.6).
func TestNewTradeNo(t *testing.T) {
	shape := regexp.MustCompile(`^[0-9]{28}$`)
	cases := []struct {
		now  time.Time
		date string
	}{
		{lateUTC, "20260502"},
		{time.Date(2026, 5, 1, 15, 59, 59, 0, time.UTC), "20260501"},
		{time.Date(2026, 5, 1, 16, 0, 0, 0, time.UTC), "20260502"},
		{time.Date(2026, 12, 31, 23, 30, 0, 0, time.FixedZone("PST", -8*3600)), "20270101"},
	}
	for _, c := range cases {
		no := payment.NewTradeNo(c.now)
		if !shape.MatchString(no) {
			t.Errorf("NewTradeNo(%v) = %q, want 28 digits", c.now, no)
			continue
		}
		if no[:8] != c.date {
			t.Errorf("NewTradeNo(%v) = %q, want date %s (GMT+8)", c.now, no, c.date)
		}
		if no[8:10] != "22" {
			t.Errorf("NewTradeNo(%v) = %q, want \"22\" at positions 8-9", c.now, no)
		}
	}
	if a, b := payment.NewTradeNo(lateUTC), payment.NewTradeNo(lateUTC); a == b {
		t.Errorf("two trade numbers at the same instant are equal: %s", a)
	}
}

// TestNewNotifyID: 34 digits starting with the GMT+8 date (§3.2, §4.6).
func TestNewNotifyID(t *testing.T) {
	shape := regexp.MustCompile(`^20260502[0-9]{26}$`)
	a, b := payment.NewNotifyID(lateUTC), payment.NewNotifyID(lateUTC)
	for _, id := range []string{a, b} {
		if !shape.MatchString(id) {
			t.Errorf("NewNotifyID = %q (len %d), want 34 digits starting 20260502", id, len(id))
		}
	}
	if a == b {
		t.Errorf("two notify ids at the same instant are equal: %s", a)
	}
}

func TestCST(t *testing.T) {
	if _, off := lateUTC.In(payment.CST).Zone(); off != 8*3600 {
		t.Errorf("CST offset = %ds, want +8h", off)
	}
}
