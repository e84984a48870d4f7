package payment_test

import (
	"context"
	"testing"

	"github.com/mockpay/mockpay/payment"
)

// settlesLater says every protocol's refunds settle after the answer, or
// none's.
type settlesLater bool

func (s settlesLater) RefundOutcomes(payment.Protocol) bool { return bool(s) }

// TestSettleRefund: a refund ended abnormal keeps its money refunded; one
// ended closed gives it back (the full refund's closed trade is paid
// again, refundable anew); each queues its refund's notification with the
// outcome; a settled refund takes no second outcome.
func TestSettleRefund(t *testing.T) {
	d := newDomain(t)
	d.svc.RefundOutcomes = settlesLater(true)
	ctx := context.Background()
	tr := d.trade("SR-1", 1000, true)
	ab, _ := d.refund(payment.RefundRequest{OutTradeNo: "SR-1", OutRequestNo: "rq-1", Amount: 400})
	cl, _ := d.refund(payment.RefundRequest{OutTradeNo: "SR-1", OutRequestNo: "rq-2", Amount: 600})
	if cl.Trade.Status != payment.StatusClosed {
		t.Fatalf("full refund: %+v", cl.Trade)
	}
	res, err := d.svc.SettleRefund(ctx, ab.Refund.ID, payment.RefundAbnormal)
	if err != nil || res.Refund.Outcome != payment.RefundAbnormal || res.Trade.Refunded != 1000 || res.Trade.Status != payment.StatusClosed {
		t.Fatalf("abnormal: %v %+v %+v", err, res.Refund, res.Trade)
	}
	if _, err := d.svc.SettleRefund(ctx, ab.Refund.ID, payment.RefundClosed); payment.CodeOf(err) != payment.CodeTradeStatusError {
		t.Errorf("a second outcome: %v", err)
	}
	res, err = d.svc.SettleRefund(ctx, cl.Refund.ID, payment.RefundClosed)
	if err != nil || res.Trade.Refunded != 400 || res.Trade.Status != payment.StatusPaid || !res.Trade.ClosedAt.IsZero() {
		t.Fatalf("closed: %v %+v", err, res.Trade)
	}
	ns := d.pending()
	if len(ns) != 5 || ns[3].Refund.Outcome != payment.RefundAbnormal || ns[4].Refund.Outcome != payment.RefundClosed || ns[4].Kind != payment.KindRefund {
		t.Errorf("notifications: %d %+v", len(ns), ns)
	}
	again, err := d.refund(payment.RefundRequest{TradeNo: tr.TradeNo, OutRequestNo: "rq-3", Amount: 600})
	if err != nil || again.Trade.Status != payment.StatusClosed {
		t.Fatalf("refund of the restored amount: %v %+v", err, again)
	}
	if _, err := d.svc.SettleRefund(ctx, 9999, payment.RefundClosed); payment.CodeOf(err) != payment.CodeRefundNotExist {
		t.Errorf("unknown refund: %v", err)
	}
	d.svc.RefundOutcomes = settlesLater(false)
	if _, err := d.svc.SettleRefund(ctx, again.Refund.ID, payment.RefundAbnormal); payment.CodeOf(err) != payment.CodeUnsupportedOperation {
		t.Errorf("a synchronous protocol's refund: %v", err)
	}
}
