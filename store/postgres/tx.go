package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/mockpay/mockpay/payment"
)

// Tx implements payment.Repo: fn's reads and writes commit together. The
// rows fn reads are locked until then (package comment), and fn runs again
// when the transaction lost a race (retryable), so it must not act outside
// the transaction.
func (db *DB) Tx(ctx context.Context, fn func(payment.Tx) error) error {
	return db.exec(ctx, true, func(t *txn) error { return fn(t) })
}

func (t *txn) InsertCheckout(c *payment.Checkout) error {
	data, err := marshal(c)
	if err != nil {
		return err
	}
	_, err = t.exec(`INSERT INTO checkouts (token, data, created_at, pid, out_trade_no) VALUES ($1, $2, $3, $4, $5)`,
		c.Token, data, c.CreatedAt, c.Order.PID, c.Order.OutTradeNo)
	return err
}

func (t *txn) LatestCheckout(pid, outTradeNo string) (*payment.Checkout, error) {
	var c payment.Checkout
	return &c, t.getJSON(&c, `SELECT data FROM checkouts WHERE pid = $1 AND out_trade_no = $2
		ORDER BY created_at DESC, id DESC LIMIT 1 FOR UPDATE`, pid, outTradeNo)
}

func (t *txn) Checkout(token string) (*payment.Checkout, error) {
	var c payment.Checkout
	return &c, t.getJSON(&c, `SELECT data FROM checkouts WHERE token = $1 FOR UPDATE`, token)
}

func (t *txn) UpdateCheckout(c *payment.Checkout) error {
	data, err := marshal(c)
	if err != nil {
		return err
	}
	_, err = t.exec(`UPDATE checkouts SET data = $1 WHERE token = $2`, data, c.Token)
	return err
}

// Trades are read FOR UPDATE: the use case that reads one changes it.
func (t *txn) TradeByOutTradeNo(pid, outTradeNo string) (*payment.Trade, error) {
	return t.trade(`SELECT id, data FROM trades WHERE pid = $1 AND out_trade_no = $2 FOR UPDATE`, pid, outTradeNo)
}

func (t *txn) TradeByTradeNo(tradeNo string) (*payment.Trade, error) {
	return t.trade(`SELECT id, data FROM trades WHERE trade_no = $1 FOR UPDATE`, tradeNo)
}

func (t *txn) trade(query string, args ...any) (*payment.Trade, error) {
	ts, err := rowsOf(t.ctx, t.tx, setTradeID, query, args...)
	if err != nil {
		return nil, err
	}
	if len(ts) == 0 {
		return nil, payment.ErrNotFound
	}
	return ts[0], nil
}

func (t *txn) InsertTrade(tr *payment.Trade) error {
	data, err := marshal(tr)
	if err != nil {
		return err
	}
	id, err := t.insertID(`INSERT INTO trades (trade_no, app_id, pid, out_trade_no, status, created_at, expires_at, finishes_at, data)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		tr.TradeNo, tr.AppID, tr.PID, tr.OutTradeNo, string(tr.Status), tr.CreatedAt, deadline(tr.ExpiresAt), deadline(tr.RefundableUntil), data)
	if err != nil {
		return err
	}
	tr.ID = id
	return t.event(tr.TradeNo, tr.CreatedAt, tr.Status)
}

// event appends to a trade's status history: the store records every
// status change itself, so no use case can forget to.
func (t *txn) event(tradeNo string, at time.Time, status payment.Status) error {
	_, err := t.exec(`INSERT INTO trade_events (trade_no, at, status) VALUES ($1, $2, $3)`, tradeNo, at, string(status))
	return err
}

func (t *txn) UpdateTrade(tr *payment.Trade) error {
	data, err := marshal(tr)
	if err != nil {
		return err
	}
	// The row is locked since the use case read it, so the status before is
	// the one it read, not another replica's.
	var before string
	if err := t.tx.QueryRow(t.ctx, `SELECT status FROM trades WHERE id = $1 FOR UPDATE`, tr.ID).Scan(&before); err != nil {
		return err
	}
	if _, err := t.exec(`UPDATE trades SET status = $1, expires_at = $2, finishes_at = $3, data = $4 WHERE id = $5`,
		string(tr.Status), deadline(tr.ExpiresAt), deadline(tr.RefundableUntil), data, tr.ID); err != nil {
		return err
	}
	if before == string(tr.Status) {
		return nil
	}
	return t.event(tr.TradeNo, statusTime(tr), tr.Status)
}

// statusTime is when a trade entered its current status (as the SQLite
// store has it).
func statusTime(tr *payment.Trade) time.Time {
	switch {
	case tr.Status == payment.StatusClosed && !tr.ClosedAt.IsZero():
		return tr.ClosedAt
	case tr.Status == payment.StatusFinished && !tr.RefundableUntil.IsZero():
		return tr.RefundableUntil
	case tr.Status.Paid() && !tr.PaidAt.IsZero():
		return tr.PaidAt
	}
	return tr.CreatedAt
}

// ExpiringTrades and FinishingTrades lock what they return and skip rows
// another transaction holds: another replica's worker is on them, or a
// buyer is paying that trade right now (it is looked at again on the next
// wake, and the payment decides it).
func (t *txn) ExpiringTrades(now time.Time, limit int) ([]*payment.Trade, error) {
	return rowsOf(t.ctx, t.tx, setTradeID, `SELECT id, data FROM trades
		WHERE status = 'pending' AND expires_at IS NOT NULL AND expires_at <= $1
		ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED`, now, limit)
}

func (t *txn) FinishingTrades(now time.Time, limit int) ([]*payment.Trade, error) {
	return rowsOf(t.ctx, t.tx, setTradeID, `SELECT id, data FROM trades
		WHERE status = 'paid' AND finishes_at IS NOT NULL AND finishes_at <= $1
		ORDER BY finishes_at LIMIT $2 FOR UPDATE SKIP LOCKED`, now, limit)
}

func (t *txn) InsertNotification(n *payment.Notification) error {
	data, err := marshal(n)
	if err != nil {
		return err
	}
	n.ID, err = t.insertID(`INSERT INTO notifications (notify_id, app_id, trade_no, status, next_attempt_at, data)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		n.NotifyID, n.AppID, n.Trade.TradeNo, string(n.Status), deadline(n.NextAttemptAt), data)
	return err
}

func (t *txn) getJSON(dst any, query string, args ...any) error {
	var data []byte
	err := t.tx.QueryRow(t.ctx, query, texts(args)...).Scan(&data)
	if errors.Is(err, pgx.ErrNoRows) {
		return payment.ErrNotFound
	}
	if err != nil {
		return err
	}
	return unmarshal(data, dst)
}

func setTradeID(tr *payment.Trade, id int64) { tr.ID = id }

// deadline is an instant something falls due at, for a timestamptz column:
// rounded up to the microsecond, so a row the column calls due is due by
// the domain's nanoseconds too; the zero time is NULL (none).
func deadline(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	if r := t.Truncate(time.Microsecond); !r.Equal(t) {
		return r.Add(time.Microsecond)
	}
	return t
}
