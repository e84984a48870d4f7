package instance_test

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func createBiz(outTradeNo, amount string) map[string]any {
	return map[string]any{"out_trade_no": outTradeNo, "total_amount": amount, "subject": "JSAPI order", "buyer_id": "2088102177840001"}
}

// payInTradeCashier presses pay in /cashier/trade/<trade_no> and expects
// the success page.
func (e *env) payInTradeCashier(tradeNo string) {
	e.t.Helper()
	resp, html := e.press(e.app.URL+"/cashier/trade/"+tradeNo, "pay")
	if resp.StatusCode != http.StatusOK || !strings.Contains(html, "支付成功") {
		e.t.Fatalf("pay in the trade cashier of %s: %d %s", tradeNo, resp.StatusCode, html)
	}
}

// TestCreateAndPayInCashier: trade.create opens a WAIT_BUYER_PAY trade bound
// to its buyer at once (§2.7); the buyer pays it at /cashier/trade/<no>.
func TestCreateAndPayInCashier(t *testing.T) {
	e := newEnv(t)
	notify := map[string]string{"notify_url": e.shop.URL + "/notify"}
	r, err := e.m.Call("alipay.trade.create", map[string]any{"out_trade_no": "C-0", "total_amount": "1", "subject": "s", "buyer_id": ""}, notify)
	if err != nil || r.SubCode() != "ACQ.INVALID_PARAMETER" || !r.Verified {
		t.Errorf("create without a buyer: %v %s", err, r.Raw)
	}
	r, _ = e.m.Call("alipay.trade.create", map[string]any{"out_trade_no": "C-0", "total_amount": "1", "subject": "s", "buyer_id": "12"}, notify)
	if r.SubCode() != "ACQ.INVALID_PARAMETER" {
		t.Errorf("create with a malformed buyer_id: %s", r.Raw)
	}

	r, err = e.m.Call("alipay.trade.create", createBiz("C-1", "12.3"), notify)
	if err != nil || !r.Verified || r.Code() != "10000" || r.Str("out_trade_no") != "C-1" || len(r.Str("trade_no")) != 28 {
		t.Fatalf("create: %v %s", err, r.Raw)
	}
	tradeNo := r.Str("trade_no")
	q, _ := e.m.Call("alipay.trade.query", map[string]string{"out_trade_no": "C-1"}, nil)
	if q.Str("trade_status") != "WAIT_BUYER_PAY" || q.Str("buyer_user_id") != "2088102177840001" || q.Str("total_amount") != "12.30" {
		t.Errorf("query after create: %s", q.Raw)
	}
	r, _ = e.m.Call("alipay.trade.create", createBiz("C-1", "12.30"), notify)
	if r.Code() != "10000" || r.Str("trade_no") != tradeNo {
		t.Errorf("the same create again: %s", r.Raw)
	}
	r, _ = e.m.Call("alipay.trade.create", createBiz("C-1", "12.31"), notify)
	if r.SubCode() != "ACQ.CONTEXT_INCONSISTENT" || r.Str("trade_no") != tradeNo {
		t.Errorf("create with other terms: %s", r.Raw)
	}

	cashier := e.app.URL + "/cashier/trade/" + tradeNo
	resp, html := e.get(cashier)
	if resp.StatusCode != http.StatusOK || !strings.Contains(html, `action="/cashier/trade/`+tradeNo+`"`) || !strings.Contains(html, "12.30") {
		t.Fatalf("trade cashier: %d %s", resp.StatusCode, html)
	}
	resp, html = e.press(cashier, "fail")
	if resp.StatusCode != http.StatusOK || !strings.Contains(html, "余额不足") || !strings.Contains(html, `data-testid="pay"`) {
		t.Errorf("fail in the trade cashier: %d %s", resp.StatusCode, html)
	}
	e.payInTradeCashier(tradeNo)
	n := e.shop.next(t)
	if n.Get("trade_status") != "TRADE_SUCCESS" || n.Get("buyer_id") != "2088102177840001" || e.m.VerifyParams(n) != nil {
		t.Errorf("notification: %v", n)
	}
	r, _ = e.m.Call("alipay.trade.create", createBiz("C-1", "12.30"), notify)
	if r.SubCode() != "ACQ.TRADE_HAS_SUCCESS" {
		t.Errorf("create of a paid out_trade_no: %s", r.Raw)
	}
	if resp, html := e.get(e.app.URL + "/cashier/trade/2026050122000000000000000000"); resp.StatusCode != http.StatusOK || !strings.Contains(html, "ACQ.TRADE_NOT_EXIST") {
		t.Errorf("unknown trade cashier: %d %s", resp.StatusCode, html)
	}
}

