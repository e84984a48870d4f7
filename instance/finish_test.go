package instance_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/mockpay/mockpay/internal/merchant"
)

// TestRefundWindowFinishesOpenAPITrade: a paid trade stays refundable for
// 12 months (365 days, alipay-protocol.md §4.1) on the virtual clock; then it
// is TRADE_FINISHED at once, its notification arrives signed, and a refund
// is refused with ACQ.TRADE_HAS_FINISHED (§4.5).
func TestRefundWindowFinishesOpenAPITrade(t *testing.T) {
	e := newEnv(t)
	ret := e.pay("FIN-1", "10.00")
	tradeNo := ret.Get("trade_no")
	e.shop.next(t)
	if r, _ := e.m.Call("alipay.trade.refund", map[string]string{"trade_no": tradeNo, "refund_amount": "1.00", "out_request_no": "RQ-1"}, nil); r.Code() != "10000" {
		t.Fatalf("refund inside the window: %s", r.Raw)
	}
	e.shop.next(t)

	e.clock.Advance(365*24*time.Hour - time.Minute)
	var tr map[string]any
	if code := e.api("GET", "/trades/wait?trade_no="+tradeNo+"&status=TRADE_FINISHED&timeout=50ms", nil, &tr); code != http.StatusRequestTimeout {
		t.Fatalf("finished a minute early: %d %v", code, tr)
	}
	e.clock.Advance(time.Minute)
	if code := e.api("GET", "/trades/wait?trade_no="+tradeNo+"&status=TRADE_FINISHED&timeout=5s", nil, &tr); code != 200 {
		t.Fatalf("not finished at the end of its refund window: %d %v", code, tr)
	}
	hist := tr["history"].([]any)
	if last := hist[len(hist)-1].(map[string]any); last["status"] != "TRADE_FINISHED" || last["at"] != "2027-05-01T10:00:00+08:00" {
		t.Errorf("history: %v", hist)
	}
	n := e.shop.next(t)
	if n.Get("trade_status") != "TRADE_FINISHED" || n.Get("trade_no") != tradeNo || n.Get("notify_type") != "trade_status_sync" {
		t.Errorf("finish notification: %v", n)
	}
	if err := e.m.VerifyParams(n); err != nil {
		t.Errorf("finish notification does not verify: %v (%v)", err, n)
	}
	q, _ := e.m.Call("alipay.trade.query", map[string]string{"trade_no": tradeNo}, nil)
	if q.Str("trade_status") != "TRADE_FINISHED" {
		t.Errorf("query after the window: %s", q.Raw)
	}
	r, _ := e.m.Call("alipay.trade.refund", map[string]string{"trade_no": tradeNo, "refund_amount": "1.00", "out_request_no": "RQ-2"}, nil)
	if r.Code() != "40004" || r.SubCode() != "ACQ.TRADE_HAS_FINISHED" || r.Str("sub_msg") != "交易已完结" {
		t.Errorf("refund after the window: %s", r.Raw)
	}
	// The refund made inside the window is still answered as made.
	if r, _ := e.m.Call("alipay.trade.refund", map[string]string{"trade_no": tradeNo, "refund_amount": "1.00", "out_request_no": "RQ-1"}, nil); r.Code() != "10000" {
		t.Errorf("replay of a refund made inside the window: %s", r.Raw)
	}
	e.shop.none(t, e)
}

