package instance_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mockpay/mockpay/clock"
	"github.com/mockpay/mockpay/instance"
	"github.com/mockpay/mockpay/internal/merchant"
	"github.com/mockpay/mockpay/payment"
)

// start is a fixed virtual instant: 2026-05-01 10:00:00 GMT+8.
var start = time.Date(2026, 5, 1, 10, 0, 0, 0, payment.CST)

type env struct {
	t     testing.TB
	app   *instance.Instance
	clock *clock.Virtual
	db    string
	m     *merchant.Client // the RSA2 fixture app
	shop  *shop
	logs  *logBuffer // warnings and errors mockpay logged, across restarts
	// configure adjusts the config of every start.
	configure func(*instance.Config)
}

// logBuffer collects log lines from mockpay's goroutines.
type logBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// newEnv starts mockpay in-process on a free port with a frozen clock and a
// fresh database, plus a shop that receives notifications and returns.
func newEnv(t testing.TB) *env {
	t.Helper()
	return newEnvWithClock(t, clock.NewFake(start))
}

// newEnvWithClock is newEnv with a clock of the test's choosing.
func newEnvWithClock(t testing.TB, c *clock.Virtual) *env {
	t.Helper()
	return newEnvWithConfig(t, c, nil)
}

// newEnvWithConfig is newEnvWithClock with configure applied to every
// start's config.
func newEnvWithConfig(t testing.TB, c *clock.Virtual, configure func(*instance.Config)) *env {
	t.Helper()
	e := &env{t: t, clock: c, db: testDB(t), logs: &logBuffer{}, configure: configure}
	e.shop = newShop(t)
	e.startApp()
	e.m = e.merchant("2021000122600001")
	return e
}

func (e *env) startApp() {
	e.t.Helper()
	cfg := instance.Config{
		Addr: "127.0.0.1:0", DBPath: e.db, Clock: e.clock, Wall: e.clock, NotifyTimeout: 2 * time.Second,
		Log: slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelWarn})),
	}
	if e.configure != nil {
		e.configure(&cfg)
	}
	a, err := instance.Start(context.Background(), cfg)
	if err != nil {
		e.t.Fatal(err)
	}
	e.app = a
	e.t.Cleanup(func() { a.Close(context.Background()) })
}

// restart stops mockpay and starts it again on the same database.
func (e *env) restart() {
	e.t.Helper()
	if err := e.app.Close(context.Background()); err != nil {
		e.t.Fatal(err)
	}
	e.startApp()
	for _, c := range []*merchant.Client{e.m} {
		c.Gateway = e.app.URL + "/gateway.do"
	}
}

func (e *env) merchant(appID string) *merchant.Client {
	e.t.Helper()
	a, ok := e.app.Apps.App(appID)
	if !ok {
		e.t.Fatalf("no fixture app %s", appID)
	}
	c, err := merchant.New(e.app.URL+"/gateway.do", a.AppID, a.AppPrivateKeyPEM, a.PlatformPublicKeyPEM, string(a.SignType))
	if err != nil {
		e.t.Fatal(err)
	}
	c.Now = e.clock.Now
	return c
}

// pageBiz is a valid page.pay biz_content.
func pageBiz(outTradeNo, amount string) map[string]any {
	return map[string]any{
		"out_trade_no": outTradeNo, "total_amount": amount, "subject": "Test order",
		"product_code": "FAST_INSTANT_TRADE_PAY",
	}
}

func (e *env) urls() map[string]string {
	return map[string]string{"notify_url": e.shop.URL + "/notify", "return_url": e.shop.URL + "/return"}
}

