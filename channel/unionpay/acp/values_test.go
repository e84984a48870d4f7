package acp

import (
	"testing"
	"time"
)

// TestSettleDateCutOver: 23:00 Beijing time starts the next settlement
// day (§5.5, §8 item 2), whatever zone the clock reads in.
func TestSettleDateCutOver(t *testing.T) {
	for _, c := range []struct {
		at   time.Time
		want string
	}{
		{time.Date(2026, 12, 1, 22, 59, 59, 0, CST), "1201"},
		{time.Date(2026, 12, 1, 23, 0, 0, 0, CST), "1202"},
		{time.Date(2026, 12, 1, 15, 0, 0, 0, time.UTC), "1202"}, // 23:00 CST
		{time.Date(2026, 12, 31, 23, 30, 0, 0, CST), "0101"},
		{time.Date(2026, 12, 2, 0, 10, 0, 0, CST), "1202"},
	} {
		if got := SettleDate(c.at); got != c.want {
			t.Errorf("SettleDate(%s) = %s, want %s", c.at, got, c.want)
		}
	}
	from, to := SettleWindow(time.Date(2026, 12, 2, 0, 0, 0, 0, CST))
	if !from.Equal(time.Date(2026, 12, 1, 23, 0, 0, 0, CST)) || !to.Equal(time.Date(2026, 12, 2, 23, 0, 0, 0, CST)) {
		t.Errorf("window %s – %s", from, to)
	}
}

func TestValues(t *testing.T) {
	if _, ok := ParseFen("0100"); ok {
		t.Error("leading zero accepted")
	}
	if a, ok := ParseFen("1500"); !ok || Fen(a) != "1500" {
		t.Error("1500 fen")
	}
	if ValidOrderID("CT-PAY01") || ValidOrderID("short") || !ValidOrderID("ORDER2026120101") {
		t.Error("orderId rule")
	}
	q := QueryID(time.Date(2022, 9, 11, 4, 16, 47, 0, CST))
	if len(q) != 21 || q[2:14] != "220911041647" || len(TraceNo(q)) != 6 {
		t.Errorf("queryId %s", q)
	}
}
