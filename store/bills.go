package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"github.com/mockpay/mockpay/payment"
)

// TradesPaidBetween reads the app's trades created before to and keeps those
// paid in [from, to): the payment time lives in the JSON value, and a
// sandbox's trades are few enough to filter here.
func (t *txn) TradesPaidBetween(appID string, from, to time.Time) ([]*payment.Trade, error) {
	all, err := rowsOf(t.ctx, t, func(tr *payment.Trade, id int64) { tr.ID = id },
		`SELECT id, data FROM trades WHERE app_id = ? AND created_at < ? ORDER BY id`, appID, to.UnixNano())
	var out []*payment.Trade
	for _, tr := range all {
		if !tr.PaidAt.IsZero() && !tr.PaidAt.Before(from) && tr.PaidAt.Before(to) {
			out = append(out, tr)
		}
	}
	return out, err
}

// RefundsBetween reads the app's refunds made in [from, to), in order.
func (t *txn) RefundsBetween(appID string, from, to time.Time) ([]*payment.Refund, error) {
	return rowsOf(t.ctx, t, func(r *payment.Refund, id int64) { r.ID = id },
		`SELECT id, data FROM refunds WHERE app_id = ? AND created_at >= ? AND created_at < ? ORDER BY created_at, id`,
		appID, from.UnixNano(), to.UnixNano())
}

// queryer is a transaction or the database itself: the views read outside
// any transaction.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// rowsOf runs a query selecting id and data and decodes each row's JSON
// value, giving it its id.
func rowsOf[T any](ctx context.Context, q queryer, setID func(*T, int64), query string, args ...any) ([]*T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*T
	for rows.Next() {
		var id int64
		var data []byte
		if err := rows.Scan(&id, &data); err != nil {
			return nil, err
		}
		v := new(T)
		if err := json.Unmarshal(data, v); err != nil {
			return nil, err
		}
		setID(v, id)
		out = append(out, v)
	}
	return out, rows.Err()
}
