package main

import (
	"context"
	"fmt"
	"io"
	"strconv"

	"github.com/mockpay/mockpay/controlapi"
)

// clockCmd shows virtual now; "clock advance 6h" jumps it forward.
func clockCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "advance" {
		return clockAdvance(ctx, args[1:], getenv, stdout, stderr)
	}
	fl := newFlags("clock [flags]  |  clock advance <span>",
		"Show mockpay's virtual now and how fast it runs. \"clock advance 6h\" (or 90m, 2d) jumps it forward:\nretries, expiries and notify_id validity that fall due happen at once, in order.", stderr).remote(getenv).readable()
	_, c, err := fl.start(args, 0, "")
	if err != nil {
		return err
	}
	clk, err := c.Clock(ctx)
	if err != nil {
		return err
	}
	return fl.show(stdout, c.raw, func() error { printClock(stdout, clk); return nil })
}

func clockAdvance(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fl := newFlags("clock advance [flags] <span>",
		"Jump virtual time forward by a span: a Go duration (6h, 90m, 1h30m) or whole days (2d).", stderr).remote(getenv).readable()
	rest, c, err := fl.start(args, 1, "a span such as 6h or 2d")
	if err != nil {
		return err
	}
	clk, err := c.Advance(ctx, rest[0])
	if err != nil {
		return err
	}
	return fl.show(stdout, c.raw, func() error {
		fmt.Fprintf(stdout, "advanced by %s\n", rest[0])
		printClock(stdout, clk)
		return nil
	})
}

func printClock(w io.Writer, clk controlapi.Clock) {
	scale := "stopped (moves only when advanced)"
	switch {
	case clk.Scale == 1:
		scale = "1x (real time)"
	case clk.Scale > 0:
		scale = strconv.FormatFloat(clk.Scale, 'g', -1, 64) + "x real time"
	}
	fmt.Fprintf(w, "virtual now: %s (%s)\nscale:       %s\n", dateTime(clk.Now), clk.Now, scale)
}
