package instance_test

import (
	"context"
	"testing"

	"github.com/mockpay/mockpay/controlapi"
)

// TestTriggerLegacy: a trigger for a legacy partner makes a
// create_direct_pay_by_user order (§1.3) and pays it: the shop's notify
// endpoint receives the MAPI notification (§1.5), which the partner's own
// verification (MD5 and RSA) accepts; a plain 即时到账 partner's trade finishes and refuses a refund.
func TestTriggerLegacy(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	c := controlapi.New(e.app.URL)
	notify := e.shop.URL + "/notify"

	for _, pid := range []string{md5PID, rsaPID} {
		l := e.partner(pid)
		paid, err := c.Trigger(ctx, controlapi.TriggerRequest{AppID: pid, Amount: "12.50", Subject: "触发 trigger", NotifyURL: notify, Outcome: "paid"})
		if err != nil || paid.Status != "TRADE_SUCCESS" || paid.TotalAmount != "12.50" {
			t.Fatalf("%s paid: %+v %v", pid, paid, err)
		}
		n := e.shop.next(t)
		if err := l.Verify(n); err != nil {
			t.Errorf("%s: the notification does not verify: %v (%v)", pid, err, n)
		}
		if n.Get("notify_type") != "trade_status_sync" || n.Get("trade_status") != "TRADE_SUCCESS" || n.Get("trade_no") != paid.TradeNo ||
			n.Get("total_fee") != "12.50" || n.Get("subject") != "触发 trigger" || n.Get("seller_id") != pid || n.Get("payment_type") != "1" {
			t.Errorf("%s notification: %v", pid, n)
		}
	}

	l := e.partner(md5PID)
	refunded, err := c.Trigger(ctx, controlapi.TriggerRequest{AppID: md5PID, Amount: "10.00", NotifyURL: notify, Outcome: "refunded", RefundAmount: "4.00"})
	if err != nil || refunded.RefundedAmount != "4.00" || len(refunded.Refunds) != 1 {
		t.Fatalf("refunded: %+v %v", refunded, err)
	}
	got := map[string]bool{}
	for i := 0; i < 2; i++ {
		n := e.shop.next(t)
		if err := l.Verify(n); err != nil {
			t.Errorf("refund-trade notification does not verify: %v", err)
		}
		got[n.Get("trade_status")+"/"+n.Get("refund_status")] = true
	}
	if !got["TRADE_SUCCESS/"] || !got["TRADE_SUCCESS/REFUND_SUCCESS"] {
		t.Errorf("notifications of the refunded trade: %v", got)
	}

	plain, err := c.Trigger(ctx, controlapi.TriggerRequest{AppID: plainPID, Amount: "1.00", NotifyURL: notify, Outcome: "paid"})
	if err != nil || plain.Status != "TRADE_FINISHED" {
		t.Errorf("plain partner paid: %+v %v", plain, err)
	}
	if n := e.shop.next(t); e.partner(plainPID).Verify(n) != nil || n.Get("trade_status") != "TRADE_FINISHED" {
		t.Errorf("plain partner notification: %v", n)
	}
	if _, err := c.Trigger(ctx, controlapi.TriggerRequest{AppID: plainPID, Amount: "1.00", NotifyURL: notify, Outcome: "refunded"}); err == nil {
		t.Error("a plain 即时到账 trade was refunded")
	}
	e.shop.next(t) // that trade was paid before the refund was refused

	if _, err := c.Trigger(ctx, controlapi.TriggerRequest{AppID: md5PID, Amount: "1.00", NotifyURL: "http://shop.example/notify?x=1", Outcome: "paid"}); err == nil {
		t.Error("a notify_url with its own query was accepted")
	}
	closed, err := c.Trigger(ctx, controlapi.TriggerRequest{AppID: md5PID, Amount: "1.00", NotifyURL: notify, Outcome: "closed"})
	if err != nil || closed.Status != "TRADE_CLOSED" {
		t.Errorf("closed: %+v %v", closed, err)
	}
	e.shop.none(t, e)
}
