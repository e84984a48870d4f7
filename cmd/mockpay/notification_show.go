package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
)

// notificationShow prints one notification with every delivery attempt
// (GET /_mockpay/api/notifications/{id}).
func notificationShow(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fl := newFlags("notifications show [flags] <id>", "Print one notification and every delivery attempt with the shop's answer and its verdict.", stderr).remote(getenv).readable()
	rest, c, err := fl.start(args, 1, "a notification id")
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(rest[0], 10, 64)
	if err != nil {
		return usageError{fmt.Sprintf("notification id %q is not a number", rest[0])}
	}
	n, err := c.Notification(ctx, id)
	if err != nil {
		return err
	}
	return fl.show(stdout, c.raw, func() error {
		printNotification(stdout, n)
		return nil
	})
}
