package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
)

// appPay plays the Alipay app on an app-pay order string the shop's server
// signed (POST /_mockpay/api/app-pay), for a CI run with no phone.
func appPay(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fl := newFlags("app-pay [flags] <order_str | ->",
		"Play the Alipay app: verify an alipay.trade.app.pay order string (as the shop's server hands it to the\nmobile SDK; - reads it from stdin), then pay, fail or cancel it, and print what the app hands back to\nthe shop's app (resultStatus, memo, result). Paying sends the shop its signed notification.", stderr).remote(getenv).readable()
	action := fl.String("action", "pay", "what the buyer does: pay, fail (insufficient balance) or cancel")
	rest, c, err := fl.start(args, 1, "an order string (or - for stdin)")
	if err != nil {
		return err
	}
	switch *action {
	case "pay", "fail", "cancel":
	default:
		return usageError{fmt.Sprintf("--action %q: use pay, fail or cancel", *action)}
	}
	orderStr := rest[0]
	if orderStr == "-" {
		b, err := io.ReadAll(io.LimitReader(os.Stdin, 1<<20))
		if err != nil {
			return err
		}
		orderStr = strings.TrimSpace(string(b))
	}
	r, err := c.AppPay(ctx, orderStr, *action)
	if err != nil {
		return err
	}
	return fl.show(stdout, c.raw, func() error {
		tw := table(stdout)
		row(tw, "resultStatus", r.ResultStatus)
		row(tw, "memo", r.Memo)
		row(tw, "trade_no", r.TradeNo)
		row(tw, "out_trade_no", r.OutTradeNo)
		row(tw, "result", r.Result)
		return tw.Flush()
	})
}
