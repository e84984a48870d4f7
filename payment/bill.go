package payment

import (
	"context"
	"sort"
	"time"
)

// Bill is a merchant's trades and refunds over a period, for the
// reconciliation file (alipay.data.dataservice.bill.downloadurl.query).
type Bill struct {
	App     *App
	From    time.Time // inclusive
	To      time.Time // exclusive
	Trades  []*Trade  // paid within the period, in payment order
	Refunds []*Refund // made within the period, in order
	// RefundedTrades are the trades of Refunds, by trade_no.
	RefundedTrades map[string]*Trade
}

// Empty reports a period with nothing to reconcile: the platform has no
// bill for it (§2.7, isp.bill_not_exist).
func (b *Bill) Empty() bool { return len(b.Trades) == 0 && len(b.Refunds) == 0 }

// BillTx reads what a bill lists.
type BillTx interface {
	// TradesPaidBetween returns the app's trades paid in [from, to).
	TradesPaidBetween(appID string, from, to time.Time) ([]*Trade, error)
	// RefundsBetween returns the app's refunds made in [from, to).
	RefundsBetween(appID string, from, to time.Time) ([]*Refund, error)
}

// Bill collects an app's trades and refunds over [from, to) of virtual time.
func (s *Service) Bill(ctx context.Context, app *App, from, to time.Time) (*Bill, error) {
	b := &Bill{App: app, From: from, To: to, RefundedTrades: map[string]*Trade{}}
	err := s.Repo.Tx(ctx, func(tx Tx) error {
		var err error
		if b.Trades, err = tx.TradesPaidBetween(app.AppID, from, to); err != nil {
			return err
		}
		if b.Refunds, err = tx.RefundsBetween(app.AppID, from, to); err != nil {
			return err
		}
		for _, r := range b.Refunds {
			if _, ok := b.RefundedTrades[r.TradeNo]; ok {
				continue
			}
			if b.RefundedTrades[r.TradeNo], err = tx.TradeByTradeNo(r.TradeNo); err != nil {
				return err
			}
		}
		return nil
	})
	sort.SliceStable(b.Trades, func(i, j int) bool { return b.Trades[i].PaidAt.Before(b.Trades[j].PaidAt) })
	return b, err
}
