package instance_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestDoubleClickedPay: a second Pay on the cashier of a trade the first
// one paid (a double click, a form sent again) shows the buyer the paid
// result again — the same sync return, freshly signed — and pays and
// notifies nothing twice (issue 8, item 8).
func TestDoubleClickedPay(t *testing.T) {
	e := newEnv(t)
	cashier, _ := e.openCashier(e.m.PageURL("alipay.trade.page.pay", pageBiz("TWICE-1", "3.00"), e.urls()))
	var tradeNo string
	e.payTwice(t, cashier, func(ret url.Values) error {
		tradeNo = ret.Get("trade_no")
		if ret.Get("out_trade_no") != "TWICE-1" || ret.Get("total_amount") != "3.00" {
			return fmt.Errorf("not the order's return")
		}
		return e.m.VerifyParams(ret)
	})
	e.shop.next(t)
	e.shop.none(t, e)
	if n := e.notifications(tradeNo); len(n) != 1 {
		t.Errorf("%d notifications, want 1: %v", len(n), n)
	}

	// Without a return_url the trade's cashier shows its success page again.
	code := e.precreate("TWICE-QR", "2.00")
	_, html := e.get(code)
	qrTrade := tradeNoOf(t, html)
	for i := range 2 {
		resp, body := e.press(e.app.URL+"/cashier/trade/"+qrTrade, "pay")
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, "支付成功") || strings.Contains(body, "error-code") {
			t.Errorf("trade cashier pay %d: %d %s", i+1, resp.StatusCode, body)
		}
	}
	e.shop.next(t)
	e.shop.none(t, e)

	// Only Pay repeats: cancelling a paid trade is still an error.
	resp, body := e.press(cashier, "cancel")
	wantErrorPage(t, resp, body, "ACQ.TRADE_HAS_SUCCESS")
}

// TestLegacyDoubleClickedPay: the legacy cashier repeats the signed return
// too, with a new notify_id that notify_verify accepts (§1.4, §1.6).
func TestLegacyDoubleClickedPay(t *testing.T) {
	e := newEnv(t)
	l := e.partner(md5PID)
	cashier, _ := e.openCashier(l.PageURL("create_direct_pay_by_user", e.directPay(md5PID, "LEGACY-TWICE-PAY", "1.00")))
	e.payTwice(t, cashier, func(ret url.Values) error {
		if ret.Get("trade_status") != "TRADE_SUCCESS" || ret.Get("out_trade_no") != "LEGACY-TWICE-PAY" {
			return fmt.Errorf("not the order's return")
		}
		if got := e.notifyVerify(l, ret.Get("notify_id")); got != "true" {
			return fmt.Errorf("notify_verify of the return's notify_id = %q", got)
		}
		return l.Verify(ret)
	})
	e.shop.next(t)
	e.shop.none(t, e)
}

// payTwice presses Pay twice on cashier: both presses must redirect to the
// shop's return_url, with returns that pass check and name one trade.
func (e *env) payTwice(t *testing.T, cashier string, check func(url.Values) error) {
	t.Helper()
	var tradeNo string
	for i := range 2 {
		resp, body := e.press(cashier, "pay")
		loc := resp.Header.Get("Location")
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, e.shop.URL+"/return?") {
			t.Fatalf("pay %d: %d %q %s", i+1, resp.StatusCode, loc, body)
		}
		ret := mustQuery(t, loc)
		if err := check(ret); err != nil {
			t.Errorf("pay %d: return %v: %v", i+1, ret, err)
		}
		if tradeNo != "" && ret.Get("trade_no") != tradeNo {
			t.Errorf("pay %d returned trade %s, the first %s", i+1, ret.Get("trade_no"), tradeNo)
		}
		tradeNo = ret.Get("trade_no")
	}
}
