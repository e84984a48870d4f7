package levers

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strings"

	"github.com/mockpay/mockpay/cashier"
	"github.com/mockpay/mockpay/payment"
)

// Orders are the merchant's side of the domain a trigger plays: create a
// trade, close or refund it; payment.Service is it.
type Orders interface {
	Create(ctx context.Context, o payment.Order) (*payment.Trade, error)
	Close(ctx context.Context, app *payment.App, outTradeNo, tradeNo string) (*payment.Trade, error)
	Refund(ctx context.Context, app *payment.App, req payment.RefundRequest) (*payment.RefundResult, error)
	SettleRefund(ctx context.Context, id int64, outcome payment.RefundOutcome) (*payment.RefundResult, error)
}

// Outcomes a trigger drives a trade to.
const (
	OutcomePaid     = "paid"     // paid by the buyer: the trade's notification follows
	OutcomeFailed   = "failed"   // the buyer's payment failed; the trade stays payable
	OutcomeClosed   = "closed"   // closed unpaid by the merchant
	OutcomeRefunded = "refunded" // paid, then refunded (RefundAmount, or in whole)
)

// Outcomes lists the outcomes Trigger accepts.
var Outcomes = []string{OutcomePaid, OutcomeFailed, OutcomeClosed, OutcomeRefunded}

// TriggerSpec is an event to make happen without signing anything.
type TriggerSpec struct {
	AppID        string
	OutTradeNo   string // "" picks a fresh TRIGGER… number (letters and digits: every platform's shape)
	Subject      string // "" is "mockpay trigger"
	Amount       payment.Amount
	NotifyURL    string
	Outcome      string
	RefundAmount payment.Amount // for refunded: 0 refunds the whole amount
}

// Trigger creates a trade as if the app's shop had ordered it (through the
// protocol's Trigger, so the order is what that platform's orders are) and
// drives it to the outcome through the same code as the buyer's buttons
// and the merchant's calls, so the shop's notify_url receives the real
// signed notifications on the platform's schedule. It returns the trade as
// the outcome left it.
func (l *Levers) Trigger(ctx context.Context, spec TriggerSpec) (*payment.Trade, error) {
	app, ok := l.Apps.App(spec.AppID)
	if !ok {
		return nil, payment.Errorf(payment.CodeInvalidAppID, "no app %q", spec.AppID)
	}
	switch {
	case l.Orders == nil || l.TriggerOrder == nil:
		return nil, payment.Errorf(payment.CodeUnsupportedOperation, "triggers are not wired")
	case !validOutcome(spec.Outcome):
		return nil, payment.Errorf(payment.CodeInvalidParameter, "outcome %q: use %s", spec.Outcome, strings.Join(Outcomes, ", "))
	case spec.Amount <= 0:
		return nil, payment.Errorf(payment.CodeInvalidParameter, "amount must be positive")
	case spec.RefundAmount < 0 || spec.RefundAmount > spec.Amount:
		return nil, payment.Errorf(payment.CodeInvalidParameter, "refund_amount must be between 0.01 and the amount")
	case spec.RefundAmount > 0 && spec.Outcome != OutcomeRefunded:
		return nil, payment.Errorf(payment.CodeInvalidParameter, "refund_amount goes with outcome refunded")
	}
	if spec.OutTradeNo == "" {
		// Letters and digits only: UnionPay's orderId allows nothing else (§4).
		spec.OutTradeNo = "TRIGGER" + randomHex(8)
	}
	if spec.Subject == "" {
		spec.Subject = "mockpay trigger"
	}
	o, err := l.TriggerOrder(app, payment.Order{Protocol: app.Protocol(), AppID: app.AppID, PID: app.PID,
		OutTradeNo: spec.OutTradeNo, Subject: spec.Subject, Total: spec.Amount, NotifyURL: spec.NotifyURL})
	if err != nil {
		return nil, err
	}
	t, err := l.Orders.Create(ctx, o)
	if err != nil {
		return nil, err
	}
	defer l.Changes.Fire()
	switch spec.Outcome {
	case OutcomeClosed:
		return l.Orders.Close(ctx, app, "", t.TradeNo)
	case OutcomeFailed:
		r, err := l.Buyer.Act(ctx, t.TradeNo, cashier.Fail)
		return tradeOf(r, t), err
	}
	r, err := l.Buyer.Act(ctx, t.TradeNo, cashier.Pay)
	if err != nil || spec.Outcome == OutcomePaid {
		return tradeOf(r, t), err
	}
	amount := spec.RefundAmount
	if amount == 0 {
		amount = spec.Amount
	}
	req := payment.RefundRequest{TradeNo: t.TradeNo, OutRequestNo: "TRIGGERREFUND" + randomHex(4), Amount: amount, Reason: "mockpay trigger"}
	if l.TriggerRefund != nil {
		if req, err = l.TriggerRefund(app, tradeOf(r, t), req); err != nil {
			return nil, err
		}
	}
	res, err := l.Orders.Refund(ctx, app, req)
	if err != nil {
		return nil, err
	}
	return res.Trade, nil
}

func validOutcome(o string) bool {
	for _, v := range Outcomes {
		if v == o {
			return true
		}
	}
	return false
}

func tradeOf(r *cashier.Result, t *payment.Trade) *payment.Trade {
	if r != nil && r.Trade != nil {
		return r.Trade
	}
	return t
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return strings.ToUpper(hex.EncodeToString(b))
}
