package main

import (
	"context"
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

// TestGlobalFlagsBeforeTheCommand: --server and --json work before the
// subcommand as after it; wait blocks until the trade is paid.
func TestGlobalFlagsBeforeTheCommand(t *testing.T) {
	s := newSandbox(t)
	var out, errOut strings.Builder
	if err := run(context.Background(), []string{"--server", s.base, "--json", "clock"}, envFunc(nil), &out, &errOut); err != nil || !strings.HasPrefix(out.String(), `{"now":`) {
		t.Errorf("mockpay --server URL --json clock: %v %q %s", err, out.String(), errOut.String())
	}
	out.Reset()
	if err := run(context.Background(), []string{"--server=" + s.base, "apps"}, envFunc(nil), &out, &errOut); err != nil || !strings.Contains(out.String(), fixtureApp) {
		t.Errorf("mockpay --server=URL apps: %v", err)
	}
	paid := s.mustCLI("trigger", "payment.paid", "--app", fixtureApp, "--json")
	tradeNo := between(paid, `"trade_no":"`, `"`)
	if got := s.mustCLI("wait", "trade", "--trade", tradeNo, "--status", "TRADE_SUCCESS", "--timeout", "2s"); !strings.Contains(got, "is TRADE_SUCCESS") {
		t.Errorf("wait trade: %s", got)
	}
	if _, err := s.cli("wait", "notification", "--trade", tradeNo, "--status", "nope"); exitCode(err) != 2 {
		t.Errorf("wait notification --status nope: %v", err)
	}
	if got := s.mustCLI("completion", "bash"); !strings.Contains(got, "complete -F _mockpay mockpay") || !strings.Contains(got, "trigger) opts=") {
		t.Errorf("completion bash:\n%s", got)
	}
}

func between(s, from, to string) string {
	_, after, ok := strings.Cut(s, from)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(after, to)
	return v
}
