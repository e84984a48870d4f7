package main

import (
	"context"
	"fmt"
	"io"
	"strconv"

	"github.com/mockpay/mockpay/controlapi"
)

// trades lists trades, newest first; "trades show" is its subcommand.
func trades(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "show" {
		return tradesShow(ctx, args[1:], getenv, stdout, stderr)
	}
	if len(args) > 0 && args[0] == "refunds" {
		return tradesRefunds(ctx, args[1:], getenv, stdout, stderr)
	}
	fl := newFlags("trades [flags]  |  trades show <trade_no>  |  trades refunds <trade_no>",
		"List trades. \"trades show <trade_no>\" prints one with its state history and notifications; \"trades refunds <trade_no>\" its refunds.", stderr).remote(getenv).readable()
	appID := fl.String("app", "", "only this app_id's trades")
	status := fl.String("status", "", "only trades in this status (WAIT_BUYER_PAY, TRADE_SUCCESS, TRADE_CLOSED, TRADE_FINISHED)")
	outTradeNo := fl.String("out-trade-no", "", "only trades with this out_trade_no")
	limit := fl.Int("limit", 0, "at most this many (0: the API's default)")
	_, c, err := fl.start(args, 0, "")
	if err != nil {
		return err
	}
	list, err := c.Trades(ctx, controlapi.TradeQuery{AppID: *appID, Status: *status, OutTradeNo: *outTradeNo, Limit: *limit})
	if err != nil {
		return err
	}
	return fl.show(stdout, c.raw, func() error {
		tw := table(stdout, "TRADE_NO", "OUT_TRADE_NO", "APP_ID", "STATUS", "AMOUNT", "CREATED", "SUBJECT")
		for _, t := range list {
			row(tw, t.TradeNo, t.OutTradeNo, t.AppID, t.Status, t.TotalAmount, dateTime(t.CreatedAt), t.Subject)
		}
		return tw.Flush()
	})
}

func tradesShow(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fl := newFlags("trades show [flags] <trade_no>", "Print a trade with its state history and its notifications, every attempt included.", stderr).remote(getenv).readable()
	rest, c, err := fl.start(args, 1, "a trade_no")
	if err != nil {
		return err
	}
	t, err := c.Trade(ctx, rest[0])
	if err != nil {
		return err
	}
	return fl.show(stdout, c.raw, func() error { printTrade(stdout, t); return nil })
}

func tradesRefunds(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fl := newFlags("trades refunds [flags] <trade_no>", "List a trade's refunds, oldest first (legacy batch refunds included).", stderr).remote(getenv).readable()
	rest, c, err := fl.start(args, 1, "a trade_no")
	if err != nil {
		return err
	}
	rs, err := c.TradeRefunds(ctx, rest[0])
	if err != nil {
		return err
	}
	return fl.show(stdout, c.raw, func() error { return printRefunds(stdout, rs) })
}

// printRefunds is a table of refunds, one line each.
func printRefunds(w io.Writer, rs []controlapi.Refund) error {
	tw := table(w, "ID", "OUT_REQUEST_NO", "AMOUNT", "REFUNDED_TOTAL", "STATUS", "REFUNDED", "REASON")
	for _, r := range rs {
		row(tw, strconv.FormatInt(r.ID, 10), r.OutRequestNo, r.Amount, r.RefundedTotal, r.Status, dateTime(r.RefundedAt), r.Reason)
	}
	return tw.Flush()
}

// expiry is when an unpaid trade expires; a paid trade has no expiry to
// show any more.
func expiry(t controlapi.Trade) string {
	if t.PaidAt != "" {
		return ""
	}
	return dateTime(t.ExpiresAt)
}

func printTrade(w io.Writer, t controlapi.Trade) {
	tw := table(w, "trade_no", t.TradeNo)
	for _, f := range [][2]string{
		{"out_trade_no", t.OutTradeNo}, {"app_id", t.AppID}, {"status", t.Status}, {"total_amount", t.TotalAmount}, {"refunded_amount", t.RefundedAmount},
		{"subject", t.Subject}, {"product_code", t.ProductCode}, {"buyer_id", t.BuyerID},
		{"notify_url", t.NotifyURL}, {"return_url", t.ReturnURL},
		{"created", dateTime(t.CreatedAt)}, {"paid", dateTime(t.PaidAt)}, {"closed", dateTime(t.ClosedAt)}, {"expires", expiry(t)},
	} {
		if f[1] != "" {
			row(tw, f[0], f[1])
		}
	}
	tw.Flush()
	if len(t.Refunds) > 0 {
		fmt.Fprintln(w, "\nrefunds:")
		for _, r := range t.Refunds {
			fmt.Fprintf(w, "  %s  %s  %s yuan (refunded %s in all)  %s\n", dateTime(r.RefundedAt), r.OutRequestNo, r.Amount, r.RefundedTotal, r.Status)
		}
	}
	fmt.Fprintln(w, "\nhistory:")
	for _, h := range t.History {
		fmt.Fprintf(w, "  %s  %s\n", dateTime(h.At), h.Status)
	}
	fmt.Fprintln(w, "\nnotifications:")
	if len(t.Notifications) == 0 {
		fmt.Fprintln(w, "  none")
	}
	for _, n := range t.Notifications {
		printNotification(w, n)
	}
}

// printNotification shows a notification and every attempt, one line each.
func printNotification(w io.Writer, n controlapi.Notification) {
	fmt.Fprintf(w, "  #%d  %s  trade_status=%s  notify_id=%s  %s", n.ID, n.Status, n.TradeStatus, n.NotifyID, n.URL)
	if n.Redeliveries > 0 {
		fmt.Fprintf(w, "  (%d redelivered, manual, outside the schedule)", n.Redeliveries)
	}
	fmt.Fprintln(w)
	if n.Payload != "" {
		fmt.Fprintf(w, "    %s, decrypted: %s\n", n.EventType, n.Payload)
	}
	for i, a := range n.Attempts {
		next := ""
		for _, later := range n.Attempts[i+1:] {
			if !later.Manual { // a redelivery is no retry of the schedule
				next = later.ScheduledAt
				break
			}
		}
		ref := n.CreatedAt
		if i > 0 {
			ref = sentAt(n.Attempts[i-1])
		}
		fmt.Fprintln(w, "    "+attemptLine(n.ID, a, outcome(a, next, n.Status, n.NextAttemptAt), ref))
	}
	if len(n.Attempts) == 0 && n.Status == "pending" {
		fmt.Fprintf(w, "    first attempt due %s\n", dateTime(n.NextAttemptAt))
	}
}
