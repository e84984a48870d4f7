package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/mockpay/mockpay/controlapi"
)

// TestTradesRefunds: a trade refunded twice in part shows both refunds in
// "trades show" (table and --json) and in "trades refunds"; an unknown
// trade's refunds are trade_not_exist.
func TestTradesRefunds(t *testing.T) {
	s := newSandbox(t)
	s.order("R-1", "10.00")
	s.mustCLI("pay", "--app", fixtureApp, "--out-trade-no", "R-1")
	tradeNo := s.tradeNo("R-1")
	for _, rq := range [][2]string{{"RQ-1", "3.00"}, {"RQ-2", "2.50"}} {
		r, err := s.m.Call("alipay.trade.refund", map[string]any{"out_trade_no": "R-1", "refund_amount": rq[1], "out_request_no": rq[0]}, nil)
		if err != nil || r.Code() != "10000" {
			t.Fatalf("refund %s: %v %s", rq[0], err, r.Raw)
		}
	}

	shown := s.mustCLI("trades", "show", tradeNo)
	for _, want := range []string{"refunded_amount  5.50", "refunds:", "  RQ-1  3.00 yuan (refunded 3.00 in all)  REFUND_SUCCESS\n",
		"  RQ-2  2.50 yuan (refunded 5.50 in all)  REFUND_SUCCESS\n"} {
		if !strings.Contains(shown, want) {
			t.Errorf("trades show lacks %q:\n%s", want, shown)
		}
	}
	if strings.Contains(shown, "expires") {
		t.Errorf("a paid trade shows an expiry:\n%s", shown)
	}
	var tr controlapi.Trade
	if err := json.Unmarshal([]byte(s.mustCLI("trades", "show", "--json", tradeNo)), &tr); err != nil || tr.RefundedAmount != "5.50" || len(tr.Refunds) != 2 {
		t.Errorf("trades show --json: %v %+v", err, tr)
	}

	out := s.mustCLI("trades", "refunds", tradeNo)
	rows := strings.Split(strings.TrimSpace(out), "\n")
	if len(rows) != 3 || strings.Join(strings.Fields(rows[0]), " ") != "ID OUT_REQUEST_NO AMOUNT REFUNDED_TOTAL STATUS REFUNDED REASON" ||
		!strings.HasPrefix(strings.Join(strings.Fields(rows[1]), " "), "1 RQ-1 3.00 3.00 REFUND_SUCCESS ") ||
		!strings.HasPrefix(strings.Join(strings.Fields(rows[2]), " "), "2 RQ-2 2.50 5.50 REFUND_SUCCESS ") {
		t.Errorf("trades refunds:\n%s", out)
	}
	var rs []controlapi.Refund
	if err := json.Unmarshal([]byte(s.mustCLI("trades", "refunds", "--json", tradeNo)), &rs); err != nil || len(rs) != 2 || rs[1].OutRequestNo != "RQ-2" {
		t.Errorf("trades refunds --json: %v %+v", err, rs)
	}
	if _, err := s.cli("trades", "refunds", "2026999999999999"); err == nil || !strings.HasPrefix(err.Error(), "trade_not_exist: ") {
		t.Errorf("unknown trade: %v", err)
	}
	if _, err := s.cli("trades", "refunds"); exitCode(err) != 2 {
		t.Errorf("no trade_no: %v", err)
	}
	// Alipay refunds synchronously: the refund outcome levers refuse them.
	if _, err := s.cli("refunds", "fail", "1"); err == nil || !strings.HasPrefix(err.Error(), "unsupported_operation: ") {
		t.Errorf("refunds fail of an Alipay refund: %v", err)
	}
	if _, err := s.cli("refunds", "close", "99999"); err == nil || !strings.HasPrefix(err.Error(), "refund_not_exist: ") {
		t.Errorf("refunds close of no refund: %v", err)
	}
	if _, err := s.cli("refunds", "fail", "x"); err == nil {
		t.Errorf("refunds fail of a non-id: no error")
	}
}
