package payment

import (
	"context"
	"errors"
)

// expiryBatch bounds one expiry step's transaction.
const expiryBatch = 100

// ExpireDue closes every unpaid trade whose deadline has passed and returns
// how many it closed. Closing on expiry sends no notification by default
// (alipay-protocol.md §3.4, §4.2).
func (s *Service) ExpireDue(ctx context.Context) (int, error) {
	total := 0
	for {
		n := 0
		err := s.Repo.Tx(ctx, func(tx Tx) error {
			ts, err := tx.ExpiringTrades(s.Clock.Now(), expiryBatch)
			if err != nil {
				return err
			}
			for _, t := range ts {
				if err := s.expireIfDue(tx, t, s.Clock.Now()); err != nil {
					return err
				}
			}
			n = len(ts)
			return nil
		})
		total += n
		if err != nil || n < expiryBatch {
			return total, err
		}
	}
}

// OpenLatestCheckout enters the cashier for a merchant's out_trade_no as a
// buyer would, through the newest checkout of it: what the control API does
// when no browser opened the order.
func (s *Service) OpenLatestCheckout(ctx context.Context, pid, outTradeNo string) (*Trade, string, error) {
	now := s.Clock.Now()
	var t *Trade
	var token string
	// One transaction: the newest checkout is the one opened.
	err := s.Repo.Tx(ctx, func(tx Tx) error {
		c, err := tx.LatestCheckout(pid, outTradeNo)
		if errors.Is(err, ErrNotFound) {
			// Maybe the trade exists without a checkout (created by an API call).
			t, err = findTrade(tx, pid, outTradeNo, "")
			return err
		}
		if err != nil {
			return err
		}
		token = c.Token
		t, err = s.open(tx, c, now)
		return err
	})
	return t, token, err
}
