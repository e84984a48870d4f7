// Package channeltest is the contract suite every channel passes, once per
// protocol: order → cashier → pay → return → notification → ack; a refused
// answer retried; fail, cancel, close, refund; errors in the protocol's own
// words. It runs against a real mockpay (the real router on a real port); the
// channel supplies a small Driver that speaks its protocol as a merchant
// would.
package channeltest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/payment"
)

// Order is what the suite asks a driver to order.
type Order struct {
	OutTradeNo string
	Amount     string // yuan, "10.00"
	NotifyURL  string
	ReturnURL  string
	// BreakSignature asks for the same order with a signature that does
	// not verify.
	BreakSignature bool
}

// Note is what a return or a notification says about a trade.
type Note struct {
	OutTradeNo string
	TradeNo    string
	Status     string // in the channel's words; "" when it reports no trade status
}

// Driver is a protocol's side of the suite: a merchant of that protocol,
// with the fixture app the suite's trades belong to. Every method verifies
// what the platform signed and fails t when it does not verify.
type Driver interface {
	// Order is the request the shop's page sends the buyer's browser to.
	Order(t testing.TB, o Order) *http.Request
	// OrderError reads the wire code of an order the platform refused.
	OrderError(t testing.TB, resp *http.Response, body string) string
	// Return verifies and reads the sync return the browser is sent to.
	Return(t testing.TB, location string) Note
	// Notification verifies and reads a notification the shop received;
	// it is called from the shop's handler, so it may not stop the test.
	Notification(t testing.TB, r Received) Note
	// Ack is the answer the protocol counts as an acknowledgement.
	Ack() (status int, body string)
	// Query, Close and Refund call the platform as the merchant's server
	// does; code is the wire error code, "" on success.
	Query(t testing.TB, outTradeNo string) (status, code string)
	Close(t testing.TB, outTradeNo string) (code string)
	Refund(t testing.TB, outTradeNo, tradeNo, amount string) (code string)
	// ErrorCode is the protocol's wire code of a domain error: its one table.
	ErrorCode(c payment.Code) string
}

// Config is one protocol's run of the suite.
type Config struct {
	BaseURL  string // mockpay, e.g. http://127.0.0.1:41234
	Statuses channel.StatusNames
	// Paid is where a payment moves the fixture app's trades (paid, or
	// finished for a product without refunds).
	Paid   payment.Status
	Driver Driver
	// ReturnPage says the sync return is a page of the platform on
	// mockpay that posts the signed result to the return URL (UnionPay's
	// result page, unionpay-protocol.md §5.1): the cashier sends the
	// browser to a path of mockpay's, and the driver's Return reads that
	// page (given its absolute URL) instead of a redirect to the shop.
	ReturnPage bool
	// NoClose says the platform has no way to close an unpaid order
	// (UnionPay: an order ends at its payTimeout): close is not run.
	NoClose bool
	// RefundsApart says a refund is a transaction of its own (UnionPay
	// §5.4): a query of the original keeps reporting the payment after a
	// full refund, and a refund's notification reports the refund, not
	// the trade's state. The suite then checks that each refund is
	// notified and that the query still finds the paid original.
	RefundsApart bool
}

