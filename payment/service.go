package payment

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/mockpay/mockpay/clock"
)

// DefaultUnpaidTimeout applies when an order names none: 15 days for page
// and wap pay (alipay-protocol.md §4.2).
const DefaultUnpaidTimeout = 15 * 24 * time.Hour

// Service holds the payment use cases. It knows nothing of HTTP, SQL or any
// wire format.
type Service struct {
	Repo  Repo
	Clock clock.Clock
	Apps  *Registry
	Buyer Buyer
	// Wake, when set, is called after a commit that queued notifications, so
	// the dispatcher delivers them at once instead of at its next wake-up.
	Wake func()
}

// BeginCheckout records a signed page/wap order on its way to the cashier.
// A resubmitted out_trade_no must be unpaid, open and on the same terms (§4.4).
func (s *Service) BeginCheckout(ctx context.Context, o Order) (*Checkout, error) {
	now := s.Clock.Now()
	if !o.ExpiresAt.IsZero() && !o.ExpiresAt.After(now) {
		return nil, Errorf(CodeExpireTimeInPast, "time_expire %s is not in the future", o.ExpiresAt.In(CST).Format(time.DateTime))
	}
	c := &Checkout{Token: uuid.NewString(), Order: o, CreatedAt: now}
	err := s.Repo.Tx(ctx, func(tx Tx) error {
		t, err := tx.TradeByOutTradeNo(o.PID, o.OutTradeNo)
		switch {
		case errors.Is(err, ErrNotFound):
		case err != nil:
			return err
		default:
			if err := s.expireIfDue(tx, t, now); err != nil {
				return err
			}
			if err := reopenable(t, o); err != nil {
				return err
			}
		}
		return tx.InsertCheckout(c)
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// OpenCheckout is the buyer entering the cashier: the trade is created here,
// as WAIT_BUYER_PAY, or the existing one is reopened (§2.7).
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
		o := c.Order
		t, err := tx.TradeByOutTradeNo(o.PID, o.OutTradeNo)
		if errors.Is(err, ErrNotFound) {
			trade = &Trade{
				TradeNo:     NewTradeNo(now),
				Order:       o,
				Status:      WaitBuyerPay,
				CreatedAt:   now,
				ExpiresAt:   expiry(o, now),
				ReturnToken: token,
			}
			return tx.InsertTrade(trade)
		}
		if err != nil {
			return err
		}
		if err := s.expireIfDue(tx, t, now); err != nil {
			return err
		}
		if !o.SameTerms(t) {
			return Errorf(CodeContextInconsistent, "out_trade_no %s was opened with other terms", o.OutTradeNo)
		}
		trade = t
		if t.Status != WaitBuyerPay || t.ReturnToken == token {
			return nil // a reload: the cashier shows the trade as it is
		}
		// The shop sent the buyer again: the latest request says where the
		// buyer and the notification go.
		t.NotifyURL, t.ReturnURL, t.QuitURL, t.PassbackParams = o.NotifyURL, o.ReturnURL, o.QuitURL, o.PassbackParams
		t.Charset, t.SignType, t.Product, t.ProductCode = o.Charset, o.SignType, o.Product, o.ProductCode
		t.ReturnToken = token
		return tx.UpdateTrade(t)
	})
	return trade, err
}

// Pay is the buyer paying: WAIT_BUYER_PAY becomes TRADE_SUCCESS and, when the
// order named a notify_url, the notification is queued in the same commit.
func (s *Service) Pay(ctx context.Context, tradeNo string) (*Trade, error) {
	now := s.Clock.Now()
	var trade *Trade
	queued := false
	err := s.Repo.Tx(ctx, func(tx Tx) error {
		t, err := s.payable(tx, tradeNo, now)
		if err != nil {
			return err
		}
		t.Status = TradeSuccess
		t.PaidAt = now
		t.BuyerID, t.BuyerLogon = s.Buyer.UserID, s.Buyer.LogonID
		if err := tx.UpdateTrade(t); err != nil {
			return err
		}
		trade = t
		if t.NotifyURL == "" {
			return nil
		}
		queued = true
		return tx.InsertNotification(&Notification{
			NotifyID:      NewNotifyID(now),
			AppID:         t.AppID,
			Kind:          "trade_status_sync",
			URL:           t.NotifyURL,
			Trade:         *t,
			Status:        NotifyPending,
			NextAttemptAt: now,
			CreatedAt:     now,
		})
	})
	if err == nil && queued && s.Wake != nil {
		s.Wake()
	}
	return trade, err
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
// WAIT_BUYER_PAY until it expires or the shop closes it.
func (s *Service) Cancel(ctx context.Context, tradeNo string) (*Trade, error) {
	var trade *Trade
	err := s.Repo.Tx(ctx, func(tx Tx) error {
		t, err := s.payable(tx, tradeNo, s.Clock.Now())
		trade = t
		return err
	})
	return trade, err
}

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

// Close closes an unpaid trade; only WAIT_BUYER_PAY can be closed, and no
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
		if t.Status != WaitBuyerPay {
			return Errorf(CodeTradeStatusError, "only a WAIT_BUYER_PAY trade can be closed; this one is %s", t.Status)
		}
		t.Status, t.ClosedAt = TradeClosed, now
		return tx.UpdateTrade(t)
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
	case t.Status == TradeClosed:
		return t, Errorf(CodeTradeHasClosed, "trade %s is closed", t.TradeNo)
	}
	return t, nil
}

// expireIfDue closes an unpaid trade whose time ran out. Expiry is applied
// whenever a trade is read, so it follows the virtual clock exactly.
func (s *Service) expireIfDue(tx Tx, t *Trade, now time.Time) error {
	if t.Status != WaitBuyerPay || t.ExpiresAt.IsZero() || now.Before(t.ExpiresAt) {
		return nil
	}
	t.Status, t.ClosedAt = TradeClosed, t.ExpiresAt
	return tx.UpdateTrade(t)
}

func reopenable(t *Trade, o Order) error {
	switch {
	case t.Status.Paid():
		return Errorf(CodeTradeHasSuccess, "out_trade_no %s is already paid", o.OutTradeNo)
	case t.Status == TradeClosed:
		return Errorf(CodeTradeHasClosed, "out_trade_no %s is closed", o.OutTradeNo)
	case !o.SameTerms(t):
		return Errorf(CodeContextInconsistent, "out_trade_no %s exists with amount %s, subject %q; this request says %s, %q",
			o.OutTradeNo, t.Total.Yuan(), t.Subject, o.Total.Yuan(), o.Subject)
	}
	return nil
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

func expiry(o Order, created time.Time) time.Time {
	if !o.ExpiresAt.IsZero() {
		return o.ExpiresAt
	}
	if o.ExpiresAfter > 0 {
		return created.Add(o.ExpiresAfter)
	}
	return created.Add(DefaultUnpaidTimeout)
}
