package instance_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mockpay/mockpay/controlapi"
)

// TestRefundsVisible: a trade refunded twice in part carries its refunded
// amount and both refunds in the control API's trade JSON (one and list),
// in GET /trades/{trade_no}/refunds and on the dashboard's trade page,
// escaped; an unknown trade's refunds are trade_not_exist.
func TestRefundsVisible(t *testing.T) {
	e := newEnv(t)
	tradeNo := e.pay("SEEN-1", "10.00").Get("trade_no")
	e.shop.next(t)
	for i, rq := range []map[string]any{
		{"out_trade_no": "SEEN-1", "refund_amount": "3.00", "out_request_no": "RQ-1", "refund_reason": "<b>mug</b> & saucer"},
		{"out_trade_no": "SEEN-1", "refund_amount": "2.50", "out_request_no": "RQ-2"},
	} {
		e.clock.Advance(time.Hour)
		if r, err := e.m.Call("alipay.trade.refund", rq, nil); err != nil || r.Code() != "10000" {
			t.Fatalf("refund %d: %v %s", i, err, r.Raw)
		}
		e.shop.next(t)
	}
	want := []controlapi.Refund{
		{ID: 1, OutRequestNo: "RQ-1", Amount: "3.00", RefundedTotal: "3.00", Reason: "<b>mug</b> & saucer", RefundedAt: "2026-05-01T11:00:00+08:00", Status: "REFUND_SUCCESS"},
		{ID: 2, OutRequestNo: "RQ-2", Amount: "2.50", RefundedTotal: "5.50", RefundedAt: "2026-05-01T12:00:00+08:00", Status: "REFUND_SUCCESS"},
	}
	sameRefunds := func(what string, got []controlapi.Refund) {
		t.Helper()
		if len(got) != len(want) {
			t.Fatalf("%s: %d refunds %+v, want %d", what, len(got), got, len(want))
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("%s refund %d = %+v, want %+v", what, i, got[i], want[i])
			}
		}
	}
	api := e.app.URL + "/_mockpay/api/trades"

	resp, body := e.get(api + "/" + tradeNo)
	var one controlapi.Trade
	if err := json.Unmarshal([]byte(body), &one); resp.StatusCode != http.StatusOK || err != nil || one.RefundedAmount != "5.50" || one.Status != "TRADE_SUCCESS" {
		t.Fatalf("trade: %d %v %s", resp.StatusCode, err, body)
	}
	sameRefunds("trade", one.Refunds)
	var raw map[string]json.RawMessage
	if json.Unmarshal([]byte(body), &raw); string(raw["refunded_amount"]) != `"5.50"` {
		t.Errorf("refunded_amount on the wire: %s", raw["refunded_amount"])
	}

	_, body = e.get(api + "?out_trade_no=SEEN-1")
	var list []controlapi.Trade
	if err := json.Unmarshal([]byte(body), &list); err != nil || len(list) != 1 || list[0].RefundedAmount != "5.50" {
		t.Fatalf("list: %v %s", err, body)
	}
	sameRefunds("list", list[0].Refunds)

	resp, body = e.get(api + "/" + tradeNo + "/refunds")
	var rs []controlapi.Refund
	if err := json.Unmarshal([]byte(body), &rs); resp.StatusCode != http.StatusOK || err != nil {
		t.Fatalf("refunds: %d %v %s", resp.StatusCode, err, body)
	}
	sameRefunds("refunds route", rs)

	// A trade without refunds: no refunds fields, an empty list.
	unpaid := e.pay("SEEN-2", "1.00").Get("trade_no")
	e.shop.next(t)
	if _, body := e.get(api + "/" + unpaid); strings.Contains(body, "refund") {
		t.Errorf("a trade without refunds: %s", body)
	}
	if _, body := e.get(api + "/" + unpaid + "/refunds"); body != "[]\n" {
		t.Errorf("refunds of a trade without any: %q", body)
	}

	resp, body = e.get(api + "/2026999999999999/refunds")
	var fail controlapi.Error
	if err := json.Unmarshal([]byte(body), &fail); resp.StatusCode != http.StatusNotFound || err != nil || fail.Code != "trade_not_exist" ||
		!strings.Contains(fail.Message, "2026999999999999") {
		t.Errorf("unknown trade's refunds: %d %s", resp.StatusCode, body)
	}

	resp, html := e.get(e.app.URL + "/_mockpay/trades/" + tradeNo)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("dashboard trade page: %d", resp.StatusCode)
	}
	for _, s := range []string{
		`data-testid="refunded-amount">¥ 5.50<`, `data-testid="refunds"`,
		`<code>RQ-1</code></td><td class="num">3.00</td><td class="num">3.00</td><td>REFUND_SUCCESS</td><td>&lt;b&gt;mug&lt;/b&gt; &amp; saucer</td>`,
		`<code>RQ-2</code></td><td class="num">2.50</td><td class="num">5.50</td><td>REFUND_SUCCESS</td><td></td>`,
	} {
		if !strings.Contains(html, s) {
			t.Errorf("dashboard trade page lacks %s", s)
		}
	}
	if strings.Contains(html, "<b>mug") {
		t.Error("the dashboard shows a refund reason unescaped")
	}
	if strings.Contains(html, "<dt>expires</dt>") {
		t.Error("the dashboard shows an expiry on a paid trade")
	}
}

// TestLegacyBatchRefundsVisible: each record of a legacy batch refund is a
// refund of its trade on the control API.
func TestLegacyBatchRefundsVisible(t *testing.T) {
	e := newEnv(t)
	l := e.partner(md5PID)
	a := e.paidLegacyTrade(l, md5PID, "BATCH-A", "10.00")
	if r, err := l.Call("refund_fastpay_by_platform_nopwd", e.refundBatch(md5PID, "007", a+"^4.00^协商退款")); err != nil || !strings.Contains(string(r.Raw), "<is_success>T</is_success>") {
		t.Fatalf("nopwd: %v %s", err, r.Raw)
	}
	e.notesByKind(2)
	_, body := e.get(e.app.URL + "/_mockpay/api/trades/" + a + "/refunds")
	var rs []controlapi.Refund
	if err := json.Unmarshal([]byte(body), &rs); err != nil || len(rs) != 1 || rs[0].Amount != "4.00" || rs[0].Reason != "协商退款" ||
		rs[0].Status != "REFUND_SUCCESS" || rs[0].OutRequestNo == "" {
		t.Errorf("a batch refund's record: %v %s", err, body)
	}
	var tr controlapi.Trade
	if _, body := e.get(e.app.URL + "/_mockpay/api/trades/" + a); json.Unmarshal([]byte(body), &tr) != nil || tr.RefundedAmount != "4.00" || len(tr.Refunds) != 1 {
		t.Errorf("a batch-refunded trade: %s", body)
	}
}
