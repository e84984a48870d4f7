package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// healthcheck asks a running mockpay whether it is up, for Docker's
// HEALTHCHECK in images that have no curl.
func healthcheck(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fl := newFlags("healthcheck [flags]", "Exit 0 when a running mockpay answers /_mockpay/healthz (Docker's HEALTHCHECK uses it).", stderr)
	addr := fl.String("addr", "", "address of the running mockpay (default: as serve would choose)")
	timeout := fl.Duration("timeout", 3*time.Second, "how long to wait for the answer")
	if err := fl.Parse(args); err != nil {
		return flagError(err)
	}
	host, port, err := net.SplitHostPort(listenAddr(*addr, getenv))
	if err != nil {
		return usageError{fmt.Sprintf("--addr: %v", err)}
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	url := "http://" + net.JoinHostPort(host, port) + "/_mockpay/healthz"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("unhealthy: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("unhealthy: %s answered %s", url, resp.Status)
	}
	fmt.Fprintln(stdout, "healthy:", url)
	return nil
}
