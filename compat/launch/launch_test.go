package launch

import (
	"os"
	"strings"
	"testing"
	"time"
)

// TestStartStop starts the built binary with HTTPS, reads the apps and the
// CA, and stops it: the process exits and the temporary directory goes.
func TestStartStop(t *testing.T) {
	for _, k := range []string{"HTTPS_PROXY", "HTTP_PROXY", "SSL_CERT_FILE"} {
		t.Setenv(k, "")
	}
	bin := os.Getenv("MOCKPAY_BIN")
	if bin == "" {
		t.Skip("MOCKPAY_BIN is not set: run `make test-compat-launch` (it builds bin/mockpay)")
	}
	s, err := Start(Options{Bin: bin, TempPrefix: "mockpay-launch-", TLS: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Stop()
	if !strings.HasPrefix(s.URL, "http://127.0.0.1:") || !strings.HasPrefix(s.TLSURL, "https://127.0.0.1:") {
		t.Fatalf("URL %q TLSURL %q", s.URL, s.TLSURL)
	}
	if _, err := s.Get("/_mockpay/healthz"); err != nil {
		t.Fatal(err)
	}
	var apps []map[string]any
	if err := s.Apps(&apps); err != nil || len(apps) == 0 {
		t.Fatalf("apps: %v (%d)", err, len(apps))
	}
	type app struct {
		AppID string `json:"app_id"`
	}
	if openapi, err := AppsOf[app](s, "openapi"); err != nil || len(openapi) == 0 || openapi[0].AppID == "" {
		t.Fatalf("AppsOf openapi: %v %+v", err, openapi)
	}
	if none, err := AppsOf[app](s, "no-such-protocol"); err != nil || len(none) != 0 {
		t.Fatalf("AppsOf no-such-protocol: %v %+v", err, none)
	}
	ca, err := s.ProxyEnv(true)
	if err != nil {
		t.Fatal(err)
	}
	if os.Getenv("HTTPS_PROXY") != s.URL || os.Getenv("HTTP_PROXY") != s.URL || os.Getenv("SSL_CERT_FILE") != ca {
		t.Fatalf("ProxyEnv: HTTPS_PROXY %q HTTP_PROXY %q SSL_CERT_FILE %q", os.Getenv("HTTPS_PROXY"), os.Getenv("HTTP_PROXY"), os.Getenv("SSL_CERT_FILE"))
	}
	var reset map[string]string
	s.Post(t, "/reset", &reset)
	if reset["status"] != "reset" {
		t.Fatalf("POST /reset: %v", reset)
	}
	if _, err := s.Get("/_mockpay/no-such-page"); err == nil {
		t.Fatal("GET of a missing page: no error")
	}
	s.Stop()
	select {
	case <-s.Exited():
	case <-time.After(time.Second):
		t.Fatal("mockpay still running after Stop")
	}
	if _, err := os.Stat(ca); !os.IsNotExist(err) {
		t.Fatalf("temporary directory left behind: %v", err)
	}
	s.Stop()
}

// TestStartFails reports a binary that exits before its banner, with its
// output.
func TestStartFails(t *testing.T) {
	bin := os.Getenv("MOCKPAY_BIN")
	if bin == "" {
		t.Skip("MOCKPAY_BIN is not set")
	}
	_, err := Start(Options{Bin: bin, TempPrefix: "mockpay-launch-", Args: []string{"--no-such-flag"}})
	if err == nil || !strings.Contains(err.Error(), "exited before its banner") {
		t.Fatalf("err = %v", err)
	}
}

type suite func() int

func (f suite) Run() int { return f() }

// TestMain_ runs a suite through Main: setup sees the running server, the
// suite's code is returned, and a failing setup fails without running it.
func TestMain_(t *testing.T) {
	bin := os.Getenv("MOCKPAY_BIN")
	if bin == "" {
		t.Skip("MOCKPAY_BIN is not set")
	}
	var url string
	ran := false
	code := Main(suite(func() int {
		ran = true
		if _, err := Get(url + "/_mockpay/healthz"); err != nil {
			t.Error(err)
		}
		return 3
	}), Options{Bin: bin, TempPrefix: "mockpay-launch-"}, "", "x", func(s *Server) error { url = s.URL; return nil })
	if code != 3 || !ran {
		t.Fatalf("Main = %d, ran %v", code, ran)
	}
	ran = false
	code = Main(suite(func() int { ran = true; return 0 }), Options{Bin: bin, TempPrefix: "mockpay-launch-"}, "", "x",
		func(*Server) error { return os.ErrNotExist })
	if code != 1 || ran {
		t.Fatalf("Main with a failing setup = %d, ran %v", code, ran)
	}
}
