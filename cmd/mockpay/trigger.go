package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/mockpay/mockpay/controlapi"
)

// triggerEvents are the events `mockpay trigger` makes, by the outcome the
// control API drives the trade to.
var triggerEvents = map[string]string{
	"payment.paid":     "paid",
	"payment.failed":   "failed",
	"payment.closed":   "closed",
	"payment.refunded": "refunded",
}

const triggerNames = "payment.paid, payment.failed, payment.closed, payment.refunded"

// trigger makes an event happen without signing: a trade as if the app's
// shop ordered it, driven to the event, so the shop's notify_url receives
// the platform's real signed notifications (POST /_mockpay/api/trades).
func trigger(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fl := newFlags("trigger [flags] <event>",
		"Make an event happen without signing anything: a trade created as if the app's shop ordered it and driven\nto the event, so the shop's notify_url receives the platform's real signed notifications on its schedule.\nEvents: "+triggerNames+" (--refund-amount for a partial refund).", stderr).remote(getenv).readable()
	appID := fl.String("app", "", "the app (or partner) whose shop the trade is for (required; mockpay apps lists them)")
	notifyURL := fl.String("notify-url", "", "the shop's notify_url, where the notifications go (none: no notification)")
	amount := fl.String("amount", "1.00", "the order's total_amount in yuan")
	subject := fl.String("subject", "", "the order's subject (default: mockpay trigger)")
	outTradeNo := fl.String("out-trade-no", "", "the order's out_trade_no (default: a fresh TRIGGER… number)")
	refundAmount := fl.String("refund-amount", "", "payment.refunded: refund this much instead of the whole amount")
	rest, c, err := fl.start(args, 1, "an event: "+triggerNames)
	if err != nil {
		return err
	}
	outcome, ok := triggerEvents[rest[0]]
	if !ok {
		return usageError{fmt.Sprintf("unknown event %q: use %s", rest[0], triggerNames)}
	}
	if *appID == "" {
		return usageError{"trigger needs --app (mockpay apps lists them)"}
	}
	if *refundAmount != "" && outcome != "refunded" {
		return usageError{"--refund-amount goes with payment.refunded"}
	}
	t, err := c.Trigger(ctx, controlapi.TriggerRequest{AppID: *appID, Amount: *amount, Subject: *subject, NotifyURL: *notifyURL,
		OutTradeNo: *outTradeNo, Outcome: outcome, RefundAmount: *refundAmount})
	if err != nil {
		return err
	}
	return fl.show(stdout, c.raw, func() error {
		var b strings.Builder
		fmt.Fprintf(&b, "%s: trade %s (out_trade_no %s, app %s) is %s", rest[0], t.TradeNo, t.OutTradeNo, t.AppID, t.Status)
		if t.RefundedAmount != "" {
			fmt.Fprintf(&b, ", %s of %s refunded", t.RefundedAmount, t.TotalAmount)
		}
		b.WriteString("\n")
		switch {
		case t.NotifyURL != "" && outcome != "failed" && outcome != "closed":
			fmt.Fprintf(&b, "its notifications go to %s\nwatch them with: mockpay notifications --follow --trade %s\n", t.NotifyURL, t.TradeNo)
		case t.NotifyURL == "":
			b.WriteString("no --notify-url: no notification is sent\n")
		}
		_, err := io.WriteString(stdout, b.String())
		return err
	})
}
