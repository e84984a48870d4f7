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
	var id int64
	var data []byte
	err := t.queryRow(`SELECT id, data FROM refunds WHERE trade_no = ? AND out_request_no = ?`,
		tradeNo, outRequestNo).Scan(&id, &data)
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
