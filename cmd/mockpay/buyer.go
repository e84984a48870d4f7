package main

import (
	"context"
	"fmt"
	"io"
	"net/url"

	"github.com/mockpay/mockpay/channel/alipay/kit"
	"github.com/mockpay/mockpay/controlapi"
)

// buyerAbout says what each buyer action does, as the cashier's buttons.
var buyerAbout = map[string]string{
	"pay":    "Pay a trade as the buyer, through the same code as the cashier's Pay button: the trade becomes\nTRADE_SUCCESS, the notification is queued, and the signed sync-return parameters are printed.",
	"fail":   "Fail a payment attempt as the buyer would (insufficient balance): the trade stays WAIT_BUYER_PAY\nand can still be paid.",
	"cancel": "Leave the cashier without paying, as the cashier's Cancel button: the trade stays unpaid and\nthe buyer goes back to the shop (quit_url, or the site of return_url).",
}

// buyer runs pay, fail or cancel on a trade_no, or on an app's
// out_trade_no (which enters the cashier first when no browser did).
func buyer(action string) func(context.Context, []string, func(string) string, io.Writer, io.Writer) error {
	return func(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
		fl := newFlags(action+" [flags] <trade_no>  |  "+action+" [flags] --app <app_id> --out-trade-no <out_trade_no>", buyerAbout[action], stderr).remote(getenv).readable()
		appID := fl.String("app", "", "the app_id of the order (with --out-trade-no)")
		outTradeNo := fl.String("out-trade-no", "", "the shop's out_trade_no (with --app); the order must have reached the gateway")
		rest, err := fl.parse(args)
		if err != nil {
			return err
		}
		byTrade := len(rest) == 1 && *appID == "" && *outTradeNo == ""
		if !byTrade && (len(rest) != 0 || *appID == "" || *outTradeNo == "") {
			fl.Usage()
			return usageError{fmt.Sprintf("%s needs a trade_no, or --app and --out-trade-no", action)}
		}
		c, err := fl.client()
		if err != nil {
			return err
		}
		var res controlapi.ActionResult
		if byTrade {
			res, err = c.ActOnTrade(ctx, rest[0], action)
		} else {
			res, err = c.ActOnOrder(ctx, *appID, *outTradeNo, action)
		}
		if err != nil {
			return err
		}
		return fl.show(stdout, c.raw, func() error { printAction(stdout, action, res); return nil })
	}
}

// printAction says what the buyer action did and where the buyer goes.
func printAction(stdout io.Writer, action string, res controlapi.ActionResult) {
	t := res.Trade
	fmt.Fprintf(stdout, "%s: trade %s (out_trade_no %s, app %s) is %s\n%s\n", action, t.TradeNo, t.OutTradeNo, t.AppID, t.Status, res.Message)
	switch {
	case action == "pay" && res.RedirectURL != "":
		fmt.Fprintf(stdout, "\nreturn URL (where the buyer's browser goes):\n%s\n", res.RedirectURL)
		printReturnParams(stdout, res.RedirectURL)
	case action == "pay":
		fmt.Fprintln(stdout, "no return_url on the order: no sync return")
	case res.RedirectURL != "":
		fmt.Fprintf(stdout, "the buyer goes back to %s\n", res.RedirectURL)
	}
}

// printReturnParams lists the signed return parameters in the order the
// URL carries them (§3.6).
func printReturnParams(w io.Writer, returnURL string) {
	u, err := url.Parse(returnURL)
	if err != nil {
		return
	}
	params, err := kit.ParseForm(u.RawQuery)
	if err != nil {
		return
	}
	fmt.Fprintln(w, "\nreturn parameters (signed with the alipay key: verify them with alipay_public_key_pem):")
	tw := table(w)
	for _, kv := range params {
		row(tw, "  "+kv.Key, kv.Value)
	}
	tw.Flush()
}
