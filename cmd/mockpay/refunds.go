package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
)

// refundsCmd is "refunds fail|close <refund_id>": the refund outcome
// levers (POST /_mockpay/api/refunds/{id}/fail, /close). It prints the
// trade's refunds afterwards.
func refundsCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fl := newFlags("refunds fail|close [flags] <refund_id>",
		"End a refund abnormal (fail: the money did not reach the buyer) or closed (close: refused, its amount refundable again); its notification follows. "+
			"Refund ids are in \"trades refunds <trade_no>\". WeChat Pay only: Alipay and UnionPay refunds are synchronous.", stderr).remote(getenv).readable()
	if len(args) == 0 || (args[0] != "fail" && args[0] != "close") {
		return fmt.Errorf("refunds: want fail or close, then a refund id")
	}
	verb := args[0]
	rest, c, err := fl.start(args[1:], 1, "a refund id")
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(rest[0], 10, 64)
	if err != nil {
		return fmt.Errorf("refunds %s: %q is not a refund id (see \"trades refunds <trade_no>\")", verb, rest[0])
	}
	settle := c.FailRefund
	if verb == "close" {
		settle = c.CloseRefund
	}
	t, err := settle(ctx, id)
	if err != nil {
		return err
	}
	return fl.show(stdout, c.raw, func() error { return printRefunds(stdout, t.Refunds) })
}
