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
	return db.exec(ctx, func(tx *sql.Tx) error { return fn(&txn{ctx: ctx, tx: tx}) })
}

type txn struct {
	ctx context.Context
	tx  *sql.Tx
}

func (t *txn) InsertCheckout(c *payment.Checkout) error {
	data, err := json.Marshal(c)
	if err != nil {
		return err
	}
	_, err = t.tx.ExecContext(t.ctx, `INSERT INTO checkouts (token, data, created_at) VALUES (?, ?, ?)`,
		c.Token, data, c.CreatedAt.UTC().Format(time.RFC3339Nano))
	return err
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
	err := t.tx.QueryRowContext(t.ctx, query, args...).Scan(&id, &data)
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
	res, err := t.tx.ExecContext(t.ctx, `INSERT INTO trades (trade_no, app_id, pid, out_trade_no, status, created_at, data)
		VALUES (?, ?, ?, ?, ?, ?, ?)`,
		tr.TradeNo, tr.AppID, tr.PID, tr.OutTradeNo, string(tr.Status), tr.CreatedAt.UnixNano(), data)
	if err != nil {
		return err
	}
	tr.ID, err = res.LastInsertId()
	return err
}

func (t *txn) UpdateTrade(tr *payment.Trade) error {
	data, err := json.Marshal(tr)
	if err != nil {
		return err
	}
	_, err = t.tx.ExecContext(t.ctx, `UPDATE trades SET status = ?, data = ? WHERE id = ?`, string(tr.Status), data, tr.ID)
	return err
}

func (t *txn) InsertNotification(n *payment.Notification) error {
	data, err := json.Marshal(n)
	if err != nil {
		return err
	}
	res, err := t.tx.ExecContext(t.ctx, `INSERT INTO notifications (notify_id, app_id, trade_no, status, next_attempt_at, data)
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
	err := t.tx.QueryRowContext(t.ctx, query, args...).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return payment.ErrNotFound
	}
	if err != nil {
		return err
	}
	return json.Unmarshal(data, dst)
}
