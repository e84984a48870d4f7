package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
)

// send delivers a notification once to any URL, signed now: a real
// notification for a handler under development, without a new payment.
func send(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fl := newFlags("send [flags] --to URL (<notification id> | --trade T)",
		"Deliver a notification once to any URL, signed as the platform signs it now, and print what that URL\nanswered and whether the platform would count it as acknowledged. Nothing is recorded; the\nnotification's own deliveries and schedule are untouched. --trade picks the trade's latest notification.", stderr).remote(getenv).readable()
	to := fl.String("to", "", "where to send it (required)")
	tradeNo := fl.String("trade", "", "send the latest notification of this trade_no")
	rest, err := fl.parse(args)
	if err != nil {
		return err
	}
	if *to == "" {
		return usageError{"send needs --to URL"}
	}
	var id int64
	switch {
	case len(rest) == 1 && *tradeNo == "":
		if id, err = strconv.ParseInt(rest[0], 10, 64); err != nil {
			return usageError{fmt.Sprintf("notification id %q is not a number", rest[0])}
		}
	case len(rest) == 0 && *tradeNo != "":
	default:
		return usageError{"send takes a notification id or --trade, one of them"}
	}
	c, err := fl.client()
	if err != nil {
		return err
	}
	if *tradeNo != "" {
		ns, err := c.TradeNotifications(ctx, *tradeNo)
		if err != nil {
			return err
		}
		if len(ns) == 0 {
			return fmt.Errorf("trade %s has no notification yet (pay it first: mockpay pay %s)", *tradeNo, *tradeNo)
		}
		id = ns[len(ns)-1].ID
	}
	r, err := c.Send(ctx, id, *to)
	if err != nil {
		return err
	}
	return fl.show(stdout, c.raw, func() error {
		a := r.Attempt
		verdict := "✗ not acknowledged"
		if a.Acked {
			verdict = "✓ acknowledged"
		}
		_, err := fmt.Fprintf(stdout, "notification #%d (notify_id %s) → %s\nHTTP %s in %d ms: %q\n%s: %s\n",
			r.NotificationID, r.NotifyID, a.URL, statusText(a.StatusCode), a.LatencyMS, a.Answer, verdict, a.Verdict)
		return err
	})
}

func statusText(code int) string {
	if code == 0 {
		return "-"
	}
	return strconv.Itoa(code)
}
