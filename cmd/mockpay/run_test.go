package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is an io.Writer safe to read while run writes to it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func envFunc(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

var gatewayLine = regexp.MustCompile(`gateway:\s+(http://\S+)/gateway\.do`)

// serveInProcess runs "mockpay serve" through run, as main would, and
// returns the base URL from the banner and a stop function.
func serveInProcess(t *testing.T, args []string, env map[string]string) (string, *syncBuffer, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out, errOut := &syncBuffer{}, &syncBuffer{}
	done := make(chan error, 1)
	go func() { done <- run(ctx, append([]string{"serve"}, args...), envFunc(env), out, errOut) }()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if m := gatewayLine.FindStringSubmatch(out.String()); m != nil {
			stop := func() error { cancel(); return <-done }
			t.Cleanup(func() { cancel() })
			return m[1], out, stop
		}
		select {
		case err := <-done:
			t.Fatalf("serve exited early: %v\n%s", err, errOut.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
	cancel()
	t.Fatalf("no banner: %s %s", out.String(), errOut.String())
	return "", nil, nil
}

func TestServeOnPortZeroFromEnv(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.db")
	base, out, stop := serveInProcess(t, nil, map[string]string{"MOCKPAY_ADDR": "127.0.0.1:0", "MOCKPAY_DB": db})
	for _, want := range []string{"dashboard: " + base + "/_mockpay/", "database:  " + db, "2021000122600001", "RSA2", base + "/_mockpay/api/apps"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("banner lacks %q:\n%s", want, out.String())
		}
	}
	resp, err := http.Get(base + "/_mockpay/api/apps")
	if err != nil {
		t.Fatal(err)
	}
	var apps []map[string]string
	if err := json.NewDecoder(resp.Body).Decode(&apps); err != nil || len(apps) < 2 {
		t.Fatalf("apps: %v %v", err, apps)
	}
	resp.Body.Close()
	a := apps[0]
	for k, prefix := range map[string]string{
		"app_private_key_pem": "-----BEGIN RSA PRIVATE KEY-----", "app_private_key_pkcs8_pem": "-----BEGIN PRIVATE KEY-----",
		"app_public_key_pem": "-----BEGIN PUBLIC KEY-----", "alipay_public_key_pem": "-----BEGIN PUBLIC KEY-----",
	} {
		if !strings.HasPrefix(a[k], prefix) {
			t.Errorf("%s does not start with %s", k, prefix)
		}
	}
	if a["app_id"] != "2021000122600001" || a["sign_type"] != "RSA2" || a["gateway_url"] != base+"/gateway.do" {
		t.Errorf("first app: %v", a)
	}
	for _, path := range []string{"/_mockpay/healthz", "/_mockpay/readyz", "/_mockpay/"} {
		resp, err := http.Get(base + path)
		if err != nil || resp.StatusCode != 200 {
			t.Errorf("%s: %v %v", path, err, resp)
		}
	}
	hostPort := strings.TrimPrefix(base, "http://")
	var hc bytes.Buffer
	if err := run(context.Background(), []string{"healthcheck", "--addr", hostPort}, envFunc(nil), &hc, &hc); err != nil {
		t.Errorf("healthcheck of a running server: %v %s", err, hc.String())
	}
	if err := stop(); err != nil {
		t.Errorf("clean stop: %v", err)
	}
	if err := run(context.Background(), []string{"healthcheck", "--addr", hostPort, "--timeout", "1s"}, envFunc(nil), &hc, &hc); err == nil {
		t.Error("healthcheck passed with the server stopped")
	}
}

func TestListenAddrPrecedence(t *testing.T) {
	cases := []struct {
		flag string
		env  map[string]string
		want string
	}{
		{"", nil, "127.0.0.1:2088"},
		// PORT names a port, never the network: loopback unless an
		// address is given explicitly.
		{"", map[string]string{"PORT": "8080"}, "127.0.0.1:8080"},
		// The image's way: MOCKPAY_HOST opens it, PORT (a platform's) picks the port.
		{"", map[string]string{"MOCKPAY_HOST": "0.0.0.0"}, "0.0.0.0:2088"},
		{"", map[string]string{"MOCKPAY_HOST": "0.0.0.0", "PORT": "10000"}, "0.0.0.0:10000"},
		{"", map[string]string{"MOCKPAY_HOST": "0.0.0.0", "PORT": "10000", "MOCKPAY_ADDR": "127.0.0.1:9"}, "127.0.0.1:9"},
		{"", map[string]string{"PORT": "8080", "MOCKPAY_ADDR": "127.0.0.1:9"}, "127.0.0.1:9"},
		{"", map[string]string{"PORT": "8080", "MOCKPAY_ADDR": "0.0.0.0:8080"}, "0.0.0.0:8080"},
		{"", map[string]string{"MOCKPAY_ADDR": "0.0.0.0:2088"}, "0.0.0.0:2088"}, // the Dockerfile's and compose's env
		{"[::1]:5", map[string]string{"PORT": "8080"}, "[::1]:5"},
		{":7", map[string]string{"PORT": "8080", "MOCKPAY_ADDR": "127.0.0.1:9"}, ":7"},
		{"0.0.0.0:7", nil, "0.0.0.0:7"},
	}
	for _, c := range cases {
		if got := listenAddr(c.flag, envFunc(c.env)); got != c.want {
			t.Errorf("listenAddr(%q, %v) = %q, want %q", c.flag, c.env, got, c.want)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	var out bytes.Buffer
	for _, args := range [][]string{nil, {"frobnicate"}, {"serve", "--no-such-flag"}, {"serve", "extra"}} {
		err := run(context.Background(), args, envFunc(nil), &out, &out)
		var u usageError
		if !errors.As(err, &u) || exitCode(err) != 2 {
			t.Errorf("run(%q) = %v, want a usage error", args, err)
		}
	}
	if err := run(context.Background(), []string{"version"}, envFunc(nil), &out, &out); err != nil || !strings.Contains(out.String(), "mockpay ") {
		t.Errorf("version: %v %q", err, out.String())
	}
}

func TestServeRefusesBrokenFixtures(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "d.db"), "--fixtures", t.TempDir()}, envFunc(nil), &out, &out)
	if err == nil || !strings.Contains(err.Error(), "apps.json") {
		t.Errorf("empty fixtures dir: %v", err)
	}
}
