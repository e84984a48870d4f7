package instance_test

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// busy: the next call of the method answers 20000 / aop.ACQ.SYSTEM_ERROR,
// signed, while the refund still happens; the call after it answers as
// always.
func TestFaultsGatewayBusyWhileTheActionHappens(t *testing.T) {
	e := newEnv(t)
	e.pay("F-BUSY", "10.00")
	e.shop.next(t)
	f := e.setFaults("2021000122600001", "busy:alipay.trade.refund:1")
	if len(f.Steps) != 1 || f.Steps[0].Calls == nil || *f.Steps[0].Calls != 1 {
		t.Fatalf("faults = %+v", f)
	}
	r, err := e.m.Call("alipay.trade.refund", map[string]any{"out_trade_no": "F-BUSY", "refund_amount": "4.00", "out_request_no": "R1"}, nil)
	if err != nil || !r.Verified || r.Code() != "20000" || r.SubCode() != "aop.ACQ.SYSTEM_ERROR" ||
		r.Str("msg") != "Service Currently Unavailable" || r.Str("sub_msg") != "系统异常" {
		t.Fatalf("busy refund: %v %s", err, r.Raw)
	}
	// The journal shows what the shop got, and that the refund was served.
	_, journal := e.get(e.app.URL + "/_mockpay/api/requests?app=2021000122600001")
	if !strings.Contains(journal, `"method":"alipay.trade.refund","verdict":"rejected","code":"20000","sub_code":"aop.ACQ.SYSTEM_ERROR","message":"fault busy:alipay.trade.refund:1: the call was served, then answered system busy"`) {
		t.Fatalf("journal: %s", journal)
	}
	// The shop must query: the refund went through.
	q, err := e.m.Call("alipay.trade.fastpay.refund.query", map[string]any{"out_trade_no": "F-BUSY", "out_request_no": "R1"}, nil)
	if err != nil || q.Code() != "10000" || q.Str("refund_status") != "REFUND_SUCCESS" || q.Str("refund_amount") != "4.00" {
		t.Fatalf("refund query: %v %s", err, q.Raw)
	}
	// The retry with the same out_request_no answers the refund as done.
	r, err = e.m.Call("alipay.trade.refund", map[string]any{"out_trade_no": "F-BUSY", "refund_amount": "4.00", "out_request_no": "R1"}, nil)
	if err != nil || r.Code() != "10000" || r.Str("refund_fee") != "4.00" {
		t.Fatalf("retried refund: %v %s", err, r.Raw)
	}
	if f := e.setFaults("2021000122600001", ""); f.Plan != "" || len(f.Steps) != 0 {
		t.Fatalf("cleared faults = %+v", f)
	}
}

// timeout and reset: no answer, yet the trade is closed; latency: the
// answer comes late.
func TestFaultsGatewayTimeoutResetLatency(t *testing.T) {
	e := newEnv(t)
	for _, no := range []string{"F-T1", "F-T2"} {
		cashier, _ := e.openCashier(e.m.PageURL("alipay.trade.page.pay", pageBiz(no, "1.00"), e.urls()))
		_ = cashier
	}
	e.setFaults("2021000122600001", "timeout:alipay.trade.close:1,reset:alipay.trade.close:1,latency:300ms:alipay.trade.query")
	e.m.HTTP = &http.Client{Timeout: 500 * time.Millisecond}
	start := time.Now()
	if r, err := e.m.Call("alipay.trade.close", map[string]any{"out_trade_no": "F-T1"}, nil); err == nil || !strings.Contains(err.Error(), "Timeout") {
		t.Fatalf("timeout step answered: %v %v", err, r)
	}
	if time.Since(start) < 500*time.Millisecond {
		t.Fatal("the timeout came before the client gave up")
	}
	if _, err := e.m.Call("alipay.trade.close", map[string]any{"out_trade_no": "F-T2"}, nil); err == nil ||
		!(strings.Contains(err.Error(), "reset") || strings.Contains(err.Error(), "EOF")) {
		t.Fatalf("reset step: %v", err)
	}
	e.m.HTTP = &http.Client{Timeout: 5 * time.Second}
	for _, no := range []string{"F-T1", "F-T2"} {
		start := time.Now()
		q, err := e.m.Call("alipay.trade.query", map[string]any{"out_trade_no": no}, nil)
		if err != nil || q.Str("trade_status") != "TRADE_CLOSED" {
			t.Fatalf("query %s: %v %s", no, err, q.Raw)
		}
		if time.Since(start) < 300*time.Millisecond {
			t.Fatal("no latency added to the query")
		}
	}
	// Spent: the next close answers as the platform does.
	if r, err := e.m.Call("alipay.trade.close", map[string]any{"out_trade_no": "F-T1"}, nil); err != nil || r.Code() == "" {
		t.Fatalf("close after the chain: %v", err)
	}
}
