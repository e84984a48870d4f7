package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mockpay/mockpay/internal/merchant"
)

// sandbox is a real mockpay started through run("serve"), a shop that
// receives its notifications, and the RSA2 fixture app as a merchant
// client written independently of mockpay's codec.
type sandbox struct {
	t    *testing.T
	base string // http://127.0.0.1:port
	shop *cliShop
	m    *merchant.Client
}

const fixtureApp = "2021000122600001"

func fixtureFile(t testing.TB, appID, name string) string {
	t.Helper()
	p := filepath.Join("..", "..", "fixtures", "apps", appID, name)
	if _, err := os.Stat(p); err != nil {
		t.Fatal(err)
	}
	return p
}

func readFile(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func newSandbox(t *testing.T) *sandbox {
	t.Helper()
	base, _, _ := serveInProcess(t, []string{"--addr", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "m.db"), "--quiet"}, nil)
	m, err := merchant.New(base+"/gateway.do", fixtureApp,
		readFile(t, fixtureFile(t, fixtureApp, "app_private_key.pem")),
		readFile(t, fixtureFile(t, fixtureApp, "alipay_public_key.pem")), "RSA2")
	if err != nil {
		t.Fatal(err)
	}
	return &sandbox{t: t, base: base, shop: newCLIShop(t), m: m}
}

// cli runs mockpay with args against the sandbox and returns its output.
func (s *sandbox) cli(args ...string) (string, error) {
	s.t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, envFunc(map[string]string{"MOCKPAY_URL": s.base}), &out, &errOut)
	return out.String() + errOut.String(), err
}

// mustCLI is cli that fails the test on an error.
func (s *sandbox) mustCLI(args ...string) string {
	s.t.Helper()
	out, err := s.cli(args...)
	if err != nil {
		s.t.Fatalf("mockpay %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// order sends a signed alipay.trade.page.pay to the gateway, as a shop's
// checkout does: the order exists, the cashier not yet opened.
func (s *sandbox) order(outTradeNo, amount string) {
	s.t.Helper()
	u := s.m.PageURL("alipay.trade.page.pay", map[string]any{
		"out_trade_no": outTradeNo, "total_amount": amount, "subject": "CLI test", "product_code": "FAST_INSTANT_TRADE_PAY",
	}, map[string]string{"notify_url": s.shop.URL + "/notify", "return_url": s.shop.URL + "/return"})
	resp, err := s.m.HTTP.Get(u)
	if err != nil {
		s.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		s.t.Fatalf("page.pay answered %d, want 303 to the cashier", resp.StatusCode)
	}
}

// api reads the control API directly, to check what a command did.
func (s *sandbox) api(path string, out any) {
	s.t.Helper()
	resp, err := http.Get(s.base + "/_mockpay/api" + path)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		s.t.Fatalf("%s: %v", path, err)
	}
}

// tradeNo is the trade_no of an app's out_trade_no, through the API.
func (s *sandbox) tradeNo(outTradeNo string) string {
	s.t.Helper()
	var ts []map[string]any
	s.api("/trades?app_id="+fixtureApp+"&out_trade_no="+outTradeNo, &ts)
	if len(ts) != 1 {
		s.t.Fatalf("trades of %s: %v", outTradeNo, ts)
	}
	return ts[0]["trade_no"].(string)
}

// cliShop is a merchant's notify endpoint that answers as told.
type cliShop struct {
	*httptest.Server
	mu       sync.Mutex
	answers  []string // "500 down", "200 success"; the last one repeats
	received chan string
}

func newCLIShop(t *testing.T) *cliShop {
	s := &cliShop{answers: []string{"200 success"}, received: make(chan string, 100)}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if r.URL.Path != "/notify" {
			return
		}
		s.mu.Lock()
		answer := s.answers[0]
		if len(s.answers) > 1 {
			s.answers = s.answers[1:]
		}
		s.mu.Unlock()
		code, body, _ := strings.Cut(answer, " ")
		w.WriteHeader(map[string]int{"200": 200, "500": 500}[code])
		w.Write([]byte(body))
		s.received <- string(b)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *cliShop) answer(answers ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.answers = answers
}

// lines collects what a running command prints, line by line, so a test
// can wait for a line with a deadline instead of sleeping.
type lines struct {
	ch chan string
	w  *io.PipeWriter
}

func newLines() *lines {
	r, w := io.Pipe()
	l := &lines{ch: make(chan string, 100), w: w}
	go func() {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			l.ch <- sc.Text()
		}
		close(l.ch)
	}()
	return l
}

// next waits for the next line that matches re, failing after 10 seconds
// (real time: the command polls a real server). Lines that do not match
// are returned in skipped.
func (l *lines) next(t *testing.T, re string) (line string, skipped []string) {
	t.Helper()
	pattern := regexp.MustCompile(re)
	deadline := time.After(10 * time.Second)
	for {
		select {
		case line, ok := <-l.ch:
			if !ok {
				t.Fatalf("output ended before a line matching %s; got %q", re, skipped)
			}
			if pattern.MatchString(line) {
				return line, skipped
			}
			skipped = append(skipped, line)
		case <-deadline:
			t.Fatalf("no line matching %s within 10s; got %q", re, skipped)
		}
	}
}
