package payment

import (
	"context"
	"time"
)

// Every stored value (Order, Trade, Checkout, App, Notification, Attempt,
// Refund, RefundBatch, Token) names its JSON keys explicitly: the store keeps
// them as JSON and queries them (migration 002 reads $.Order.PID), so a
// renamed Go field must keep its key, and a renamed key is a migration.

// Repo persists the domain. Every use case runs in one transaction, so a
// state change and the notification it causes commit together.
type Repo interface {
	Tx(ctx context.Context, fn func(Tx) error) error
}

// Tx is the set of reads and writes a use case may make inside a transaction.
// Lookups return ErrNotFound for a missing row.
type Tx interface {
	InsertCheckout(c *Checkout) error
	Checkout(token string) (*Checkout, error)
	// LatestCheckout is the newest checkout of a merchant's out_trade_no.
	LatestCheckout(pid, outTradeNo string) (*Checkout, error)

	TradeByOutTradeNo(pid, outTradeNo string) (*Trade, error)
	TradeByTradeNo(tradeNo string) (*Trade, error)
	InsertTrade(t *Trade) error
	UpdateTrade(t *Trade) error
	// ExpiringTrades are unpaid trades whose deadline is at or before now,
	// earliest first.
	ExpiringTrades(now time.Time, limit int) ([]*Trade, error)
	// FinishingTrades are paid trades whose refund window ended at or
	// before now, earliest first.
	FinishingTrades(now time.Time, limit int) ([]*Trade, error)

	InsertNotification(n *Notification) error

	RefundTx
	BillTx
	UpdateCheckout(c *Checkout) error

	RefundBatchTx
}

// RefundTx reads and writes refunds.
type RefundTx interface {
	InsertRefund(r *Refund) error
	RefundByOutRequestNo(tradeNo, outRequestNo string) (*Refund, error)
	// RefundOfMerchant is a merchant's latest refund with outRequestNo,
	// whatever its trade: platforms whose refund query names only the
	// merchant's refund number look refunds up by it.
	RefundOfMerchant(pid, outRequestNo string) (*Refund, error)
	// RefundsOf are a trade's refunds, oldest first (none for a trade
	// without refunds): a refund query may name only the trade.
	RefundsOf(tradeNo string) ([]*Refund, error)
	// RefundByID is the refund stored as row id: platforms whose refund
	// id is derived from the row look refunds up by it.
	RefundByID(id int64) (*Refund, error)
	// UpdateRefund rewrites refund r.ID (its outcome); an unknown id is
	// ErrNotFound.
	UpdateRefund(r *Refund) error
}
