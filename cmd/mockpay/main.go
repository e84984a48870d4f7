// Command mockpay is an offline sandbox of Alipay: run `mockpay serve` and
// point an unmodified SDK at its gateway.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "mockpay:", err)
		os.Exit(exitCode(err))
	}
}
