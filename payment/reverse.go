package payment

import (
	"context"
	"time"
)

// ReverseAction is what a reversal (alipay.trade.cancel) did to the trade.
type ReverseAction string

const (
	ReverseNothing ReverseAction = ""       // no trade was found: nothing to reverse
	ReverseClosed  ReverseAction = "close"  // an unpaid trade was closed
	ReverseRefund  ReverseAction = "refund" // a paid trade was refunded in full and closed
)

// ReverseWindow is how long after its creation a paid trade can still be
// reversed; later the merchant must refund. The platform's limit is not
// documented (alipay-protocol.md §7); a day is mockpay's choice.
const ReverseWindow = 24 * time.Hour

// ReverseResult is what a reversal reports.
type ReverseResult struct {
	Trade  *Trade // nil when nothing was found
	Action ReverseAction
	// RefundedAt is when the money went back (gmt_refund_pay), for ReverseRefund.
	RefundedAt time.Time
}

// Reverse undoes a face-to-face trade whose outcome the merchant does not
// know (§2.7 alipay.trade.cancel): an unpaid trade is closed, a paid one is
// refunded in full (its notification queued like any refund) and closed.
// Repeating it answers the same; an unknown trade is nothing to undo.
func (s *Service) Reverse(ctx context.Context, app *App, outTradeNo, tradeNo string) (*ReverseResult, error) {
	now := s.Clock.Now()
	res := &ReverseResult{}
	queued := false
	err := s.Repo.Tx(ctx, func(tx Tx) error {
		t, err := findTrade(tx, app.PID, outTradeNo, tradeNo)
		if CodeOf(err) == CodeTradeNotExist {
			// A precreate code nobody scanned yet is closed: it can no
			// longer be scanned.
			if outTradeNo != "" && tradeNo == "" {
				closed, err := s.invalidateQR(tx, app, outTradeNo, now)
				if closed {
					res.Action = ReverseClosed
				}
				return err
			}
			return nil
		}
		if err != nil {
			return err
		}
		if err := s.expireIfDue(tx, t, now); err != nil {
			return err
		}
		res.Trade = t
		switch t.Status {
		case StatusPending:
			t.Status, t.ClosedAt = StatusClosed, now
			res.Action = ReverseClosed
			return tx.UpdateTrade(t)
		case StatusClosed:
			res.Action = ReverseClosed
			if !t.PaidAt.IsZero() {
				res.Action, res.RefundedAt = ReverseRefund, t.RefundedAt
			}
			return nil
		case StatusFinished:
			return Errorf(CodeTradeHasFinished, "trade %s is finished", t.TradeNo)
		}
		if now.Sub(t.CreatedAt) > ReverseWindow {
			return Errorf(CodeCancelTimeout, "trade %s was created more than %s ago; refund it instead", t.TradeNo, ReverseWindow)
		}
		// The rest of the money goes back under the trade_no as the refund
		// key, as one captured notification's out_biz_no shows (§3.2).
		r, q, err := s.refundIn(tx, app.PID, RefundRequest{TradeNo: t.TradeNo, OutRequestNo: t.TradeNo, Amount: t.Total - t.Refunded, Reason: "cancel"}, now)
		if err != nil {
			return err
		}
		queued = q
		res.Trade, res.Action, res.RefundedAt = r.Trade, ReverseRefund, r.Refund.CreatedAt
		return nil
	})
	if err != nil {
		return res, err
	}
	s.wakeIf(queued)
	return res, nil
}
