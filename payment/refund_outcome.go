package payment

import (
	"context"
	"errors"
	"time"
)

// RefundOutcome is how a refund ended. Every channel's refund succeeds at
// once by default (most platforms refund synchronously); a platform that
// settles refunds after its answer (one that answers "processing") lets a
// tester end one otherwise through SettleRefund (RefundOutcomes).
type RefundOutcome string

const (
	// RefundSucceeded: the money reached the buyer (the zero value).
	RefundSucceeded RefundOutcome = ""
	// RefundAbnormal: the refund failed on its way to the buyer (a closed
	// card, a frozen account); the money stays refunded from the trade and
	// waits for the merchant's own handling.
	RefundAbnormal RefundOutcome = "abnormal"
	// RefundClosed: the platform refused the refund; the amount is
	// refundable again.
	RefundClosed RefundOutcome = "closed"
)

// RefundOutcomes says which protocols' refunds may end otherwise than
// succeeded; the wiring injects the registered channels.
type RefundOutcomes interface {
	RefundOutcomes(p Protocol) bool
}

// ParseRefundOutcome reads a lever's outcome word: fail (abnormal) or
// close (closed).
func ParseRefundOutcome(s string) (RefundOutcome, error) {
	switch s {
	case "fail", "abnormal":
		return RefundAbnormal, nil
	case "close", "closed":
		return RefundClosed, nil
	}
	return "", Errorf(CodeInvalidParameter, "refund outcome %q: want fail or close", s)
}

// SettleRefund ends refund id otherwise than succeeded: abnormal keeps
// the money refunded from the trade, closed gives it back to the trade's
// refundable amount (a full refund's closed trade is paid again). The
// refund's notification follows, through the outbox, with the outcome. A
// refund already ended abnormal or closed, or of a protocol whose refunds
// are synchronous, is refused.
func (s *Service) SettleRefund(ctx context.Context, id int64, outcome RefundOutcome) (*RefundResult, error) {
	if outcome != RefundAbnormal && outcome != RefundClosed {
		return nil, Errorf(CodeInvalidParameter, "refund outcome %q: want abnormal or closed", outcome)
	}
	now := s.Clock.Now()
	var res *RefundResult
	queued := false
	err := s.Repo.Tx(ctx, func(tx Tx) error {
		r, err := tx.RefundByID(id)
		if errors.Is(err, ErrNotFound) {
			return Errorf(CodeRefundNotExist, "no refund %d", id)
		}
		if err != nil {
			return err
		}
		t, err := tx.TradeByTradeNo(r.TradeNo)
		if err != nil {
			return err
		}
		if s.RefundOutcomes == nil || !s.RefundOutcomes.RefundOutcomes(t.Protocol) {
			return Errorf(CodeUnsupportedOperation, "refund %d is of a %s trade, whose refunds are synchronous: they succeed at once and cannot end abnormal or closed", id, t.Protocol)
		}
		// Read again now the trade is held: another settle may have won.
		if r, err = tx.RefundByID(id); err != nil {
			return err
		}
		if r.Outcome != RefundSucceeded {
			return Errorf(CodeTradeStatusError, "refund %d already ended %s", id, r.Outcome)
		}
		r.Outcome = outcome
		if outcome == RefundClosed {
			if t.Status == StatusClosed && t.Refunded == t.Total {
				// The full refund closed the trade (§4.1); refused, it did not.
				t.Status, t.ClosedAt = StatusPaid, time.Time{}
			}
			t.Refunded -= r.Amount
			if err := tx.UpdateTrade(t); err != nil {
				return err
			}
		}
		if err := tx.UpdateRefund(r); err != nil {
			return err
		}
		res = &RefundResult{Trade: t, Refund: r}
		if r.Unnotified {
			return nil
		}
		queued, err = s.queueNotification(tx, t, r, now)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.wakeIf(queued)
	return res, nil
}
