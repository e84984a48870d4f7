package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// checkLease and checkTimeout are the replicas' --notify-lease and
// --notify-timeout in the multi-replica check: a short lease, so a killed
// replica's deliveries are taken over within seconds, and a timeout well
// inside it (an attempt outliving its lease may be sent twice), still
// generous on a loaded machine (an attempt timing out is retried minutes
// later on the virtual clock, past the check's waits).
const (
	checkLease   = 8 * time.Second
	checkTimeout = 3 * time.Second
)

// newPGDatabase creates an empty database on the server admin names (a
// postgres:// URL) and returns its URL and what drops it.
func newPGDatabase(admin, tag string) (string, func(), error) {
	ctx, cancel := withTimeout(30 * time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return "", nil, err
	}
	defer conn.Close(ctx)
	name := fmt.Sprintf("mockpay_%s_%d_%d", tag, os.Getpid(), time.Now().UnixNano()%1e9)
	if _, err := conn.Exec(ctx, `CREATE DATABASE `+name); err != nil {
		return "", nil, err
	}
	u, err := url.Parse(admin)
	if err != nil {
		return "", nil, err
	}
	u.Path = "/" + name
	drop := func() {
		ctx, cancel := withTimeout(30 * time.Second)
		defer cancel()
		if c, err := pgx.Connect(ctx, admin); err == nil {
			c.Exec(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`)
			c.Close(ctx)
		}
	}
	return u.String(), drop, nil
}

// startReplica is one `mockpay serve` on the shared database dbURL.
func startReplica(bin, dbURL string, extra ...string) (*mockpay, error) {
	addr := freeAddr()
	args := append([]string{"serve", "--addr", addr, "--db", dbURL, "--quiet"}, extra...)
	p, ready, err := startProcess("http://"+addr, "/_mockpay/readyz", bin, args...)
	if err != nil {
		return nil, err
	}
	return &mockpay{process: p, Ready: ready}, nil
}

// startReplicas starts n replicas on dbURL, one at a time (the first
// migrates the database), with the extra flags.
func startReplicas(bin, dbURL string, n int, extra ...string) ([]*mockpay, error) {
	var out []*mockpay
	for range n {
		m, err := startReplica(bin, dbURL, extra...)
		if err != nil {
			stopAll(out)
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

func stopAll(ms []*mockpay) {
	var wg sync.WaitGroup
	for _, m := range ms {
		wg.Add(1)
		go func() { defer wg.Done(); m.Stop() }()
	}
	wg.Wait()
}

// kill ends a replica with SIGKILL: no shutdown, its claims stay behind.
func (m *mockpay) kill() {
	m.cmd.Process.Signal(syscall.SIGKILL)
	<-m.done
}

// each runs f(i) for i in [0, n), conc at a time, and returns the first
// error.
func each(n, conc int, f func(i int) error) error {
	var mu sync.Mutex
	var first error
	next := make(chan int)
	var wg sync.WaitGroup
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := f(i); err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
				}
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	return first
}

// all runs f on every replica at once: concurrent identical actions.
func all[T any](ms []*mockpay, f func(m *mockpay) T) []T {
	out := make([]T, len(ms))
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, m := range ms {
		wg.Add(1)
		go func() { defer wg.Done(); <-start; out[i] = f(m) }()
	}
	close(start)
	wg.Wait()
	return out
}

// apiStatus is the control API's answer to a bodiless call: its status
// and body.
func (m *mockpay) apiStatus(method, path string) (int, string, error) {
	req, _ := http.NewRequestWithContext(context.Background(), method, m.URL+"/_mockpay/api"+path, nil)
	resp, err := client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}