// Run runs the suite.
func Run(t *testing.T, cfg Config) {
	s := &suite{Config: cfg, shop: newShop(t, cfg.Driver), http: &http.Client{
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
	t.Run("pay, return, notification, ack", s.payLoop)
	t.Run("a refused notification is retried until acknowledged", s.retry)
	t.Run("fail keeps the trade open", s.fail)
	t.Run("cancel leaves the trade open", s.cancel)
	if !cfg.NoClose {
		t.Run("close", s.close)
	}
	t.Run("refund", s.refund)
	t.Run("errors in the protocol's own words", s.errors)
}

type suite struct {
	Config
	shop *shop
	http *http.Client
}

func (s *suite) order(no, amount string) Order {
	return Order{OutTradeNo: no, Amount: amount, NotifyURL: s.shop.URL + "/notify", ReturnURL: s.shop.URL + "/return"}
}

// openCashier sends the browser to the order and into the cashier, and
// returns the cashier's URL.
func (s *suite) openCashier(t *testing.T, o Order) string {
	t.Helper()
	resp, body := s.do(t, s.Driver.Order(t, o))
	// 303 (Alipay) or 302 (UnionPay's gateway, §5.1 of its digest).
	redirected := resp.StatusCode == http.StatusSeeOther || resp.StatusCode == http.StatusFound
	if !redirected || !strings.HasPrefix(resp.Header.Get("Location"), "/cashier/") {
		t.Fatalf("order %s: want a redirect to the cashier, got %d %s: %s", o.OutTradeNo, resp.StatusCode, resp.Header.Get("Location"), body)
	}
	cashier := s.BaseURL + resp.Header.Get("Location")
	resp, body = s.get(t, cashier)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `data-testid="pay"`) {
		t.Fatalf("cashier of %s: %d without a pay button: %s", o.OutTradeNo, resp.StatusCode, body)
	}
	if want := s.Statuses.Name(payment.StatusPending); !strings.Contains(body, `data-testid="status">`+want+`<`) {
		t.Errorf("cashier of %s does not show the status %s", o.OutTradeNo, want)
	}
	return cashier
}

// press submits a cashier button.
func (s *suite) press(t *testing.T, cashier, action string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, cashier, strings.NewReader(url.Values{"action": {action}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return s.do(t, req)
}

// pay orders, pays in the cashier and checks the sync return.
func (s *suite) pay(t *testing.T, no, amount string) Note {
	t.Helper()
	cashier := s.openCashier(t, s.order(no, amount))
	resp, body := s.press(t, cashier, "pay")
	loc := resp.Header.Get("Location")
	want := s.shop.URL + "/return"
	if s.ReturnPage {
		want = "/"
	}
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, want) {
		t.Fatalf("pay %s: want 303 to the return URL, got %d %s: %s", no, resp.StatusCode, loc, body)
	}
	if s.ReturnPage {
		loc = s.BaseURL + loc
	}
	ret := s.Driver.Return(t, loc)
	if ret.OutTradeNo != no || ret.TradeNo == "" || ret.Status != s.Statuses.Name(s.Paid) {
		t.Errorf("return of %s: %+v, want status %s", no, ret, s.Statuses.Name(s.Paid))
	}
	return ret
}

func (s *suite) payLoop(t *testing.T) {
	from := s.shop.count()
	ret := s.pay(t, "CT-PAY", "10.00")
	n, _ := s.shop.await(t, from, func(n Note) bool { return n.OutTradeNo == "CT-PAY" })
	if n.TradeNo != ret.TradeNo || n.Status != s.Statuses.Name(s.Paid) {
		t.Errorf("notification %+v, want trade %s in %s", n, ret.TradeNo, s.Statuses.Name(s.Paid))
	}
	s.waitNotification(t, ret.TradeNo, "acked", 1)
	if st, code := s.Driver.Query(t, "CT-PAY"); code != "" || st != s.Statuses.Name(s.Paid) {
		t.Errorf("query after pay: %q %q", st, code)
	}
	var trade map[string]any
	s.api(t, "/trades/"+ret.TradeNo, &trade)
	if trade["status"] != s.Statuses.Name(s.Paid) {
		t.Errorf("the control API shows status %v, want the channel's %s", trade["status"], s.Statuses.Name(s.Paid))
	}
}

func (s *suite) retry(t *testing.T) {
	s.shop.refuse("CT-RETRY", true)
	from := s.shop.count()
	ret := s.pay(t, "CT-RETRY", "3.00")
	s.shop.await(t, from, func(n Note) bool { return n.OutTradeNo == "CT-RETRY" })
	id := s.waitNotification(t, ret.TradeNo, "pending", 1)
	s.shop.refuse("CT-RETRY", false)
	from = s.shop.count()
	if code := s.post(t, fmt.Sprintf("/notifications/%v/redeliver", id)); code != http.StatusAccepted {
		t.Fatalf("redeliver: %d", code)
	}
	n, _ := s.shop.await(t, from, func(n Note) bool { return n.OutTradeNo == "CT-RETRY" })
	if n.Status != s.Statuses.Name(s.Paid) {
		t.Errorf("redelivered notification: %+v", n)
	}
	s.waitNotification(t, ret.TradeNo, "acked", 2)
}

func (s *suite) fail(t *testing.T) {
	cashier := s.openCashier(t, s.order("CT-FAIL", "99999999.00"))
	resp, body := s.press(t, cashier, "fail")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `data-testid="pay"`) || !strings.Contains(body, `data-testid="message"`) {
		t.Errorf("fail: want the cashier again with a message, got %d: %s", resp.StatusCode, body)
	}
	if st, code := s.Driver.Query(t, "CT-FAIL"); code != "" || st != s.Statuses.Name(payment.StatusPending) {
		t.Errorf("query after fail: %q %q", st, code)
	}
}

func (s *suite) cancel(t *testing.T) {
	cashier := s.openCashier(t, s.order("CT-CANCEL", "1.00"))
	resp, body := s.press(t, cashier, "cancel")
	if resp.StatusCode >= 400 {
		t.Errorf("cancel: %d %s", resp.StatusCode, body)
	}
	if st, code := s.Driver.Query(t, "CT-CANCEL"); code != "" || st != s.Statuses.Name(payment.StatusPending) {
		t.Errorf("query after cancel: %q %q", st, code)
	}
	if resp, body := s.press(t, cashier, "pay"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("a cancelled trade can still be paid: %d %s", resp.StatusCode, body)
	}
}

func (s *suite) close(t *testing.T) {
	cashier := s.openCashier(t, s.order("CT-CLOSE", "2.00"))
	if code := s.Driver.Close(t, "CT-CLOSE"); code != "" {
		t.Fatalf("close: %s", code)
	}
	if st, code := s.Driver.Query(t, "CT-CLOSE"); code != "" || st != s.Statuses.Name(payment.StatusClosed) {
		t.Errorf("query after close: %q %q", st, code)
	}
	if resp, body := s.press(t, cashier, "pay"); resp.StatusCode == http.StatusSeeOther || strings.Contains(body, `data-testid="pay"`) {
		t.Errorf("a closed trade was payable: %d %s", resp.StatusCode, body)
	}
}

func (s *suite) refund(t *testing.T) {
	if s.Paid != payment.StatusPaid {
		t.Skip("the fixture app's trades are not refundable")
	}
	from := s.shop.count()
	ret := s.pay(t, "CT-REFUND", "10.00")
	_, from = s.shop.await(t, from, func(n Note) bool { return n.OutTradeNo == "CT-REFUND" })
	if code := s.Driver.Refund(t, "CT-REFUND", ret.TradeNo, "4.00"); code != "" {
		t.Fatalf("refund: %s", code)
	}
	// A partial refund leaves the trade paid, and says so in a notification.
	n, _ := s.shop.await(t, from, func(n Note) bool { return n.TradeNo == ret.TradeNo })
	if n.Status != s.Statuses.Name(payment.StatusPaid) && !s.RefundsApart {
		t.Errorf("refund notification: %+v", n)
	}
	// More than the rest is refused: at once by a protocol that answers
	// refunds synchronously, or in its asynchronous outcome; either way the
	// trade stays paid.
	if code := s.Driver.Refund(t, "CT-REFUND", ret.TradeNo, "7.00"); code != "" && code != s.Driver.ErrorCode(payment.CodeRefundAmountExceeded) {
		t.Errorf("refund beyond the rest: %q, want %q", code, s.Driver.ErrorCode(payment.CodeRefundAmountExceeded))
	}
	if st, code := s.Driver.Query(t, "CT-REFUND"); code != "" || st != s.Statuses.Name(payment.StatusPaid) {
		t.Errorf("query after a refused refund: %q %q", st, code)
	}
	// Refunding the rest closes the trade.
	if code := s.Driver.Refund(t, "CT-REFUND", ret.TradeNo, "6.00"); code != "" {
		t.Fatalf("refund of the rest: %s", code)
	}
	closed := s.Statuses.Name(payment.StatusClosed)
	if s.RefundsApart {
		// The second notification of the trade is the second refund's.
		_, from = s.shop.await(t, from, func(n Note) bool { return n.TradeNo == ret.TradeNo })
		s.shop.await(t, from, func(n Note) bool { return n.TradeNo == ret.TradeNo })
		closed = s.Statuses.Name(payment.StatusPaid)
	} else {
		s.shop.await(t, from, func(n Note) bool { return n.TradeNo == ret.TradeNo && n.Status == closed })
	}
	if st, code := s.Driver.Query(t, "CT-REFUND"); code != "" || st != closed {
		t.Errorf("query after a full refund: %q %q, want %q", st, code, closed)
	}
	var trade map[string]any
	s.api(t, "/trades/"+ret.TradeNo, &trade)
	if trade["status"] != s.Statuses.Name(payment.StatusClosed) {
		t.Errorf("after a full refund the control API shows %v, want %s", trade["status"], s.Statuses.Name(payment.StatusClosed))
	}
}

func (s *suite) errors(t *testing.T) {
	o := s.order("CT-BADSIG", "1.00")
	o.BreakSignature = true
	resp, body := s.do(t, s.Driver.Order(t, o))
	if code := s.Driver.OrderError(t, resp, body); code != s.Driver.ErrorCode(payment.CodeInvalidSignature) {
		t.Errorf("an order with a broken signature: %q, want %q", code, s.Driver.ErrorCode(payment.CodeInvalidSignature))
	}
	if _, code := s.Driver.Query(t, "CT-NO-SUCH-ORDER"); code != s.Driver.ErrorCode(payment.CodeTradeNotExist) {
		t.Errorf("query of an unknown trade: %q, want %q", code, s.Driver.ErrorCode(payment.CodeTradeNotExist))
	}
	if s.NoClose {
		return
	}
	if code := s.Driver.Close(t, "CT-NO-SUCH-ORDER"); code != s.Driver.ErrorCode(payment.CodeTradeNotExist) {
		t.Errorf("close of an unknown trade: %q, want %q", code, s.Driver.ErrorCode(payment.CodeTradeNotExist))
	}
}

// waitNotification long-polls the control API until the trade's
// notification reaches status with at least attempts attempts; it returns
// the notification's id.
func (s *suite) waitNotification(t *testing.T, tradeNo, status string, attempts int) any {
	t.Helper()
	var n map[string]any
	path := fmt.Sprintf("/notifications/wait?trade_no=%s&status=%s&attempts=%d&timeout=10s", tradeNo, status, attempts)
	if code := s.api(t, path, &n); code != http.StatusOK {
		t.Fatalf("notification of %s never reached %s after %d attempts: %d %v", tradeNo, status, attempts, code, n)
	}
	return n["id"]
}

func (s *suite) api(t *testing.T, path string, out any) int {
	t.Helper()
	resp, body := s.get(t, s.BaseURL+"/_mockpay/api"+path)
	if err := json.Unmarshal([]byte(body), out); err != nil {
		t.Fatalf("GET %s: %v: %s", path, err, body)
	}
	return resp.StatusCode
}

func (s *suite) post(t *testing.T, path string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, s.BaseURL+"/_mockpay/api"+path, nil)
	req.Header.Set("Content-Type", "application/json")
	resp, _ := s.do(t, req)
	return resp.StatusCode
}

func (s *suite) get(t *testing.T, u string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	return s.do(t, req)
}

func (s *suite) do(t *testing.T, req *http.Request) (*http.Response, string) {
	t.Helper()
	resp, err := s.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// ErrorPageCode reads the code off the cashier's error page, which every
// channel's page-type errors render (with the code in the channel's words).
func ErrorPageCode(body string) string {
	const open = `data-testid="error-code"><code>`
	i := strings.Index(body, open)
	if i < 0 {
		return ""
	}
	rest := body[i+len(open):]
	if j := strings.Index(rest, "<"); j >= 0 {
		return rest[:j]
	}
	return ""
}
