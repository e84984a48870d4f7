package payment

import (
	"context"
	"errors"
	"time"
)

// Create opens a pending trade at once, bound to the order's buyer (the
// Alipay channel's alipay.trade.create, alipay-protocol.md §2.7). Resubmitting the same out_trade_no on the same
// terms returns the open trade (§4.4).
func (s *Service) Create(ctx context.Context, o Order) (*Trade, error) {
	now := s.Clock.Now()
	if err := s.checkCallbacks(o.callbacks()); err != nil {
		return nil, err
	}
	var trade *Trade
	err := s.Repo.Tx(ctx, func(tx Tx) error {
		t, err := s.openTrade(tx, o, now)
		trade = t
		return err
	})
	return trade, err
}

// openTrade returns the merchant's open trade for o, creating it when there
// is none. An existing trade must be unpaid, open and on the same terms.
// On a refusal the existing trade is returned with the error, so the answer
// can echo its identifiers.
func (s *Service) openTrade(tx Tx, o Order, now time.Time) (*Trade, error) {
	if err := checkNotExpired(o, now); err != nil {
		return nil, err
	}
	if t, err := s.existingTrade(tx, o, now); t != nil || err != nil {
		return t, err
	}
	t := &Trade{
		TradeNo:   s.ids(o.Protocol).TradeNo(now),
		Order:     o,
		Status:    StatusPending,
		BuyerID:   o.BoundBuyerID,
		CreatedAt: now,
		ExpiresAt: expiry(o, now),
	}
	return t, tx.InsertTrade(t)
}

// existingTrade returns the merchant's trade for o's out_trade_no, or nil.
// A resubmitted out_trade_no must name a trade that is unpaid, open and on
// the same terms (§4.4); otherwise the trade comes back with the error.
func (s *Service) existingTrade(tx Tx, o Order, now time.Time) (*Trade, error) {
	t, err := tx.TradeByOutTradeNo(o.PID, o.OutTradeNo)
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if err := s.expireIfDue(tx, t, now); err != nil {
		return nil, err
	}
	return t, reopenable(t, o)
}

// checkNotExpired refuses an order whose time_expire has already passed,
// or lies further ahead than an order may stay payable.
func checkNotExpired(o Order, now time.Time) error {
	switch {
	case o.ExpiresAt.IsZero():
	case !o.ExpiresAt.After(now):
		return Errorf(CodeExpireTimeInPast, "time_expire %s is not in the future", o.ExpiresAt.In(CST).Format(time.DateTime))
	case o.ExpiresAt.After(now.Add(MaxUnpaidTimeout)):
		return Errorf(CodeInvalidParameter, "time_expire %s is more than 15 days ahead (at most %s)",
			o.ExpiresAt.In(CST).Format(time.DateTime), now.Add(MaxUnpaidTimeout).In(CST).Format(time.DateTime))
	}
	return nil
}
