package main

import (
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// faults set selects a chain; the tail marks the canary the shop (which
// accepts everything) acknowledged; verdicts lists it and exits 1; faults
// clear goes back to the platform.
func TestCLIFaultsTailAndVerdicts(t *testing.T) {
	s := newSandbox(t)
	if out := s.mustCLI("faults"); !strings.Contains(out, "tamper") || !strings.Contains(out, "13579.01") || !strings.Contains(out, "No app has a plan") {
		t.Fatalf("faults:\n%s", out)
	}
	if _, err := s.cli("faults", "set", fixtureApp, "nonsense"); exitCode(err) != 1 || !strings.Contains(err.Error(), "unknown scenario") {
		t.Fatalf("bad chain: %v", err)
	}
	if out := s.mustCLI("faults", "set", fixtureApp, "tamper,duplicate"); !strings.Contains(out, "1. tamper") || !strings.Contains(out, "2. duplicate") {
		t.Fatalf("faults set:\n%s", out)
	}
	if out := s.mustCLI("verdicts"); !strings.Contains(out, "0 failures") {
		t.Fatalf("verdicts before any delivery:\n%s", out)
	}
	tail, stop := s.follow()
	s.order("CLI-F1", "8.00")
	s.mustCLI("pay", "--app", fixtureApp, "--out-trade-no", "CLI-F1")
	line, _ := tail.next(t, `attempt 1 `)
	if !strings.Contains(line, "‼ CANARY FAILED: the shop acknowledged a forged notification") {
		t.Fatalf("tail: %q", line)
	}
	if line, _ = tail.next(t, `attempt 2 `); !strings.Contains(line, "✓ acked") {
		t.Fatalf("tail: %q", line)
	}
	_ = stop()
	out, err := s.cli("verdicts")
	if exitCode(err) != 1 || !strings.Contains(out, "canary_accepted") || !strings.Contains(out, "CLI-F1") {
		t.Fatalf("verdicts: %v\n%s", err, out)
	}
	if out := s.mustCLI("faults", "clear", fixtureApp); !strings.Contains(out, "no plan") {
		t.Fatalf("faults clear:\n%s", out)
	}
}

// check fails a shop that accepts everything (exit 1, JUnit failures) and
// passes one that verifies the platform's signature.
func TestCLICheck(t *testing.T) {
	s := newSandbox(t)
	s.order("CLI-C1", "8.00")
	s.mustCLI("pay", "--app", fixtureApp, "--out-trade-no", "CLI-C1")
	<-s.shop.received
	junit := filepath.Join(t.TempDir(), "check.xml")
	out, err := s.cli("check", "--notify-url", s.shop.URL+"/notify", "--app", fixtureApp, "--junit", junit)
	if exitCode(err) != 1 || !strings.Contains(err.Error(), "5 of 10 checks failed") ||
		!strings.Contains(out, "FAIL  forged") || !strings.Contains(out, "PASS  genuine") || !strings.Contains(out, "expected: ") ||
		!strings.Contains(out, "4 passed, 5 failed, 1 skipped") {
		t.Fatalf("check of a shop that accepts everything: %v\n%s", err, out)
	}
	raw, err := os.ReadFile(junit)
	if err != nil {
		t.Fatal(err)
	}
	var suite struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Skipped  int `xml:"skipped,attr"`
		Cases    []struct {
			Name    string `xml:"name,attr"`
			Failure *struct {
				Text string `xml:",chardata"`
			} `xml:"failure"`
		} `xml:"testcase"`
	}
	if err := xml.Unmarshal(raw, &suite); err != nil || suite.Tests != 10 || suite.Failures != 5 || suite.Skipped != 1 {
		t.Fatalf("junit %v: %s", err, raw)
	}
	for _, c := range suite.Cases {
		if (c.Failure != nil) != map[string]bool{"forged": true, "unsigned": true, "tampered": true, "wrong_key": true, "oversized": true}[c.Name] {
			t.Errorf("junit case %s: failure %v", c.Name, c.Failure)
		}
	}

	good := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 64<<10))
		if err != nil {
			http.Error(w, "too large", http.StatusRequestEntityTooLarge)
			return
		}
		v, _ := url.ParseQuery(string(b))
		if s.m.VerifyParams(v) != nil {
			http.Error(w, "fail", http.StatusBadRequest)
			return
		}
		w.Write([]byte("success"))
	}))
	defer good.Close()
	out = s.mustCLI("check", "--notify-url", good.URL+"/notify", "--app", fixtureApp, "--out-trade-no", "CLI-C1")
	// The trade has no refund: out_of_order cannot run, and says so.
	if !strings.Contains(out, "9 passed, 0 failed, 1 skipped") || !strings.Contains(out, "SKIP  out_of_order") {
		t.Fatalf("check of a correct shop:\n%s", out)
	}
	if _, err := s.cli("check", "--app", fixtureApp); exitCode(err) != 2 {
		t.Fatalf("check without --notify-url: %v", err)
	}
}