// TestRefundWindowFinishesLegacyTrade: a refundable MAPI trade (TRADE_SUCCESS)
// becomes TRADE_FINISHED after 3 months (90 days) with another
// notification (§1.5); its refunds are then refused with TRADE_HAS_FINISHED
// (§1.9). A plain 即时到账 trade, finished when paid, sends nothing more.
func TestRefundWindowFinishesLegacyTrade(t *testing.T) {
	e := newEnv(t)
	l := e.partner(md5PID)
	a := e.paidLegacyTrade(l, md5PID, "FIN-LEGACY", "10.00")
	plain := e.partner(plainPID)
	_, body := e.get(e.app.URL + "/gateway.do?service=query_timestamp&partner=" + plainPID + "&_input_charset=utf-8")
	ts, err := merchant.ParseXML([]byte(body))
	if err != nil {
		t.Fatalf("query_timestamp: %v %s", err, body)
	}
	p := e.directPay(plainPID, "FIN-PLAIN", "2.00")
	p["anti_phishing_key"] = ts.Fields["encrypt_key"]
	e.legacyPay(plain.PageURL("create_direct_pay_by_user", p))
	if n := e.shop.next(t); n.Get("trade_status") != "TRADE_FINISHED" {
		t.Fatalf("plain product notification: %v", n)
	}

	e.clock.Advance(90*24*time.Hour - time.Minute)
	e.shop.none(t, e)
	e.clock.Advance(time.Minute)
	n := e.shop.next(t)
	if err := l.Verify(n); err != nil || n.Get("trade_status") != "TRADE_FINISHED" || n.Get("trade_no") != a {
		t.Errorf("legacy finish notification: %v %v", err, n)
	}
	q, _ := l.Call("single_trade_query", map[string]string{"trade_no": a})
	if q.Fields["trade_status"] != "TRADE_FINISHED" {
		t.Errorf("single_trade_query after the window: %s", q.Raw)
	}
	late := e.refundBatch(md5PID, "001", a+"^1.00^late")
	late["batch_no"], late["refund_date"] = "20260730001", "2026-07-30 10:00:00" // 90 days on
	r, err := l.Call("refund_fastpay_by_platform_nopwd", late)
	if err != nil || r.IsSuccess != "T" {
		t.Fatalf("nopwd: %v %s", err, r.Raw)
	}
	if batch := e.shop.next(t); batch.Get("result_details") != a+"^1.00^TRADE_HAS_FINISHED" {
		t.Errorf("refund after the window: %v", batch)
	}
	e.shop.none(t, e)
}

// TestCreatedAppHasItsOwnRefundWindow: refund_window_days of POST /apps is
// the app's window; a negative or absurd one is refused.
func TestCreatedAppHasItsOwnRefundWindow(t *testing.T) {
	e := newEnv(t)
	var a map[string]string
	if code := e.api("POST", "/apps", map[string]any{"name": "short window", "refund_window_days": 7}, &a); code != http.StatusCreated {
		t.Fatalf("create: %d %v", code, a)
	}
	for _, days := range []int{-1, 3651} {
		var out map[string]any
		if code := e.api("POST", "/apps", map[string]any{"name": "bad", "refund_window_days": days}, &out); code != http.StatusBadRequest {
			t.Errorf("refund_window_days %d: %d %v", days, code, out)
		}
	}
	m, err := merchant.New(e.app.URL+"/gateway.do", a["app_id"], a["app_private_key_pem"], a["alipay_public_key_pem"], a["sign_type"])
	if err != nil {
		t.Fatal(err)
	}
	m.Now = e.clock.Now
	e.get(m.PageURL("alipay.trade.page.pay", pageBiz("WEEK-1", "1"), e.urls()))
	var res actionResult
	if code := e.api("POST", "/apps/"+a["app_id"]+"/orders/WEEK-1/pay", nil, &res); code != 200 {
		t.Fatalf("pay: %d %+v", code, res)
	}
	e.shop.next(t)
	e.clock.Advance(7 * 24 * time.Hour)
	n := e.shop.next(t)
	if n.Get("trade_status") != "TRADE_FINISHED" || m.VerifyParams(n) != nil {
		t.Errorf("finish notification after 7 days: %v", n)
	}
	if q, _ := m.Call("alipay.trade.query", map[string]string{"out_trade_no": "WEEK-1"}, nil); q.Str("trade_status") != "TRADE_FINISHED" {
		t.Errorf("query: %s", q.Raw)
	}
}
