package instance_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

func (e *env) tradeStatus(tradeNo string) string {
	e.t.Helper()
	_, body := e.get(e.app.URL + "/_mockpay/api/trades/" + tradeNo)
	var tr map[string]any
	if err := json.Unmarshal([]byte(body), &tr); err != nil {
		e.t.Fatalf("%v: %s", err, body)
	}
	return tr["status"].(string)
}

// insufficient (13579.20): the first payment fails for want of balance,
// the trade stays payable, the second goes through.
func TestFaultsBuyerInsufficientThenSuccess(t *testing.T) {
	e := newEnv(t)
	cashier, html := e.openCashier(e.m.PageURL("alipay.trade.page.pay", pageBiz("B-INS", "13579.20"), e.urls()))
	tradeNo := tradeNoOf(t, html)
	resp, body := e.press(cashier, "pay")
	if resp.StatusCode == http.StatusSeeOther || !strings.Contains(body, "余额不足") || e.tradeStatus(tradeNo) != "WAIT_BUYER_PAY" {
		t.Fatalf("first payment: %d %s", resp.StatusCode, body)
	}
	e.shop.none(t, e)
	if resp, body := e.press(cashier, "pay"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("second payment: %d %s", resp.StatusCode, body)
	}
	if n := e.shop.next(t); n.Get("trade_status") != "TRADE_SUCCESS" {
		t.Fatalf("notification = %v", n)
	}
}

// twice (13579.21): two tabs pay at once; one payment is taken, the shop
// gets one notification.
func TestFaultsBuyerPaysFromTwoTabs(t *testing.T) {
	e := newEnv(t)
	_, html := e.openCashier(e.m.PageURL("alipay.trade.page.pay", pageBiz("B-TWO", "13579.21"), e.urls()))
	resp, body := e.postForm(e.app.URL+"/_mockpay/api/trades/"+tradeNoOf(t, html)+"/pay", nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "fault twice: paid from two tabs at once; the second tab's payment was refused") {
		t.Fatalf("payment: %d %s", resp.StatusCode, body)
	}
	if n := e.shop.next(t); n.Get("trade_status") != "TRADE_SUCCESS" {
		t.Fatalf("notification = %v", n)
	}
	e.shop.none(t, e)
}

// late (13579.22, 30m): the buyer pays, the payment lands half an hour of
// virtual time later.
func TestFaultsBuyerPaysLate(t *testing.T) {
	e := newEnv(t)
	cashier, html := e.openCashier(e.m.PageURL("alipay.trade.page.pay", pageBiz("B-LATE", "13579.22"), e.urls()))
	tradeNo := tradeNoOf(t, html)
	resp, body := e.press(cashier, "pay")
	if resp.StatusCode == http.StatusSeeOther || !strings.Contains(body, "支付处理中") || e.tradeStatus(tradeNo) != "WAIT_BUYER_PAY" {
		t.Fatalf("late payment: %d %s", resp.StatusCode, body)
	}
	e.clock.Advance(29 * time.Minute)
	e.shop.none(t, e)
	e.clock.Advance(time.Minute)
	if n := e.shop.next(t); n.Get("trade_status") != "TRADE_SUCCESS" || n.Get("out_trade_no") != "B-LATE" {
		t.Fatalf("notification = %v", n)
	}
}
