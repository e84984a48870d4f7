package kit_test

import (
	"testing"
	"time"

	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/channel/alipay/kit"
)

func TestJudge(t *testing.T) {
	cases := []struct {
		status int
		body   string
		acked  bool
	}{
		{200, "success", true},
		{200, "success\n", false},
		{200, " success", false},
		{200, "SUCCESS", false},
		{200, "fail", false},
		{200, "", false},
		{200, "<html><body>success</body></html>", false},
		{500, "success", false},
		{302, "success", false},
		{204, "", false},
	}
	for _, c := range cases {
		if got, verdict := (kit.Delivery{}).Judge(channel.Answer{StatusCode: c.status, Body: []byte(c.body)}); got != c.acked || verdict == "" {
			t.Errorf("Judge(%d, %q) = %v %q, want %v", c.status, c.body, got, verdict, c.acked)
		}
	}
}

func TestAlipaySchedule(t *testing.T) {
	// Cumulative offsets of the 8 attempts (alipay-protocol.md §3.5).
	want := []time.Duration{0, 4 * time.Minute, 14 * time.Minute, 24 * time.Minute,
		84 * time.Minute, 204 * time.Minute, 564 * time.Minute, 1464 * time.Minute}
	s := kit.Delivery{}.Schedule()
	if s.Attempts() != len(want) {
		t.Fatalf("attempts = %d", s.Attempts())
	}
	at := time.Duration(0)
	for n := 1; n <= len(want); n++ {
		if at != want[n-1] {
			t.Errorf("attempt %d at +%v, want +%v", n, at, want[n-1])
		}
		wait, more := s.After(n)
		if more != (n < len(want)) {
			t.Errorf("after attempt %d: more = %v", n, more)
		}
		at += wait
	}
	if _, more := s.After(0); more {
		t.Error("After(0) should report no attempt")
	}
}
