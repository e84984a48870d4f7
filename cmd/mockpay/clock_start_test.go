package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
)

// TestServeClockStart: --clock-start sets virtual time (it then runs at real
// speed), so a suite can make yesterday's trades for a bill; a bad value is a
// usage error.
func TestServeClockStart(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.db")
	base, _, stop := serveInProcess(t, []string{"--addr", "127.0.0.1:0", "--db", db, "--clock-start", "2020-01-01T10:00:00+08:00"}, nil)
	resp, err := http.Get(base + "/_mockpay/api/clock")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(b), `"now":"2020-01-01T10:00:`) {
		t.Errorf("clock after --clock-start: %s", b)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	err = run(context.Background(), []string{"serve", "--clock-start", "yesterday"}, envFunc(nil), &out, &out)
	var u usageError
	if !errors.As(err, &u) || !strings.Contains(err.Error(), "RFC 3339") {
		t.Errorf("bad --clock-start: %v", err)
	}
	err = run(context.Background(), []string{"serve", "--clock-start", "9999-12-31T00:00:00Z"}, envFunc(nil), &out, &out)
	if !errors.As(err, &u) || !strings.Contains(err.Error(), "stops at 2200-01-01T00:00:00Z") {
		t.Errorf("--clock-start beyond the clock's maximum: %v", err)
	}
}
