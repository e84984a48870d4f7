package payment

import (
	"context"
	"time"
)

// DefaultRefundWindow applies when neither the app nor its protocol's
// channel names one: a year, as most platforms have it (Alipay OpenAPI 12
// months, alipay-protocol.md §4.1; WeChat Pay and UnionPay about 365 days).
const DefaultRefundWindow = 365 * 24 * time.Hour

// RefundWindows finds a protocol's default refund window; the wiring
// injects the registered channels (channel.Set).
type RefundWindows interface {
	RefundWindow(p Protocol) (time.Duration, bool)
}

// refundWindow is how long trade t stays refundable once paid: the app's
// own window, else its protocol's, else DefaultRefundWindow.
func (s *Service) refundWindow(t *Trade) time.Duration {
	if s.Apps != nil {
		if a, ok := s.Apps.App(t.AppID); ok && a.RefundWindow > 0 {
			return a.RefundWindow
		}
	}
	if s.RefundWindows != nil {
		if w, ok := s.RefundWindows.RefundWindow(t.Protocol); ok && w > 0 {
			return w
		}
	}
	return DefaultRefundWindow
}

// FinishDue finishes every paid trade whose refund window has ended and
// returns how many it finished. Each finished trade's notification
// (trade_status TRADE_FINISHED, §1.5, §3.4) is queued in the same commit.
func (s *Service) FinishDue(ctx context.Context) (int, error) {
	total := 0
	for {
		n, queued := 0, false
		err := s.Repo.Tx(ctx, func(tx Tx) error {
			now := s.Clock.Now()
			ts, err := tx.FinishingTrades(now, expiryBatch)
			if err != nil {
				return err
			}
			for _, t := range ts {
				q, err := s.finishIfDue(tx, t, now)
				if err != nil {
					return err
				}
				queued = queued || q
			}
			n = len(ts)
			return nil
		})
		s.wakeIf(err == nil && queued)
		total += n
		if err != nil || n < expiryBatch {
			return total, err
		}
	}
}

// finishIfDue moves a paid trade whose refund window ended to finished:
// no refund is possible after it (§4.5, ACQ.TRADE_HAS_FINISHED).
func (s *Service) finishIfDue(tx Tx, t *Trade, now time.Time) (bool, error) {
	if t.Status != StatusPaid || t.RefundableUntil.IsZero() || now.Before(t.RefundableUntil) {
		return false, nil
	}
	t.Status = StatusFinished
	if err := tx.UpdateTrade(t); err != nil {
		return false, err
	}
	if fn, ok := s.terms(t.Protocol).(FinishNotice); ok && !fn.NotifiesFinish() {
		return false, nil
	}
	return s.queueNotification(tx, t, nil, now)
}
