package store

import (
	"encoding/json"
	"time"

	"github.com/mockpay/mockpay/payment"
)

// TradesPaidBetween reads the app's trades created before to and keeps those
// paid in [from, to): the payment time lives in the JSON value, and a
// sandbox's trades are few enough to filter here.
func (t *txn) TradesPaidBetween(appID string, from, to time.Time) ([]*payment.Trade, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT id, data FROM trades WHERE app_id = ? AND created_at < ? ORDER BY id`,
		appID, to.UnixNano())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*payment.Trade
	for rows.Next() {
		var id int64
		var data []byte
		if err := rows.Scan(&id, &data); err != nil {
			return nil, err
		}
		var tr payment.Trade
		if err := json.Unmarshal(data, &tr); err != nil {
			return nil, err
		}
		if tr.PaidAt.IsZero() || tr.PaidAt.Before(from) || !tr.PaidAt.Before(to) {
			continue
		}
		tr.ID = id
		out = append(out, &tr)
	}
	return out, rows.Err()
}

// RefundsBetween reads the app's refunds made in [from, to), in order.
func (t *txn) RefundsBetween(appID string, from, to time.Time) ([]*payment.Refund, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT id, data FROM refunds WHERE app_id = ? AND created_at >= ? AND created_at < ? ORDER BY created_at, id`,
		appID, from.UnixNano(), to.UnixNano())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*payment.Refund
	for rows.Next() {
		var id int64
		var data []byte
		if err := rows.Scan(&id, &data); err != nil {
			return nil, err
		}
		var r payment.Refund
		if err := json.Unmarshal(data, &r); err != nil {
			return nil, err
		}
		r.ID = id
		out = append(out, &r)
	}
	return out, rows.Err()
}
