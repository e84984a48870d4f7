package payment

import (
	"context"
	"errors"
	"time"
)

// Pay is the buyer paying: a pending trade becomes paid and, when the order
// named a notify URL, the notification is queued in the same commit.
func (s *Service) Pay(ctx context.Context, tradeNo string) (*Trade, error) {
	now := s.Clock.Now()
	var trade *Trade
	queued := false
	err := s.Repo.Tx(ctx, func(tx Tx) error {
		t, err := s.payable(tx, tradeNo, now)
		if err != nil {
			return err
		}
		trade = t
		queued, err = s.markPaid(tx, t, now)
		return err
	})
	s.wakeIf(err == nil && queued)
	return trade, err
}

// markPaid moves t to paid (finished for a product without refunds) with the sandbox buyer as payer and queues its notification,
// inside the caller's transaction.
func (s *Service) markPaid(tx Tx, t *Trade, now time.Time) (bool, error) {
	t.Status = t.paidStatus()
	t.PaidAt = now
	s.bindBuyer(t)
	if err := tx.UpdateTrade(t); err != nil {
		return false, err
	}
	return s.queueNotification(tx, t, nil, now)
}

// bindBuyer records the sandbox buyer as the trade's payer; a trade bound to
// a buyer by the merchant (trade.create) keeps its buyer_id.
func (s *Service) bindBuyer(t *Trade) {
	if t.BuyerID == "" {
		t.BuyerID = s.Buyer.UserID
	}
	t.BuyerLogon = s.Buyer.LogonID
}

// Fail is the buyer's payment failing in the cashier. Nothing changes: the
// trade stays payable, as after a declined attempt on the real cashier.
func (s *Service) Fail(ctx context.Context, tradeNo string) (*Trade, error) {
	var trade *Trade
	err := s.Repo.Tx(ctx, func(tx Tx) error {
		t, err := s.payable(tx, tradeNo, s.Clock.Now())
		trade = t
		return err
	})
	if err != nil {
		return nil, err
	}
	return trade, Errorf(CodeBuyerBalanceTooLow, "the buyer's balance is not enough to pay %s yuan", trade.Total.Yuan())
}

// Cancel is the buyer leaving the cashier without paying; the trade stays
// pending until it expires or the shop closes it.
func (s *Service) Cancel(ctx context.Context, tradeNo string) (*Trade, error) {
	var trade *Trade
	err := s.Repo.Tx(ctx, func(tx Tx) error {
		t, err := s.payable(tx, tradeNo, s.Clock.Now())
		trade = t
		return err
	})
	return trade, err
}

func (s *Service) payable(tx Tx, tradeNo string, now time.Time) (*Trade, error) {
	t, err := tx.TradeByTradeNo(tradeNo)
	if errors.Is(err, ErrNotFound) {
		return nil, Errorf(CodeTradeNotExist, "no trade %s", tradeNo)
	}
	if err != nil {
		return nil, err
	}
	if err := s.expireIfDue(tx, t, now); err != nil {
		return t, err
	}
	switch {
	case t.Status.Paid():
		return t, Errorf(CodeTradeHasSuccess, "trade %s is already paid", t.TradeNo)
	case t.Status == StatusClosed:
		return t, Errorf(CodeTradeHasClosed, "trade %s is closed", t.TradeNo)
	}
	return t, nil
}
