package main

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestLogsFollowAcrossRestart: `mockpay logs --follow` prints a rejected
// call with its code and diagnosis, keeps following when mockpay stops,
// and follows the new journal of the mockpay started in its place (issue
// 11 items 1 and 6). The stop itself is quick although the follow's long
// poll is open.
func TestLogsFollowAcrossRestart(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	db := filepath.Join(t.TempDir(), "m.db")
	args := []string{"--addr", addr, "--db", db, "--quiet"}
	base, _, stop := serveInProcess(t, args, nil)

	out, errOut := newLines(), newLines()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"logs", "--follow", "--server", base}, envFunc(nil), out.w, errOut.w)
	}()
	errOut.next(t, "^following platform requests at ")

	get := func(u string) {
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	get(base + "/gateway.do?method=alipay.trade.query&app_id=" + fixtureApp + "&sign_type=RSA2&sign=AAAA&charset=utf-8&timestamp=2026-01-01+00:00:00&version=1.0&biz_content={}")
	line, _ := out.next(t, `#1 .* rejected .* `+fixtureApp+` +alipay\.trade\.query +HTTP 200`)
	if !strings.Contains(line, "channel") {
		t.Errorf("entry line: %q", line)
	}
	out.next(t, `^    40002 isv\.invalid-signature: `)
	out.next(t, `^    signature: `)
	out.next(t, `^    verified string: .*app_id=`+fixtureApp)

	began := time.Now()
	if err := stop(); err != nil {
		t.Fatalf("serve: %v", err)
	}
	if took := time.Since(began); took > time.Second {
		t.Errorf("serve took %v to stop with a long poll open, want under 1s", took)
	}
	errOut.next(t, "^lost "+base)

	base2, _, stop2 := serveInProcess(t, args, nil)
	defer stop2()
	errOut.next(t, "^reconnected to ")
	errOut.next(t, "^mockpay restarted: following its new journal")
	get(base2 + "/gateway.do?method=alipay.trade.query")
	out.next(t, `#1 .* rejected .* alipay\.trade\.query`)

	cancel()
	if err := <-done; err != nil {
		t.Errorf("logs --follow ended with %v, want a clean exit on interrupt", err)
	}
}

// TestLogsListAndFlags: `mockpay logs` prints the journal once; --json is
// the API's answer; --verdict is checked; the journal keeps --journal-size
// entries; --log-format json logs one JSON line per platform request.
func TestLogsListAndFlags(t *testing.T) {
	base, _, _ := serveInProcess(t, []string{"--addr", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "m.db"),
		"--journal-size", "2", "--log-format", "json"}, nil)
	for i := 0; i < 3; i++ {
		resp, err := http.Get(base + "/gateway.do?method=alipay.trade.query")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	s := &sandbox{t: t, base: base}
	got := s.mustCLI("logs")
	if n := strings.Count(got, "alipay.trade.query"); n != 2 || !strings.Contains(got, "#2") || !strings.Contains(got, "#3") || strings.Contains(got, "#1 ") {
		t.Errorf("logs with --journal-size 2 after 3 calls:\n%s", got)
	}
	var raw struct {
		Requests []map[string]any `json:"requests"`
		Journal  string           `json:"journal"`
	}
	if err := json.Unmarshal([]byte(s.mustCLI("logs", "--json", "--verdict", "rejected")), &raw); err != nil || len(raw.Requests) != 2 || raw.Journal == "" {
		t.Errorf("logs --json: %v %+v", err, raw)
	}
	if _, err := s.cli("logs", "--verdict", "nope"); exitCode(err) != 2 {
		t.Errorf("--verdict nope: %v", err)
	}
}

func TestServeLogFormat(t *testing.T) {
	_, _, errOut, err := runServeBriefly(t, "--log-format", "yaml")
	if exitCode(err) != 2 || !strings.Contains(err.Error(), `--log-format "yaml"`) {
		t.Errorf("--log-format yaml: %v %s", err, errOut)
	}
	_, _, _, err = runServeBriefly(t, "--journal-size", "0")
	if exitCode(err) != 2 {
		t.Errorf("--journal-size 0: %v", err)
	}
}

// runServeBriefly runs serve with args that must fail before it listens.
func runServeBriefly(t *testing.T, args ...string) (string, string, string, error) {
	t.Helper()
	var out, errOut strings.Builder
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "m.db")}, args...), envFunc(nil), &out, &errOut)
	return "", out.String(), errOut.String(), err
}

// TestServeBusyPort: a port in use fails at once, says what to do, and
// leaves the database untouched (issue 11 item 6).
func TestServeBusyPort(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	db := filepath.Join(t.TempDir(), "m.db")
	var out, errOut strings.Builder
	err = run(context.Background(), []string{"serve", "--addr", ln.Addr().String(), "--db", db}, envFunc(nil), &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "is in use: is a mockpay already running there") || !strings.Contains(err.Error(), "--addr 127.0.0.1:PORT") {
		t.Errorf("busy port: %v", err)
	}
	if _, statErr := os.Stat(db); !os.IsNotExist(statErr) {
		t.Errorf("the database was touched: %v", statErr)
	}
}

// TestServeInMemory: --db :memory: is named as such in the banner.
func TestServeInMemory(t *testing.T) {
	_, out, stop := serveInProcess(t, []string{"--addr", "127.0.0.1:0", "--db", ":memory:", "--quiet"}, nil)
	defer stop()
	if !strings.Contains(out.String(), "database:  :memory: (in memory: nothing is kept when mockpay stops)") {
		t.Errorf("banner:\n%s", out.String())
	}
}
