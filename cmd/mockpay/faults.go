package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/mockpay/mockpay/controlapi"
)

// faultsCmd lists the scenarios and the apps' plans, shows one app's, or
// sets one: `mockpay faults set APP 'drop:1,duplicate'`, `mockpay faults
// clear APP`.
func faultsCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fl := newFlags("faults [show <app_id> | set <app_id> <chain> | clear <app_id>] [flags]",
		"List the fault scenarios, how a trade selects its own, and the apps' plans; show, set or clear an app's plan.\n"+
			"A chain is steps separated by commas, e.g. drop:1,duplicate or busy:alipay.trade.query:2 (see the README).", stderr).remote(getenv).readable()
	rest, err := fl.parse(args)
	if err != nil {
		return err
	}
	c, err := fl.client()
	if err != nil {
		return err
	}
	verb := ""
	if len(rest) > 0 {
		verb = rest[0]
	}
	switch {
	case verb == "" && len(rest) == 0:
		f, err := c.Faults(ctx)
		if err != nil {
			return err
		}
		return fl.show(stdout, c.raw, func() error { return printFaults(stdout, f) })
	case verb == "show" && len(rest) == 2:
		f, err := c.AppFaults(ctx, rest[1])
		if err != nil {
			return err
		}
		return fl.show(stdout, c.raw, func() error { return printAppFaults(stdout, f) })
	case verb == "set" && len(rest) >= 3, verb == "clear" && len(rest) == 2:
		plan := strings.Join(rest[2:], ",")
		f, err := c.SetAppFaults(ctx, rest[1], plan)
		if err != nil {
			return err
		}
		return fl.show(stdout, c.raw, func() error { return printAppFaults(stdout, f) })
	}
	fl.Usage()
	return usageError{"faults takes no argument, show <app_id>, set <app_id> <chain> or clear <app_id>"}
}

func printFaults(w io.Writer, f controlapi.Faults) error {
	tw := table(w, "KIND", "FAMILY", "WHAT IT DOES")
	for _, k := range f.Kinds {
		row(tw, k.Kind, k.Family, k.About)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nPer trade: put %schain) in passback_params (MAPI: extra_common_param), or pay a magic amount (%s to %s):\n",
		f.Marker, f.MagicRange[0], f.MagicRange[1])
	tw = table(w, "AMOUNT", "CHAIN")
	for _, m := range f.MagicAmounts {
		row(tw, m.Amount, m.Plan)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	if len(f.Apps) == 0 {
		fmt.Fprintln(w, "No app has a plan: every app behaves as the platform does.")
		return nil
	}
	tw = table(w, "APP_ID", "PLAN")
	for _, a := range f.Apps {
		row(tw, a.AppID, a.Plan)
	}
	return tw.Flush()
}

func printAppFaults(w io.Writer, f controlapi.AppFaults) error {
	if f.Plan == "" {
		fmt.Fprintf(w, "%s: no plan; it behaves as the platform does\n", f.AppID)
		return nil
	}
	fmt.Fprintf(w, "%s: %s\n", f.AppID, f.Plan)
	for i, s := range f.Steps {
		left := ""
		if s.Calls != nil {
			left = "  (" + strconv.Itoa(*s.Calls) + " calls left)"
		}
		fmt.Fprintf(w, "  %d. %s%s\n", i+1, s.Step, left)
	}
	return nil
}

// verdictsCmd prints the attempts the team must see and exits 1 when there
// is one: the CI step that fails the build on a canary.
func verdictsCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fl := newFlags("verdicts [flags]",
		"List the delivery failures the team must see: a forged or tampered notification the shop acknowledged (canary_accepted),\n"+
			"a genuine one it answered with anything but the exact acknowledgement (wrong_ack). Exit status 1 when there is one.", stderr).remote(getenv).readable()
	appID := fl.String("app", "", "only this app_id's notifications")
	_, c, err := fl.start(args, 0, "")
	if err != nil {
		return err
	}
	v, err := c.Verdicts(ctx, *appID)
	if err != nil {
		return err
	}
	if err := fl.show(stdout, c.raw, func() error {
		fmt.Fprintf(stdout, "%d attempts, %d canaries, %d failures\n", v.Attempts, v.Canaries, len(v.Failures))
		if len(v.Failures) == 0 {
			return nil
		}
		tw := table(stdout, "KIND", "NOTIFICATION", "ATTEMPT", "OUT_TRADE_NO", "STATUS", "ANSWER", "VERDICT")
		for _, f := range v.Failures {
			row(tw, f.Kind, strconv.FormatInt(f.NotificationID, 10), strconv.Itoa(f.Attempt), f.OutTradeNo,
				strconv.Itoa(f.StatusCode), quoteAnswer(f.Answer), f.Verdict)
		}
		return tw.Flush()
	}); err != nil {
		return err
	}
	if !v.OK {
		return fmt.Errorf("%d delivery failures the team must see (GET /_mockpay/api/verdicts)", len(v.Failures))
	}
	return nil
}
