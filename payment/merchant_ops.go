package payment

import (
	"context"
	"errors"
	"time"
)

// Trade returns a trade by its trade_no, for the cashier.
func (s *Service) Trade(ctx context.Context, tradeNo string) (*Trade, error) {
	var trade *Trade
	err := s.Repo.Tx(ctx, func(tx Tx) error {
		t, err := tx.TradeByTradeNo(tradeNo)
		if errors.Is(err, ErrNotFound) {
			return Errorf(CodeTradeNotExist, "no trade %s", tradeNo)
		}
		if err != nil {
			return err
		}
		trade = t
		return s.expireIfDue(tx, t, s.Clock.Now())
	})
	return trade, err
}

// Query finds a merchant's trade; trade_no wins over out_trade_no (§2.7).
func (s *Service) Query(ctx context.Context, app *App, outTradeNo, tradeNo string) (*Trade, error) {
	var trade *Trade
	err := s.Repo.Tx(ctx, func(tx Tx) error {
		t, err := findTrade(tx, app.PID, outTradeNo, tradeNo)
		if err != nil {
			return err
		}
		trade = t
		return s.expireIfDue(tx, t, s.Clock.Now())
	})
	return trade, err
}

// Close closes an unpaid trade; only a pending one can be closed, and no
// notification is sent by default (§2.7 alipay.trade.close, §3.4).
func (s *Service) Close(ctx context.Context, app *App, outTradeNo, tradeNo string) (*Trade, error) {
	now := s.Clock.Now()
	var trade *Trade
	err := s.Repo.Tx(ctx, func(tx Tx) error {
		t, err := findTrade(tx, app.PID, outTradeNo, tradeNo)
		if err != nil {
			return err
		}
		if err := s.expireIfDue(tx, t, now); err != nil {
			return err
		}
		trade = t
		if t.Status != StatusPending {
			return Errorf(CodeTradeStatusError, "only an unpaid trade can be closed; this one is %s", t.Status)
		}
		t.Status, t.ClosedAt = StatusClosed, now
		return tx.UpdateTrade(t)
	})
	return trade, err
}

// expireIfDue closes an unpaid trade whose time ran out. Expiry is applied
// whenever a trade is read, so it follows the virtual clock exactly.
func (s *Service) expireIfDue(tx Tx, t *Trade, now time.Time) error {
	if t.Status != StatusPending || t.ExpiresAt.IsZero() || now.Before(t.ExpiresAt) {
		return nil
	}
	t.Status, t.ClosedAt = StatusClosed, t.ExpiresAt
	return tx.UpdateTrade(t)
}

func findTrade(tx Tx, pid, outTradeNo, tradeNo string) (*Trade, error) {
	var t *Trade
	var err error
	if tradeNo != "" {
		t, err = tx.TradeByTradeNo(tradeNo)
		if err == nil && t.PID != pid {
			err = ErrNotFound // another merchant's trade does not exist for this one
		}
	} else {
		t, err = tx.TradeByOutTradeNo(pid, outTradeNo)
	}
	if errors.Is(err, ErrNotFound) {
		return nil, Errorf(CodeTradeNotExist, "no trade with out_trade_no %q trade_no %q", outTradeNo, tradeNo)
	}
	return t, err
}

// SetReturnURL names where the buyer's browser goes after paying an open
// trade, when the way into the cashier names it rather than the order (the
// redirect_url a WeChat Pay H5 page appends to its h5_url). It is checked
// like every callback, and only an unpaid, open trade takes one.
func (s *Service) SetReturnURL(ctx context.Context, tradeNo, returnURL string) error {
	if err := s.checkCallbacks([]Callback{{Name: "redirect_url", URL: returnURL}}); err != nil {
		return err
	}
	return s.Repo.Tx(ctx, func(tx Tx) error {
		t, err := s.payable(tx, tradeNo, s.Clock.Now())
		if err != nil {
			return err
		}
		t.ReturnURL = returnURL
		return tx.UpdateTrade(t)
	})
}
