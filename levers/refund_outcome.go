package levers

import (
	"context"

	"github.com/mockpay/mockpay/payment"
)

// SettleRefund ends refund id abnormal (the money did not reach the buyer)
// or closed (refused; the amount is refundable again), as a platform that
// settles refunds after its answer may (payment.Service.SettleRefund); the
// refund's notification follows with the outcome. Protocols whose refunds
// are synchronous refuse it with unsupported_operation.
func (l *Levers) SettleRefund(ctx context.Context, id int64, outcome payment.RefundOutcome) (*payment.RefundResult, error) {
	res, err := l.Orders.SettleRefund(ctx, id, outcome)
	if err != nil {
		return nil, err
	}
	l.Changes.Fire()
	return res, nil
}
