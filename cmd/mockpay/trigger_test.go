package main

import (
	"strings"
	"testing"
	"time"
)

// TestTriggerCommand: mockpay trigger payment.paid makes a paid trade whose
// notification reaches the shop; a bad event or a missing --app is a usage
// error with one line.
func TestTriggerCommand(t *testing.T) {
	s := newSandbox(t)
	out := s.mustCLI("trigger", "payment.paid", "--app", fixtureApp, "--notify-url", s.shop.URL+"/notify", "--amount", "9.90")
	if !strings.HasPrefix(out, "payment.paid: trade ") || !strings.Contains(out, "is TRADE_SUCCESS") || !strings.Contains(out, "mockpay notifications --follow --trade ") {
		t.Errorf("trigger payment.paid:\n%s", out)
	}
	select {
	case body := <-s.shop.received:
		if !strings.Contains(body, "trade_status=TRADE_SUCCESS") || !strings.Contains(body, "total_amount=9.90") {
			t.Errorf("notification: %s", body)
		}
	case <-timeout():
		t.Fatal("no notification")
	}
	if out := s.mustCLI("trigger", "payment.refunded", "--app", fixtureApp, "--refund-amount", "0.40"); !strings.Contains(out, "0.40 of 1.00 refunded") {
		t.Errorf("trigger payment.refunded:\n%s", out)
	}
	for _, args := range [][]string{{"trigger", "payment.exploded", "--app", fixtureApp}, {"trigger", "payment.paid"}, {"trigger", "payment.paid", "--app", fixtureApp, "--refund-amount", "1"}} {
		if _, err := s.cli(args...); exitCode(err) != 2 || strings.Contains(err.Error(), "\n") {
			t.Errorf("%v: %v", args, err)
		}
	}
}

func timeout() <-chan time.Time { return time.After(10 * time.Second) }