// get fetches a URL without following redirects.
func (e *env) get(u string) (*http.Response, string) {
	e.t.Helper()
	resp, err := e.m.HTTP.Get(u)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func (e *env) postForm(u string, v url.Values) (*http.Response, string) {
	e.t.Helper()
	resp, err := e.m.HTTP.PostForm(u, v)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func (e *env) abs(loc string) string {
	if strings.HasPrefix(loc, "/") {
		return e.app.URL + loc
	}
	return loc
}

// openCashier submits a page.pay URL and follows it into the cashier,
// returning the cashier URL and its HTML.
func (e *env) openCashier(pageURL string) (string, string) {
	e.t.Helper()
	resp, body := e.get(pageURL)
	if resp.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("gateway answered %d, want 303 to the cashier: %s", resp.StatusCode, body)
	}
	cashier := e.abs(resp.Header.Get("Location"))
	resp, body = e.get(cashier)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `data-testid="pay"`) {
		e.t.Fatalf("cashier answered %d without a pay button: %s", resp.StatusCode, body)
	}
	return cashier, body
}

// press submits a cashier button.
func (e *env) press(cashier, action string) (*http.Response, string) {
	e.t.Helper()
	return e.postForm(cashier, url.Values{"action": {action}})
}

// pay runs page.pay → cashier → pay and returns the return URL's query.
func (e *env) pay(outTradeNo, amount string) url.Values {
	e.t.Helper()
	cashier, _ := e.openCashier(e.m.PageURL("alipay.trade.page.pay", pageBiz(outTradeNo, amount), e.urls()))
	resp, body := e.press(cashier, "pay")
	if resp.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("pay answered %d, want 303: %s", resp.StatusCode, body)
	}
	u, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		e.t.Fatal(err)
	}
	return u.Query()
}

var tradeNoInHTML = regexp.MustCompile(`data-testid="trade-no">(\d+)<`)

func tradeNoOf(t *testing.T, html string) string {
	t.Helper()
	m := tradeNoInHTML.FindStringSubmatch(html)
	if m == nil {
		t.Fatalf("no trade_no in cashier page")
	}
	return m[1]
}

// shop is a merchant's web server: it records notifications and answers
// them as told.
type shop struct {
	*httptest.Server
	mu       sync.Mutex
	notes    []url.Values
	raw      []string
	answer   func(n int) (int, string) // n is the 1-based count of notifications so far
	received chan url.Values
}

func newShop(t testing.TB) *shop {
	s := &shop{received: make(chan url.Values, 100), answer: func(int) (int, string) { return 200, "success" }}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/notify" {
			w.Write([]byte("shop page " + r.URL.Path))
			return
		}
		b, _ := io.ReadAll(r.Body)
		v, _ := url.ParseQuery(string(b))
		s.mu.Lock()
		s.notes = append(s.notes, v)
		s.raw = append(s.raw, string(b))
		n := len(s.notes)
		answer := s.answer
		s.mu.Unlock()
		code, body := answer(n)
		w.WriteHeader(code)
		w.Write([]byte(body))
		s.received <- v
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *shop) setAnswer(f func(n int) (int, string)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.answer = f
}

// next waits for the next notification (real time bound: delivery is
// asynchronous, but never scheduled in the future here).
func (s *shop) next(t testing.TB) url.Values {
	t.Helper()
	select {
	case v := <-s.received:
		return v
	case <-time.After(10 * time.Second):
		t.Fatal("no notification arrived")
		return nil
	}
}

// none asserts that no notification arrives while the dispatcher settles.
func (s *shop) none(t testing.TB, e *env) {
	t.Helper()
	if _, err := e.app.Dispatcher.DeliverDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	select {
	case v := <-s.received:
		t.Fatalf("unexpected notification: %v", v)
	default:
	}
}

// settle waits until the dispatcher has recorded every attempt it started:
// a one-step delivery holds the same lock as the running step.
func (e *env) settle() {
	e.t.Helper()
	if _, err := e.app.Dispatcher.DeliverDue(context.Background()); err != nil {
		e.t.Fatal(err)
	}
}

// notifications reads the control API's view of a trade's notifications.
func (e *env) notifications(tradeNo string) []map[string]any {
	e.t.Helper()
	e.settle()
	_, body := e.get(e.app.URL + "/_mockpay/api/trades/" + tradeNo + "/notifications")
	var out []map[string]any
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		e.t.Fatalf("%v: %s", err, body)
	}
	return out
}
