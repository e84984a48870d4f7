package instance_test

import (
	"strings"
	"testing"
	"time"
)

// TestRefundLoop: partial, replayed, discordant, over-limit and closing
// refunds on the wire, each answered and notified as §2.7, §3.2 and §4.5 say.
func TestRefundLoop(t *testing.T) {
	e := newEnv(t)
	ret := e.pay("REFUND-1", "10.00")
	tradeNo := ret.Get("trade_no")
	e.shop.next(t) // the payment notification
	e.clock.Advance(time.Hour)

	refund := func(biz map[string]any) map[string]string {
		t.Helper()
		r, err := e.m.Call("alipay.trade.refund", biz, nil)
		if err != nil || !r.Verified {
			t.Fatalf("refund %v: %v %s", biz, err, r.Raw)
		}
		out := map[string]string{}
		for k := range r.Node {
			out[k] = r.Str(k)
		}
		return out
	}
	r := refund(map[string]any{"out_trade_no": "REFUND-1", "refund_amount": "3.00", "out_request_no": "RQ-1", "refund_reason": "one mug broke"})
	for k, want := range map[string]string{
		"code": "10000", "msg": "Success", "trade_no": tradeNo, "out_trade_no": "REFUND-1", "fund_change": "Y",
		"refund_fee": "3.00", "gmt_refund_pay": "2026-05-01 11:00:00", "buyer_user_id": "2088102177846880",
		"buyer_logon_id": "buy***@sandbox.com",
	} {
		if r[k] != want {
			t.Errorf("partial refund %s = %q, want %q", k, r[k], want)
		}
	}

	// Complete at once: the refund query right after answers REFUND_SUCCESS.
	q, err := e.m.Call("alipay.trade.fastpay.refund.query", map[string]any{"out_trade_no": "REFUND-1", "out_request_no": "RQ-1"}, nil)
	if err != nil || !q.Verified || q.Code() != "10000" || q.Str("refund_status") != "REFUND_SUCCESS" ||
		q.Str("total_amount") != "10.00" || q.Str("refund_amount") != "3.00" || q.Str("out_request_no") != "RQ-1" ||
		q.Str("refund_reason") != "one mug broke" || q.Str("gmt_refund_pay") != "2026-05-01 11:00:00" {
		t.Errorf("refund query: %v %s", err, q.Raw)
	}

	n := e.shop.next(t)
	if err := e.m.VerifyParams(n); err != nil {
		t.Fatalf("refund notification does not verify: %v", err)
	}
	for k, want := range map[string]string{
		"trade_status": "TRADE_SUCCESS", "refund_fee": "3.00", "gmt_refund": "2026-05-01 11:00:00.000",
		"out_biz_no": "RQ-1", "trade_no": tradeNo, "notify_time": "2026-05-01 11:00:00",
	} {
		if n.Get(k) != want {
			t.Errorf("partial refund notification %s = %q, want %q", k, n.Get(k), want)
		}
	}

	// Replaying the same request moves nothing and notifies nothing.
	r = refund(map[string]any{"out_trade_no": "REFUND-1", "refund_amount": 3, "out_request_no": "RQ-1"})
	if r["code"] != "10000" || r["fund_change"] != "N" || r["refund_fee"] != "3.00" {
		t.Errorf("replay: %v", r)
	}
	e.shop.none(t, e)

	for name, c := range map[string]struct {
		biz  map[string]any
		want string
	}{
		"same key, other amount": {map[string]any{"out_trade_no": "REFUND-1", "refund_amount": "4.00", "out_request_no": "RQ-1"}, "ACQ.DISCORDANT_REPEAT_REQUEST"},
		"over the paid amount":   {map[string]any{"trade_no": tradeNo, "refund_amount": "7.01", "out_request_no": "RQ-2"}, "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL"},
		"malformed amount":       {map[string]any{"trade_no": tradeNo, "refund_amount": "1.001", "out_request_no": "RQ-2"}, "ACQ.INVALID_PARAMETER"},
		"zero amount":            {map[string]any{"trade_no": tradeNo, "refund_amount": "0", "out_request_no": "RQ-2"}, "ACQ.INVALID_PARAMETER"},
		"no amount":              {map[string]any{"trade_no": tradeNo, "out_request_no": "RQ-2"}, "ACQ.INVALID_PARAMETER"},
		"no trade key":           {map[string]any{"refund_amount": "1.00"}, "ACQ.INVALID_PARAMETER"},
		"unknown trade":          {map[string]any{"out_trade_no": "NOPE", "refund_amount": "1.00"}, "ACQ.TRADE_NOT_EXIST"},
	} {
		r := refund(c.biz)
		if r["code"] != "40004" || r["sub_code"] != c.want {
			t.Errorf("%s: %v, want %s", name, r, c.want)
		}
	}
	if r := refund(map[string]any{"trade_no": tradeNo, "refund_amount": "7.01", "out_request_no": "RQ-2"}); r["out_trade_no"] != "REFUND-1" || r["trade_no"] != tradeNo {
		t.Errorf("error node does not echo the trade: %v", r)
	}

	// The rest closes the trade.
	e.clock.Advance(time.Minute)
	r = refund(map[string]any{"trade_no": tradeNo, "refund_amount": "7.00", "out_request_no": "RQ-2"})
	if r["code"] != "10000" || r["fund_change"] != "Y" || r["refund_fee"] != "10.00" {
		t.Errorf("closing refund: %v", r)
	}
	n = e.shop.next(t)
	for k, want := range map[string]string{
		"trade_status": "TRADE_CLOSED", "refund_fee": "10.00", "gmt_refund": "2026-05-01 11:01:00.000",
		"gmt_close": "2026-05-01 11:01:00", "out_biz_no": "RQ-2",
	} {
		if n.Get(k) != want {
			t.Errorf("full refund notification %s = %q, want %q", k, n.Get(k), want)
		}
	}
	if e.m.VerifyParams(n) != nil {
		t.Error("full refund notification does not verify")
	}
	qt, _ := e.m.Call("alipay.trade.query", map[string]string{"trade_no": tradeNo}, nil)
	if qt.Str("trade_status") != "TRADE_CLOSED" {
		t.Errorf("after a full refund: %s", qt.Raw)
	}
	if r := refund(map[string]any{"trade_no": tradeNo, "refund_amount": "1.00", "out_request_no": "RQ-3"}); r["sub_code"] != "ACQ.TRADE_HAS_CLOSE" {
		t.Errorf("refund of a refunded trade: %v", r)
	}
	ns := e.notifications(tradeNo)
	if len(ns) != 3 {
		t.Errorf("%d notifications, want pay + 2 refunds", len(ns))
	}
}