// TestCancel: an unpaid trade is closed, a paid one refunded in full and
// closed with its notification; repeats answer the same; nothing found is
// no error; a paid trade past the window must be refunded (§2.7).
func TestCancel(t *testing.T) {
	e := newEnv(t)
	notify := map[string]string{"notify_url": e.shop.URL + "/notify"}
	cancel := func(biz map[string]any) map[string]string {
		t.Helper()
		r, err := e.m.Call("alipay.trade.cancel", biz, nil)
		if err != nil || !r.Verified {
			t.Fatalf("cancel %v: %v %s", biz, err, r.Raw)
		}
		out := map[string]string{}
		for k := range r.Node {
			out[k] = r.Str(k)
		}
		return out
	}

	r, _ := e.m.Call("alipay.trade.create", createBiz("X-UNPAID", "5"), notify)
	unpaidNo := r.Str("trade_no")
	for i := 0; i < 2; i++ {
		got := cancel(map[string]any{"out_trade_no": "X-UNPAID"})
		if got["code"] != "10000" || got["action"] != "close" || got["retry_flag"] != "N" || got["trade_no"] != unpaidNo {
			t.Errorf("cancel %d of an unpaid trade: %v", i+1, got)
		}
	}
	q, _ := e.m.Call("alipay.trade.query", map[string]string{"trade_no": unpaidNo}, nil)
	if q.Str("trade_status") != "TRADE_CLOSED" {
		t.Errorf("after cancel: %s", q.Raw)
	}

	got := cancel(map[string]any{"out_trade_no": "X-NOTHING", "trade_no": ""})
	if got["code"] != "10000" || got["retry_flag"] != "N" || got["action"] != "" || got["out_trade_no"] != "X-NOTHING" {
		t.Errorf("cancel of nothing: %v", got)
	}

	ret := e.pay("X-PAID", "8.00")
	e.shop.next(t)
	e.clock.Advance(time.Minute)
	for i := 0; i < 2; i++ {
		got := cancel(map[string]any{"trade_no": ret.Get("trade_no")})
		if got["code"] != "10000" || got["action"] != "refund" || got["retry_flag"] != "N" || got["gmt_refund_pay"] != "2026-05-01 10:01:00" || got["out_trade_no"] != "X-PAID" {
			t.Errorf("cancel %d of a paid trade: %v", i+1, got)
		}
	}
	n := e.shop.next(t)
	if n.Get("trade_status") != "TRADE_CLOSED" || n.Get("refund_fee") != "8.00" || n.Get("out_biz_no") != ret.Get("trade_no") || e.m.VerifyParams(n) != nil {
		t.Errorf("reversal notification: %v", n)
	}
	e.shop.none(t, e)

	ret = e.pay("X-OLD", "3.00")
	e.shop.next(t)
	e.clock.Advance(25 * time.Hour)
	got = cancel(map[string]any{"out_trade_no": "X-OLD"})
	if got["code"] != "40004" || got["sub_code"] != "ACQ.TRADE_CANCEL_TIME_OUT" || got["retry_flag"] != "N" || got["trade_no"] != ret.Get("trade_no") {
		t.Errorf("cancel past the window: %v", got)
	}
	if got := cancel(map[string]any{}); got["sub_code"] != "ACQ.INVALID_PARAMETER" {
		t.Errorf("cancel without a key: %v", got)
	}
}
