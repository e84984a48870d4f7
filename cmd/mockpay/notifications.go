package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/mockpay/mockpay/controlapi"
)

// notifications lists notifications, or with --follow tails every delivery
// attempt as it happens.
func notifications(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "show" {
		return notificationShow(ctx, args[1:], getenv, stdout, stderr)
	}
	fl := newFlags("notifications [flags]  |  notifications show <id>",
		"List notifications with their delivery state. With --follow, print every delivery attempt as it happens,\none line each (with its verdict and the next retry), until interrupted; attempts already made come first.", stderr).remote(getenv).readable()
	appID := fl.String("app", "", "only this app_id's notifications")
	tradeNo := fl.String("trade", "", "only this trade_no's notifications")
	status := fl.String("status", "", "only notifications in this state: pending, acked, gave_up (not with --follow)")
	follow := fl.Bool("follow", false, "tail delivery attempts live (with --json: one JSON object per line)")
	_, c, err := fl.start(args, 0, "")
	if err != nil {
		return err
	}
	if *follow {
		if *status != "" {
			return usageError{"--status does not combine with --follow"}
		}
		return followAttempts(ctx, c, feedFilter{appID: *appID, tradeNo: *tradeNo}, fl.wantJSON(), stdout, stderr)
	}
	list, err := c.Notifications(ctx, controlapi.NotificationQuery{AppID: *appID, TradeNo: *tradeNo, Status: *status})
	if err != nil {
		return err
	}
	return fl.show(stdout, c.raw, func() error {
		tw := table(stdout, "ID", "TRADE_NO", "OUT_TRADE_NO", "TRADE_STATUS", "STATUS", "ATTEMPTS", "NEXT_ATTEMPT", "URL")
		for _, n := range list {
			row(tw, strconv.FormatInt(n.ID, 10), n.TradeNo, n.OutTradeNo, n.TradeStatus, n.Status,
				strconv.Itoa(n.AttemptCount), dateTime(n.NextAttemptAt), n.URL)
		}
		return tw.Flush()
	})
}

type feedFilter struct{ appID, tradeNo string }

func (f feedFilter) keep(it controlapi.FeedItem) bool {
	return (f.appID == "" || it.AppID == f.appID) && (f.tradeNo == "" || it.TradeNo == f.tradeNo)
}

// followWait is how long one long poll of the attempts feed waits; the
// loop polls again at once, so it only bounds an idle connection.
const followWait = 30 * time.Second

// followAttempts long-polls GET /attempts?after=N&wait=30s and prints each
// attempt once, until ctx ends (Ctrl-C), which is a normal exit.
func followAttempts(ctx context.Context, c *apiClient, f feedFilter, asJSON bool, stdout, stderr io.Writer) error {
	fmt.Fprintf(stderr, "following notification attempts at %s (Ctrl-C to stop)\n", c.Base)
	after := int64(0)
	lastPrinted := "" // the previous line's time: a new day prints its date
	for {
		feed, err := c.Attempts(ctx, after, followWait)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			return err
		}
		// --json prints each attempt as the server wrote it.
		var raw struct {
			Attempts []json.RawMessage `json:"attempts"`
		}
		if err := json.Unmarshal(c.raw, &raw); err != nil || len(raw.Attempts) != len(feed.Attempts) {
			return fmt.Errorf("attempts feed: unexpected answer: %v", err)
		}
		items := feed.Attempts
		for i, it := range items {
			if !f.keep(it) {
				continue
			}
			if asJSON {
				fmt.Fprintf(stdout, "%s\n", raw.Attempts[i])
				continue
			}
			// A later attempt of the same notification in this batch is the
			// retry this one led to.
			next := ""
			for _, later := range items[i+1:] {
				if later.NotificationID == it.NotificationID && !later.Attempt.Manual { // a redelivery is no retry
					next = later.ScheduledAt
					break
				}
			}
			fmt.Fprintln(stdout, attemptLine(it.NotificationID, it.Attempt, outcome(it.Attempt, next, it.NotificationStatus, it.NextAttemptAt), lastPrinted))
			if it.Payload != "" {
				fmt.Fprintf(stdout, "    %s, decrypted: %s\n", it.EventType, it.Payload)
			}
			lastPrinted = sentAt(it.Attempt)
		}
		after = feed.Next
	}
}

// redeliver sends a notification once more, now, whatever its state.
func redeliver(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fl := newFlags("redeliver [flags] <notification id>",
		"Send a notification once more, now, with the same notify_id, even if the shop acknowledged it:\nthe way to test that a shop handles duplicates. The id is the # of `mockpay notifications`.", stderr).remote(getenv).readable()
	rest, c, err := fl.start(args, 1, "a notification id")
	if err != nil {
		return err
	}
	n, err := c.Redeliver(ctx, rest[0])
	if err != nil {
		return err
	}
	return fl.show(stdout, c.raw, func() error {
		_, err := fmt.Fprintf(stdout, "notification #%d (trade %s, notify_id %s) queued for redelivery to %s\nwatch it with: mockpay notifications --follow --trade %s\n",
			n.ID, n.TradeNo, n.NotifyID, n.URL, n.TradeNo)
		return err
	})
}
