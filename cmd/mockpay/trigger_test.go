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

// TestSendCommand: mockpay send delivers a trade's notification to another
// URL, signed, and reports the answer; the notification's own attempts stay.
func TestSendCommand(t *testing.T) {
	s := newSandbox(t)
	paid := s.mustCLI("trigger", "payment.paid", "--app", fixtureApp, "--notify-url", s.shop.URL+"/notify", "--json")
	tradeNo := between(paid, `"trade_no":"`, `"`)
	<-s.shop.received
	// The shop has answered; the attempt is recorded a moment later.
	s.mustCLI("wait", "notification", "--trade", tradeNo, "--status", "acked", "--attempts", "1")
	other := newCLIShop(t)
	out := s.mustCLI("send", "--trade", tradeNo, "--to", other.URL+"/notify")
	if !strings.Contains(out, "HTTP 200") || !strings.Contains(out, "✓ acknowledged") {
		t.Errorf("send:\n%s", out)
	}
	select {
	case body := <-other.received:
		if !strings.Contains(body, "trade_no="+tradeNo) || !strings.Contains(body, "sign=") {
			t.Errorf("sent body: %s", body)
		}
	case <-timeout():
		t.Fatal("nothing sent")
	}
	var ns []map[string]any
	s.api("/trades/"+tradeNo+"/notifications", &ns)
	if len(ns) != 1 || ns[0]["attempt_count"].(float64) != 1 {
		t.Errorf("the notification's own attempts changed: %v", ns)
	}
	if _, err := s.cli("send", "1"); exitCode(err) != 2 {
		t.Errorf("send without --to: %v", err)
	}
	if _, err := s.cli("send", "--to", s.base+"/_mockpay/api/reset", "1"); err != nil {
		t.Errorf("send to mockpay itself: %v", err) // answered, with a refusing verdict
	} else if out, _ := s.cli("send", "--to", s.base+"/_mockpay/api/reset", "1"); !strings.Contains(out, "not sent") {
		t.Errorf("send to mockpay itself:\n%s", out)
	}
}

// TestManualMarkedInTheCLI: a redelivery reads as manual in trades show.
func TestManualMarkedInTheCLI(t *testing.T) {
	s := newSandbox(t)
	paid := s.mustCLI("trigger", "payment.paid", "--app", fixtureApp, "--notify-url", s.shop.URL+"/notify", "--json")
	tradeNo := between(paid, `"trade_no":"`, `"`)
	<-s.shop.received
	s.mustCLI("wait", "notification", "--trade", tradeNo, "--status", "acked", "--attempts", "1")
	s.mustCLI("redeliver", "1")
	<-s.shop.received
	s.mustCLI("wait", "notification", "--trade", tradeNo, "--status", "acked", "--attempts", "2")
	out := s.mustCLI("trades", "show", tradeNo)
	if !strings.Contains(out, "attempt 2 (manual) →") || strings.Contains(out, "attempt 1 (manual)") {
		t.Errorf("trades show:\n%s", out)
	}
}
