package unionpay

import (
	"testing"
	"time"

	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/payment"
)

// TestJudge: 200 or 302 acknowledges whatever the body (§5.2).
func TestJudge(t *testing.T) {
	for code, want := range map[int]bool{200: true, 302: true, 204: false, 500: false, 404: false, 0: false} {
		if got, _ := (Notifier{}).Judge(channel.Answer{StatusCode: code, Body: []byte("fail")}); got != want {
			t.Errorf("HTTP %d: acked %v, want %v", code, got, want)
		}
	}
}

// TestSchedule: five sends by default (§5.2); a configured one replaces it.
func TestSchedule(t *testing.T) {
	if n := (Notifier{}).Schedule(); n.Attempts() != 5 || n[0] != time.Minute {
		t.Errorf("default schedule %v", n)
	}
	own := channel.Schedule{time.Second}
	if n := (Notifier{schedule: own}).Schedule(); len(n) != 1 {
		t.Errorf("configured schedule %v", n)
	}
	if (Notifier{}).Timeout() != 10*time.Second {
		t.Error("timeout")
	}
}

func TestErrorCodes(t *testing.T) {
	for code, want := range map[string]string{"invalid_signature": "11", "trade_not_exist": "34", "refund_amount_exceeded": "33", "trade_has_success": "12"} {
		if got := ErrorCode(codeOf(code)); got != want {
			t.Errorf("%s → %s, want %s", code, got, want)
		}
	}
	if c, _ := wireOf(refuse(rcOrigReversed, "x")); c != "45" {
		t.Errorf("refuse: %s", c)
	}
}

func codeOf(s string) payment.Code { return payment.Code(s) }
