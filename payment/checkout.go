package payment

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
)

// BeginCheckout records a signed page/wap order on its way to the cashier.
// A resubmitted out_trade_no must be unpaid, open and on the same terms (§4.4).
func (s *Service) BeginCheckout(ctx context.Context, o Order) (*Checkout, error) {
	now := s.Clock.Now()
	if err := s.checkCallbacks(s.callbacks(o)); err != nil {
		return nil, err
	}
	if err := checkNotExpired(o, now); err != nil {
		return nil, err
	}
	c := &Checkout{Token: uuid.NewString(), Order: o, CreatedAt: now}
	err := s.Repo.Tx(ctx, func(tx Tx) error {
		if _, err := s.existingTrade(tx, o, now); err != nil {
			return err
		}
		return tx.InsertCheckout(c)
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// OpenCheckout is the buyer entering the cashier: the trade is created here,
// pending, or the existing one is reopened (Alipay: alipay-protocol.md §2.7).
func (s *Service) OpenCheckout(ctx context.Context, token string) (*Trade, error) {
	now := s.Clock.Now()
	var trade *Trade
	err := s.Repo.Tx(ctx, func(tx Tx) error {
		c, err := tx.Checkout(token)
		if errors.Is(err, ErrNotFound) {
			return Errorf(CodeCheckoutNotFound, "no checkout %q", token)
		}
		if err != nil {
			return err
		}
		trade, err = s.open(tx, c, now)
		return err
	})
	return trade, err
}

// open is OpenCheckout inside the caller's transaction.
func (s *Service) open(tx Tx, c *Checkout, now time.Time) (*Trade, error) {
	token := c.Token
	o := c.Order
	t, err := tx.TradeByOutTradeNo(o.PID, o.OutTradeNo)
	if errors.Is(err, ErrNotFound) && !c.ValidUntil.IsZero() && !now.Before(c.ValidUntil) {
		return nil, Errorf(CodeQRCodeExpired, "the code of out_trade_no %s expired at %s", o.OutTradeNo, c.ValidUntil.In(CST).Format(time.DateTime))
	}
	if errors.Is(err, ErrNotFound) {
		trade := &Trade{
			TradeNo:     s.ids(o.Protocol).TradeNo(now),
			Order:       o,
			Status:      StatusPending,
			CreatedAt:   now,
			ExpiresAt:   expiry(o, now),
			ReturnToken: token,
		}
		return trade, tx.InsertTrade(trade)
	}
	if err != nil {
		return nil, err
	}
	if err := s.expireIfDue(tx, t, now); err != nil {
		return nil, err
	}
	if code := s.Mismatch(o, t); code != "" {
		return nil, Errorf(code, "out_trade_no %s was opened with other terms", o.OutTradeNo)
	}
	if t.Status != StatusPending || t.ReturnToken == token {
		return t, nil // a reload: the cashier shows the trade as it is
	}
	// The shop sent the buyer again: the latest request says where the
	// buyer and the notification go.
	t.NotifyURL, t.ReturnURL, t.QuitURL, t.PassbackParams = o.NotifyURL, o.ReturnURL, o.QuitURL, o.PassbackParams
	t.Charset, t.SignType, t.Product, t.ProductCode = o.Charset, o.SignType, o.Product, o.ProductCode
	t.Terms = o.Terms
	t.ReturnToken = token
	return t, tx.UpdateTrade(t)
}

func (s *Service) reopenable(t *Trade, o Order) error {
	code := s.Mismatch(o, t)
	switch {
	case t.Status.Paid():
		return Errorf(CodeTradeHasSuccess, "out_trade_no %s is already paid", o.OutTradeNo)
	case t.Status == StatusClosed:
		return Errorf(CodeTradeHasClosed, "out_trade_no %s is closed", o.OutTradeNo)
	case code != "":
		return Errorf(code, "out_trade_no %s exists with amount %s, subject %q; this request says %s, %q",
			o.OutTradeNo, t.Total.Yuan(), t.Subject, o.Total.Yuan(), o.Subject)
	}
	return nil
}

func expiry(o Order, created time.Time) time.Time {
	if !o.ExpiresAt.IsZero() {
		return o.ExpiresAt
	}
	if o.ExpiresAfter > 0 {
		return created.Add(o.ExpiresAfter)
	}
	return created.Add(DefaultUnpaidTimeout)
}
