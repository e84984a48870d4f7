package main

import (
	"context"
	"fmt"
	"io"
)

// reset deletes every trade and notification; apps stay. It asks nothing:
// it is a sandbox, and CI runs it between suites.
func reset(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fl := newFlags("reset [flags]", "Delete all trades and notifications (apps and their keys stay). It does not ask.", stderr).remote(getenv)
	_, c, err := fl.start(args, 0, "")
	if err != nil {
		return err
	}
	if err := c.Reset(ctx); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "reset: all trades and notifications deleted; apps kept")
	return nil
}
