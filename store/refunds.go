package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/mockpay/mockpay/payment"
)

func (t *txn) InsertRefund(r *payment.Refund) error {
	data, err := json.Marshal(r)
	if err != nil {
		return err
	}
	res, err := t.exec(`INSERT INTO refunds (trade_no, app_id, pid, out_request_no, created_at, data)
		VALUES (?, ?, ?, ?, ?, ?)`,
		r.TradeNo, r.AppID, r.PID, r.OutRequestNo, r.CreatedAt.UnixNano(), data)
	if err != nil {
		return err
	}
	r.ID, err = res.LastInsertId()
	return err
}

func (t *txn) RefundByOutRequestNo(tradeNo, outRequestNo string) (*payment.Refund, error) {
	return t.refundRow(`SELECT id, data FROM refunds WHERE trade_no = ? AND out_request_no = ?`, tradeNo, outRequestNo)
}

func (t *txn) RefundOfMerchant(pid, outRequestNo string) (*payment.Refund, error) {
	return t.refundRow(`SELECT id, data FROM refunds WHERE pid = ? AND out_request_no = ?
		ORDER BY created_at DESC, id DESC LIMIT 1`, pid, outRequestNo)
}

func (t *txn) RefundsOf(tradeNo string) ([]*payment.Refund, error) {
	return rowsOf(t.ctx, t, func(r *payment.Refund, id int64) { r.ID = id },
		`SELECT id, data FROM refunds WHERE trade_no = ? ORDER BY created_at, id`, tradeNo)
}

func (t *txn) RefundByID(id int64) (*payment.Refund, error) {
	return t.refundRow(`SELECT id, data FROM refunds WHERE id = ?`, id)
}

// refundRow is the one refund query selects (id, data), or ErrNotFound.
func (t *txn) refundRow(query string, args ...any) (*payment.Refund, error) {
	var id int64
	var data []byte
	err := t.queryRow(query, args...).Scan(&id, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, payment.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	var r payment.Refund
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, err
	}
	r.ID = id
	return &r, nil
}

// RefundsOfTrade returns a trade's refunds, oldest first; a trade without
// refunds (or no such trade) has none.
func (db *DB) RefundsOfTrade(ctx context.Context, tradeNo string) ([]*payment.Refund, error) {
	return rowsOf(ctx, db.sql, func(r *payment.Refund, id int64) { r.ID = id },
		`SELECT id, data FROM refunds WHERE trade_no = ? ORDER BY created_at, id`, tradeNo)
}

// UpdateRefund rewrites a refund's JSON: its outcome lives there (no
// column of its own, no migration).
func (t *txn) UpdateRefund(r *payment.Refund) error {
	data, err := json.Marshal(r)
	if err != nil {
		return err
	}
	res, err := t.exec(`UPDATE refunds SET data = ? WHERE id = ?`, data, r.ID)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		if err == nil {
			err = payment.ErrNotFound
		}
		return err
	}
	return nil
}
