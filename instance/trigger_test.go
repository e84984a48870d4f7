package instance_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/mockpay/mockpay/controlapi"
)

// TestTrigger: POST /_mockpay/api/trades makes a trade as if the shop had
// ordered it and drives it to the outcome; the shop receives the real
// signed notifications, which its SDK's verification accepts (issue 11
// item 4).
func TestTrigger(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	c := controlapi.New(e.app.URL)
	notify := e.shop.URL + "/notify"

	paid, err := c.Trigger(ctx, controlapi.TriggerRequest{AppID: e.m.AppID, Amount: "88.00", Subject: "triggered", NotifyURL: notify, Outcome: "paid"})
	if err != nil || paid.Status != "TRADE_SUCCESS" || paid.TotalAmount != "88.00" || paid.OutTradeNo == "" {
		t.Fatalf("paid: %+v %v", paid, err)
	}
	n := e.shop.next(t)
	if err := e.m.VerifyParams(n); err != nil || n.Get("trade_status") != "TRADE_SUCCESS" || n.Get("trade_no") != paid.TradeNo || n.Get("subject") != "triggered" {
		t.Errorf("the paid notification: %v %v", n, err)
	}

	refunded, err := c.Trigger(ctx, controlapi.TriggerRequest{AppID: e.m.AppID, Amount: "10.00", NotifyURL: notify, Outcome: "refunded", RefundAmount: "3.00", OutTradeNo: "TRIG-R"})
	if err != nil || refunded.RefundedAmount != "3.00" || len(refunded.Refunds) != 1 || refunded.OutTradeNo != "TRIG-R" {
		t.Fatalf("refunded: %+v %v", refunded, err)
	}
	got := map[string]bool{}
	for i := 0; i < 2; i++ {
		v := e.shop.next(t)
		if err := e.m.VerifyParams(v); err != nil {
			t.Errorf("refund-trade notification does not verify: %v", err)
		}
		got[v.Get("trade_status")+"/"+v.Get("refund_fee")] = true
	}
	if !got["TRADE_SUCCESS/"] || !got["TRADE_SUCCESS/3.00"] {
		t.Errorf("notifications of the refunded trade: %v", got)
	}

	closed, err := c.Trigger(ctx, controlapi.TriggerRequest{AppID: e.m.AppID, Amount: "1.00", NotifyURL: notify, Outcome: "closed"})
	if err != nil || closed.Status != "TRADE_CLOSED" {
		t.Errorf("closed: %+v %v", closed, err)
	}
	failed, err := c.Trigger(ctx, controlapi.TriggerRequest{AppID: e.m.AppID, Amount: "1.00", NotifyURL: notify, Outcome: "failed"})
	if err != nil || failed.Status != "WAIT_BUYER_PAY" {
		t.Errorf("failed: %+v %v", failed, err)
	}
	e.shop.none(t, e)

	for _, bad := range []controlapi.TriggerRequest{
		{AppID: e.m.AppID, Amount: "1.00", Outcome: "exploded"},
		{AppID: e.m.AppID, Amount: "-1", Outcome: "paid"},
		{AppID: e.m.AppID, Amount: "1.00", Outcome: "paid", RefundAmount: "1.00"},
		{AppID: e.m.AppID, Amount: "1.00", Outcome: "paid", Subject: "a/b"},
		{Amount: "1.00", Outcome: "paid"},
	} {
		var apiErr map[string]string
		if code := e.api("POST", "/trades", bad, &apiErr); code != http.StatusBadRequest || apiErr["code"] == "" {
			t.Errorf("%+v: %d %v", bad, code, apiErr)
		}
	}
	var apiErr map[string]string
	if code := e.api("POST", "/trades", controlapi.TriggerRequest{AppID: "2021999999999999", Amount: "1.00", Outcome: "paid"}, &apiErr); code != http.StatusNotFound {
		t.Errorf("unknown app: %d %v", code, apiErr)
	}
}
