package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/mockpay/mockpay/controlapi"
)

// waitCmd long-polls until a trade reaches a status, or a trade's
// notification reaches a delivery state: what a CI script blocks on.
func waitCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fl := newFlags("wait [flags] trade|notification",
		"Block until a trade reaches --status (GET /trades/wait), or until a notification of the trade reaches\n--status pending, acked or gave_up with at least --attempts attempts (GET /notifications/wait).\nExits 1 when --timeout runs out first.", stderr).remote(getenv).readable()
	tradeNo := fl.String("trade", "", "the trade_no (or --app with --out-trade-no)")
	appID := fl.String("app", "", "the app_id, with --out-trade-no")
	outTradeNo := fl.String("out-trade-no", "", "the shop's order number, with --app")
	status := fl.String("status", "", "trade: a status in its channel's words (TRADE_SUCCESS) or neutral (paid); notification: pending, acked or gave_up")
	attempts := fl.Int("attempts", 0, "notification: at least this many attempts made")
	timeout := fl.Duration("timeout", 30*time.Second, "how long to wait (at most 2m a call)")
	rest, c, err := fl.start(args, 1, "what to wait for: trade or notification")
	if err != nil {
		return err
	}
	q := controlapi.WaitQuery{TradeNo: *tradeNo, AppID: *appID, OutTradeNo: *outTradeNo, Status: *status, Attempts: *attempts, Timeout: *timeout}
	switch rest[0] {
	case "trade":
		t, err := c.WaitTrade(ctx, q)
		if err != nil {
			return err
		}
		return fl.show(stdout, c.raw, func() error {
			_, err := fmt.Fprintf(stdout, "trade %s (out_trade_no %s) is %s\n", t.TradeNo, t.OutTradeNo, t.Status)
			return err
		})
	case "notification":
		switch *status {
		case "", "pending", "acked", "gave_up":
		default:
			return usageError{fmt.Sprintf("--status %q: a notification is pending, acked or gave_up", *status)}
		}
		n, err := c.WaitNotification(ctx, q)
		if err != nil {
			return err
		}
		return fl.show(stdout, c.raw, func() error {
			_, err := fmt.Fprintf(stdout, "notification #%d of trade %s is %s after %d attempts\n", n.ID, n.TradeNo, n.Status, n.AttemptCount)
			return err
		})
	}
	return usageError{fmt.Sprintf("wait %q: wait for a trade or a notification", rest[0])}
}

// commandList is the command table, read at run time (completion is in
// the table it reads, so it cannot name it in its initialiser).
var commandList func() [][]command

func init() { commandList = func() [][]command { return commands } }

// completion prints a shell completion script: commands, then the flags
// each command's -h lists.
func completion(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fl := newFlags("completion bash|zsh", "Print a shell completion script: source <(mockpay completion bash), or for zsh,\nautoload -U +X bashcompinit && bashcompinit && source <(mockpay completion zsh).", stderr)
	rest, err := fl.parse(args)
	if err != nil {
		return err
	}
	if err := fl.want(rest, 1, "a shell: bash or zsh"); err != nil {
		return err
	}
	if rest[0] != "bash" && rest[0] != "zsh" {
		return usageError{fmt.Sprintf("completion %q: bash or zsh", rest[0])}
	}
	var names []string
	var cases strings.Builder
	for _, group := range commandList() {
		for _, cmd := range group {
			names = append(names, cmd.name)
			if cmd.run == nil {
				continue
			}
			var help strings.Builder
			_ = cmd.run(ctx, []string{"-h"}, getenv, io.Discard, &help)
			var flags []string
			for _, line := range strings.Split(help.String(), "\n") {
				if f, ok := strings.CutPrefix(strings.TrimSpace(line), "-"); ok && f != "" && !strings.HasPrefix(f, "-") {
					flags = append(flags, "--"+strings.Fields(f)[0])
				}
			}
			fmt.Fprintf(&cases, "    %s) opts=%q ;;\n", cmd.name, strings.Join(flags, " "))
		}
	}
	_, err = fmt.Fprintf(stdout, `# mockpay %s completion (mockpay completion %s)
_mockpay() {
  local cur=${COMP_WORDS[COMP_CWORD]} opts
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W %q -- "$cur")); return
  fi
  case ${COMP_WORDS[1]} in
%s    *) opts="" ;;
  esac
  COMPREPLY=($(compgen -W "$opts" -- "$cur"))
}
complete -F _mockpay mockpay
`, rest[0], rest[0], strings.Join(append(names, "help"), " "), cases.String())
	return err
}
