package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// usageError is a mistake in the command line: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func exitCode(err error) int {
	var u usageError
	if errors.As(err, &u) {
		return 2
	}
	return 1
}

type command struct {
	name, args, about string
	run               func(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error
}

// commands in the order help lists them, by group.
var commands = [][]command{
	{
		{"serve", "[flags]", "run the sandbox (gateway, cashier, notifications, control API)", serve},
		{"ca", "[flags]", "print the local CA certificate to trust for HTTPS and proxy mode", caCmd},
		{"healthcheck", "[flags]", "exit 0 when a running mockpay answers /_mockpay/healthz", healthcheck},
		{"version", "", "print the version", nil},
		{"openapi", "[flags]", "print the running mockpay's control API document (OpenAPI 3)", openapiCmd},
		{"completion", "bash|zsh", "print a shell completion script", completion},
	},
	{
		{"apps", "[create|show <app_id>]", "list apps; create one; show an app's keys", apps},
		{"trades", "[show|refunds <trade_no>]", "list trades (--app, --status, --out-trade-no, --limit); show one with its history; list its refunds", trades},
		{"refunds", "fail|close <refund_id>", "end a WeChat Pay refund abnormal (fail) or closed (close, its amount refundable again); its notification follows", refundsCmd},
		{"pay", "<trade_no>", "pay as the buyer (or --app ID --out-trade-no X); prints the signed return", buyer("pay")},
		{"fail", "<trade_no>", "fail a payment attempt (insufficient balance); the trade stays payable", buyer("fail")},
		{"cancel", "<trade_no>", "leave the cashier unpaid", buyer("cancel")},
		{"trigger", "<event>", "make payment.paid, .failed, .closed or .refunded happen for --app; the shop gets real signed notifications", trigger},
		{"notifications", "[--follow | show <id>]", "list notifications; --follow tails every delivery attempt live; show one with its attempts", notifications},
		{"logs", "[--follow]", "the request journal: every gateway and cashier call with its verdict; --follow tails it", logs},
		{"redeliver", "<id>", "send a notification once more, now (even if acknowledged)", redeliver},
		{"app-pay", "<order_str | ->", "play the Alipay app on a signed app-pay order string: pay (--action fail|cancel); print its result", appPay},
		{"send", "--to URL <id>", "deliver a notification once to any URL, signed now; print the answer (--trade T: its latest)", send},
		{"wait", "trade|notification", "block until a trade reaches --status, or its notification is acked (--status, --attempts, --timeout)", waitCmd},
		{"clock", "[advance <span>]", "show virtual now and scale; advance it (6h, 90m, 2d)", clockCmd},
		{"reset", "", "delete all trades and notifications (apps stay)", reset},
		{"certs", "[list <app_id> | get <app_id> <file>]", "a certificate-mode app's certificate SNs and files; download one (-o FILE)", certsCmd},
		{"faults", "[show|set|clear <app_id> [chain]]", "list fault scenarios; show, set or clear an app's chain (drop:1,duplicate)", faultsCmd},
		{"verdicts", "", "list delivery failures (canaries acknowledged, wrong acks); exit 1 if any", verdictsCmd},
		{"check", "--notify-url URL --app ID", "hardening suite against a shop's notify endpoint (--junit FILE); exit 1 on a failure", checkCmd},
	},
	{
		{"sign", "--key FILE 'k=v&...'", "print the canonical string and the signature", signCmd},
		{"verify", "--public-key FILE 'k=v&...&sign=...'", "check a signature; explain why it does not verify", verifyCmd},
	},
}

var groupTitles = []string{
	"",
	"Talk to a running mockpay (--server URL, env MOCKPAY_URL, default " + defaultServer + "):",
	"Work offline, no server needed:",
}

func usage() string {
	var b strings.Builder
	b.WriteString("mockpay — an offline Alipay sandbox\n\nUsage:\n")
	synopsis := func(c command) string { return strings.TrimSpace("mockpay " + c.name + " " + c.args) }
	width := 0
	for _, group := range commands {
		for _, c := range group {
			width = max(width, len(synopsis(c)))
		}
	}
	for i, group := range commands {
		if groupTitles[i] != "" {
			b.WriteString("\n" + groupTitles[i] + "\n")
		}
		for _, c := range group {
			fmt.Fprintf(&b, "  %-*s  %s\n", width, synopsis(c), c.about)
		}
	}
	b.WriteString("\nRun \"mockpay <command> -h\" for a command's flags; \"mockpay help\" prints this.\n")
	return b.String()
}

func lookup(name string) (command, bool) {
	for _, group := range commands {
		for _, c := range group {
			if c.name == name {
				return c, true
			}
		}
	}
	return command{}, false
}

// run is the whole program; main only calls it, so tests can run mockpay
// in-process with their own arguments, environment and output.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage())
		return usageError{"no command given"}
	}
	args = hoistGlobals(args)
	switch args[0] {
	case "version", "--version", "-v":
		fmt.Fprintln(stdout, "mockpay", version)
		return nil
	case "help", "-h", "--help":
		if len(args) > 1 { // help <command> is <command> -h
			if c, ok := lookup(args[1]); ok && c.run != nil {
				return helpOK(c.run(ctx, []string{"-h"}, getenv, stdout, stdout))
			}
		}
		fmt.Fprint(stdout, usage())
		return nil
	}
	c, ok := lookup(args[0])
	if !ok || c.run == nil {
		fmt.Fprint(stderr, usage())
		return usageError{fmt.Sprintf("unknown command %q", args[0])}
	}
	return explain(helpOK(c.run(ctx, args[1:], getenv, stdout, stderr)))
}

// hoistGlobals moves the client flags given before the command (mockpay
// --server URL --json trades) after it, where the command reads them, so
// global flags go before or after the subcommand alike.
func hoistGlobals(args []string) []string {
	var globals []string
	for len(args) > 0 {
		name, _, hasValue := strings.Cut(strings.TrimLeft(args[0], "-"), "=")
		if !strings.HasPrefix(args[0], "-") {
			break
		}
		switch {
		case name == "json":
			globals, args = append(globals, args[0]), args[1:]
		case name == "server" && hasValue:
			globals, args = append(globals, args[0]), args[1:]
		case name == "server" && len(args) > 1:
			globals, args = append(globals, args[0], args[1]), args[2:]
		default:
			return append(globals, args...) // -h, --version, or a mistake the command reports
		}
	}
	if len(args) == 0 {
		return globals
	}
	return append([]string{args[0]}, append(globals, args[1:]...)...)
}

// helpOK makes -h a success: the usage was asked for, not a mistake.
func helpOK(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	return err
}