// TestRefundQueryUnknownRequest: an unknown out_request_no on an existing
// trade answers Success without refund fields; an unknown trade is
// ACQ.TRADE_NOT_EXIST (§2.7).
func TestRefundQueryUnknownRequest(t *testing.T) {
	e := newEnv(t)
	ret := e.pay("RQUERY-1", "5.00")
	e.shop.next(t)
	q, err := e.m.Call("alipay.trade.fastpay.refund.query", map[string]any{"trade_no": ret.Get("trade_no"), "out_request_no": "NEVER"}, nil)
	if err != nil || !q.Verified || q.Code() != "10000" {
		t.Fatalf("%v %s", err, q.Raw)
	}
	for _, k := range []string{"refund_status", "refund_amount", "total_amount"} {
		if _, ok := q.Node[k]; ok {
			t.Errorf("unknown refund carries %s: %s", k, q.Raw)
		}
	}
	q, _ = e.m.Call("alipay.trade.fastpay.refund.query", map[string]any{"out_trade_no": "NOPE", "out_request_no": "NEVER"}, nil)
	if q.SubCode() != "ACQ.TRADE_NOT_EXIST" {
		t.Errorf("unknown trade: %s", q.Raw)
	}
	q, _ = e.m.Call("alipay.trade.fastpay.refund.query", map[string]any{"out_trade_no": "RQUERY-1"}, nil)
	if q.SubCode() != "ACQ.INVALID_PARAMETER" {
		t.Errorf("no out_request_no: %s", q.Raw)
	}
}

// TestRefundOfUnpaidTrade: a trade waiting for the buyer cannot be refunded.
func TestRefundOfUnpaidTrade(t *testing.T) {
	e := newEnv(t)
	_, html := e.openCashier(e.m.PageURL("alipay.trade.page.pay", pageBiz("UNPAID-R", "5"), e.urls()))
	r, err := e.m.Call("alipay.trade.refund", map[string]any{"out_trade_no": "UNPAID-R", "refund_amount": "1.00"}, nil)
	if err != nil || r.SubCode() != "ACQ.TRADE_STATUS_ERROR" || r.Str("trade_no") != tradeNoOf(t, html) {
		t.Errorf("%v %s", err, r.Raw)
	}
	if !strings.Contains(string(r.Raw), `"code":"40004"`) {
		t.Errorf("not a business error: %s", r.Raw)
	}
}
