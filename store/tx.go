package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/mockpay/mockpay/payment"
)

// Tx implements payment.Repo: fn's reads and writes commit together.
func (db *DB) Tx(ctx context.Context, fn func(payment.Tx) error) error {
	return db.exec(ctx, func(t *txn) error { return fn(t) })
}

func (t *txn) InsertCheckout(c *payment.Checkout) error {
	data, err := json.Marshal(c)
	if err != nil {
		return err
	}
	_, err = t.exec(`INSERT INTO checkouts (token, data, created_at, pid, out_trade_no) VALUES (?, ?, ?, ?, ?)`,
		c.Token, data, c.CreatedAt.UTC().Format(time.RFC3339Nano), c.Order.PID, c.Order.OutTradeNo)
	return err
}

func (t *txn) LatestCheckout(pid, outTradeNo string) (*payment.Checkout, error) {
	var c payment.Checkout
	return &c, t.getJSON(&c, `SELECT data FROM checkouts WHERE pid = ? AND out_trade_no = ? ORDER BY created_at DESC, rowid DESC LIMIT 1`, pid, outTradeNo)
}

func (t *txn) Checkout(token string) (*payment.Checkout, error) {
	var c payment.Checkout
	return &c, t.getJSON(&c, `SELECT data FROM checkouts WHERE token = ?`, token)
}

func (t *txn) TradeByOutTradeNo(pid, outTradeNo string) (*payment.Trade, error) {
	return t.trade(`SELECT id, data FROM trades WHERE pid = ? AND out_trade_no = ?`, pid, outTradeNo)
}

func (t *txn) TradeByTradeNo(tradeNo string) (*payment.Trade, error) {
	return t.trade(`SELECT id, data FROM trades WHERE trade_no = ?`, tradeNo)
}

func (t *txn) trade(query string, args ...any) (*payment.Trade, error) {
	var id int64
	var data []byte
	err := t.queryRow(query, args...).Scan(&id, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, payment.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	var tr payment.Trade
	if err := json.Unmarshal(data, &tr); err != nil {
		return nil, err
	}
	tr.ID = id
	return &tr, nil
}

func (t *txn) InsertTrade(tr *payment.Trade) error {
	data, err := json.Marshal(tr)
	if err != nil {
		return err
	}
	res, err := t.exec(`INSERT INTO trades (trade_no, app_id, pid, out_trade_no, status, created_at, expires_at, finishes_at, data)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		tr.TradeNo, tr.AppID, tr.PID, tr.OutTradeNo, string(tr.Status), tr.CreatedAt.UnixNano(), unixOrZero(tr.ExpiresAt), unixOrZero(tr.RefundableUntil), data)
	if err != nil {
		return err
	}
	if tr.ID, err = res.LastInsertId(); err != nil {
		return err
	}
	return t.event(tr.TradeNo, tr.CreatedAt, tr.Status)
}

// event appends to a trade's status history. The store records every status
// change itself, so no use case can forget to.
func (t *txn) event(tradeNo string, at time.Time, status payment.Status) error {
	_, err := t.exec(`INSERT INTO trade_events (trade_no, at, status) VALUES (?, ?, ?)`,
		tradeNo, at.UnixNano(), string(status))
	return err
}

func unixOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func (t *txn) UpdateTrade(tr *payment.Trade) error {
	data, err := json.Marshal(tr)
	if err != nil {
		return err
	}
	var before string
	if err := t.queryRow(`SELECT status FROM trades WHERE id = ?`, tr.ID).Scan(&before); err != nil {
		return err
	}
	if _, err = t.exec(`UPDATE trades SET status = ?, expires_at = ?, finishes_at = ?, data = ? WHERE id = ?`,
		string(tr.Status), unixOrZero(tr.ExpiresAt), unixOrZero(tr.RefundableUntil), data, tr.ID); err != nil {
		return err
	}
	if before == string(tr.Status) {
		return nil
	}
	return t.event(tr.TradeNo, statusTime(tr), tr.Status)
}

// statusTime is when a trade entered its current status.
func statusTime(tr *payment.Trade) time.Time {
	switch {
	case tr.Status == payment.StatusClosed && !tr.ClosedAt.IsZero():
		return tr.ClosedAt
	case tr.Status == payment.StatusFinished && !tr.RefundableUntil.IsZero():
		return tr.RefundableUntil // finished when its refund window ended
	case tr.Status.Paid() && !tr.PaidAt.IsZero():
		return tr.PaidAt
	}
	return tr.CreatedAt
}

func (t *txn) ExpiringTrades(now time.Time, limit int) ([]*payment.Trade, error) {
	rows, err := t.query(`SELECT id, data FROM trades
		WHERE status = ? AND expires_at > 0 AND expires_at <= ? ORDER BY expires_at LIMIT ?`,
		string(payment.StatusPending), now.UnixNano(), limit)
	if err != nil {
		return nil, err
	}
	return scanTrades(rows)
}

func (t *txn) FinishingTrades(now time.Time, limit int) ([]*payment.Trade, error) {
	rows, err := t.query(`SELECT id, data FROM trades
		WHERE status = ? AND finishes_at > 0 AND finishes_at <= ? ORDER BY finishes_at LIMIT ?`,
		string(payment.StatusPaid), now.UnixNano(), limit)
	if err != nil {
		return nil, err
	}
	return scanTrades(rows)
}

func (t *txn) InsertNotification(n *payment.Notification) error {
	data, err := json.Marshal(n)
	if err != nil {
		return err
	}
	res, err := t.exec(`INSERT INTO notifications (notify_id, app_id, trade_no, status, next_attempt_at, data)
		VALUES (?, ?, ?, ?, ?, ?)`,
		n.NotifyID, n.AppID, n.Trade.TradeNo, string(n.Status), n.NextAttemptAt.UnixNano(), data)
	if err != nil {
		return err
	}
	n.ID, err = res.LastInsertId()
	return err
}

func (t *txn) getJSON(dst any, query string, args ...any) error {
	var data []byte
	err := t.queryRow(query, args...).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return payment.ErrNotFound
	}
	if err != nil {
		return err
	}
	return json.Unmarshal(data, dst)
}
