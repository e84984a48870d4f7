package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/mockpay/mockpay/payment"
)

// Trades lists trades, newest first.
func (db *DB) Trades(ctx context.Context, f payment.TradeFilter) ([]*payment.Trade, error) {
	var where []string
	var args []any
	add := func(col, v string) {
		if v != "" {
			where = append(where, col+" = ?")
			args = append(args, v)
		}
	}
	add("app_id", f.AppID)
	add("out_trade_no", f.OutTradeNo)
	add("trade_no", f.TradeNo)
	add("status", string(f.Status))
	if f.Before > 0 {
		where = append(where, "id < ?")
		args = append(args, f.Before)
	}
	q := `SELECT id, data FROM trades`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY id DESC LIMIT ?"
	args = append(args, limitOr(f.Limit))
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	return scanTrades(rows)
}

// Trade returns one trade by trade_no.
func (db *DB) Trade(ctx context.Context, tradeNo string) (*payment.Trade, error) {
	ts, err := db.Trades(ctx, payment.TradeFilter{TradeNo: tradeNo, Limit: 1})
	if err != nil {
		return nil, err
	}
	if len(ts) == 0 {
		return nil, payment.ErrNotFound
	}
	return ts[0], nil
}

// TradeHistory returns a trade's status changes, oldest first.
func (db *DB) TradeHistory(ctx context.Context, tradeNo string) ([]payment.TradeEvent, error) {
	rows, err := db.query(ctx, `SELECT at, status FROM trade_events WHERE trade_no = ? ORDER BY id`, tradeNo)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []payment.TradeEvent
	for rows.Next() {
		var at int64
		var st string
		if err := rows.Scan(&at, &st); err != nil {
			return nil, err
		}
		out = append(out, payment.TradeEvent{At: time.Unix(0, at), Status: payment.Status(st)})
	}
	return out, rows.Err()
}

// NextExpiryAt returns the earliest deadline of an unpaid trade.
func (db *DB) NextExpiryAt(ctx context.Context) (time.Time, bool, error) {
	var at sql.NullInt64
	err := db.queryRow(ctx, `SELECT MIN(expires_at) FROM trades WHERE status = ? AND expires_at > 0`,
		string(payment.StatusPending)).Scan(&at)
	if err != nil || !at.Valid {
		return time.Time{}, false, err
	}
	return time.Unix(0, at.Int64), true, nil
}

// NextFinishAt returns the earliest end of a paid trade's refund window.
func (db *DB) NextFinishAt(ctx context.Context) (time.Time, bool, error) {
	var at sql.NullInt64
	err := db.queryRow(ctx, `SELECT MIN(finishes_at) FROM trades WHERE status = ? AND finishes_at > 0`,
		string(payment.StatusPaid)).Scan(&at)
	if err != nil || !at.Valid {
		return time.Time{}, false, err
	}
	return time.Unix(0, at.Int64), true, nil
}

// Notifications lists notifications, newest first.
func (db *DB) Notifications(ctx context.Context, f payment.NotificationFilter) ([]*payment.Notification, error) {
	var where []string
	var args []any
	// In a fixed order, so each combination is one cached statement.
	for _, c := range [][2]string{{"app_id", f.AppID}, {"trade_no", f.TradeNo}, {"status", string(f.Status)}} {
		if c[1] != "" {
			where = append(where, c[0]+" = ?")
			args = append(args, c[1])
		}
	}
	if f.Before > 0 {
		where = append(where, "id < ?")
		args = append(args, f.Before)
	}
	q := `SELECT id, data FROM notifications`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY id DESC LIMIT ?"
	return db.notifications(ctx, q, append(args, limitOr(f.Limit))...)
}

// AttemptsAfter is the attempts feed: every attempt with a feed id above
// after, oldest first, for `mockpay notifications --follow`.
func (db *DB) AttemptsAfter(ctx context.Context, after int64, limit int) ([]payment.FeedAttempt, error) {
	rows, err := db.query(ctx, `SELECT a.id, a.data, n.id, n.data FROM attempts a
		JOIN notifications n ON n.id = a.notification_id WHERE a.id > ? ORDER BY a.id LIMIT ?`, after, limitOr(limit))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []payment.FeedAttempt
	for rows.Next() {
		var f payment.FeedAttempt
		var adata, ndata []byte
		var nid int64
		if err := rows.Scan(&f.FeedID, &adata, &nid, &ndata); err != nil {
			return nil, err
		}
		f.Attempt, f.Notification = &payment.Attempt{}, &payment.Notification{}
		if err := json.Unmarshal(adata, f.Attempt); err != nil {
			return nil, err
		}
		if err := json.Unmarshal(ndata, f.Notification); err != nil {
			return nil, err
		}
		f.Notification.ID = nid
		out = append(out, f)
	}
	return out, rows.Err()
}

// LastFeedID is the highest attempt id ever issued, 0 before the first:
// the attempts table is AUTOINCREMENT and reset keeps its sequence, so no
// id is issued twice and a feed position beyond this one names nothing.
func (db *DB) LastFeedID(ctx context.Context) (int64, error) {
	var id int64
	err := db.queryRow(ctx, `SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'attempts'), 0)`).Scan(&id)
	return id, err
}

// Redeliver makes a notification due at once, whatever its state: one more
// attempt, and the rest of the schedule if that one fails; at most
// payment.MaxRedeliveries times per notification.
func (db *DB) Redeliver(ctx context.Context, id int64, now time.Time) (*payment.Notification, error) {
	var n *payment.Notification
	err := db.exec(ctx, func(tx *txn) error {
		var data []byte
		err := tx.queryRow(`SELECT data FROM notifications WHERE id = ?`, id).Scan(&data)
		if errors.Is(err, sql.ErrNoRows) {
			return payment.ErrNotFound
		}
		if err != nil {
			return err
		}
		n = &payment.Notification{}
		if err := json.Unmarshal(data, n); err != nil {
			return err
		}
		n.ID = id
		if err := n.Redeliver(now); err != nil {
			return err
		}
		data, err = json.Marshal(n)
		if err != nil {
			return err
		}
		_, err = tx.exec(`UPDATE notifications SET status = ?, next_attempt_at = ?, data = ? WHERE id = ?`,
			string(n.Status), now.UnixNano(), data, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return n, nil
}

// Reset deletes every trade (with its refunds), checkout and notification,
// the legacy gateway's batches and tokens, and the fault chains chosen per
// app (faults.Store); apps stay. Refunds go before the trades they
// reference.
func (db *DB) Reset(ctx context.Context) error {
	return db.exec(ctx, func(tx *txn) error {
		for _, table := range []string{"attempts", "notifications", "trade_events", "refunds", "trades", "checkouts", "refund_batches", "tokens", "app_faults"} {
			if _, err := tx.exec(`DELETE FROM ` + table); err != nil {
				return err
			}
		}
		return nil
	})
}

func scanTrades(rows *sql.Rows) ([]*payment.Trade, error) {
	defer rows.Close()
	var out []*payment.Trade
	for rows.Next() {
		var id int64
		var data []byte
		if err := rows.Scan(&id, &data); err != nil {
			return nil, err
		}
		var t payment.Trade
		if err := json.Unmarshal(data, &t); err != nil {
			return nil, err
		}
		t.ID = id
		out = append(out, &t)
	}
	return out, rows.Err()
}

func limitOr(n int) int {
	if n <= 0 || n > 1000 {
		return 100
	}
	return n
}
