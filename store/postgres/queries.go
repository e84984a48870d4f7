package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/mockpay/mockpay/payment"
)

// where builds a WHERE clause of equalities on the non-empty values, and
// id < before when before is set (a page after the one that ended there).
func where(cols []string, vals []string, before int64) (string, []any) {
	var conds []string
	var args []any
	for i, col := range cols {
		if vals[i] != "" {
			args = append(args, vals[i])
			conds = append(conds, fmt.Sprintf("%s = $%d", col, len(args)))
		}
	}
	if before > 0 {
		args = append(args, before)
		conds = append(conds, fmt.Sprintf("id < $%d", len(args)))
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// Trades lists trades, newest first.
func (db *DB) Trades(ctx context.Context, f payment.TradeFilter) ([]*payment.Trade, error) {
	w, args := where([]string{"app_id", "out_trade_no", "trade_no", "status"},
		[]string{f.AppID, f.OutTradeNo, f.TradeNo, string(f.Status)}, f.Before)
	args = append(args, limitOr(f.Limit))
	return rowsOf(ctx, db.pool, setTradeID, fmt.Sprintf(`SELECT id, data FROM trades%s ORDER BY id DESC LIMIT $%d`, w, len(args)), args...)
}

// Trade returns one trade by trade_no.
func (db *DB) Trade(ctx context.Context, tradeNo string) (*payment.Trade, error) {
	ts, err := rowsOf(ctx, db.pool, setTradeID, `SELECT id, data FROM trades WHERE trade_no = $1`, tradeNo)
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
	rows, err := db.pool.Query(ctx, `SELECT at, status FROM trade_events WHERE trade_no = $1 ORDER BY id`, txt(tradeNo))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []payment.TradeEvent
	for rows.Next() {
		var e payment.TradeEvent
		var st string
		if err := rows.Scan(&e.At, &st); err != nil {
			return nil, err
		}
		e.Status = payment.Status(st)
		out = append(out, e)
	}
	return out, rows.Err()
}

// NextExpiryAt returns the earliest deadline of an unpaid trade.
func (db *DB) NextExpiryAt(ctx context.Context) (time.Time, bool, error) {
	return db.minInstant(ctx, `SELECT MIN(expires_at) FROM trades WHERE status = 'pending' AND expires_at IS NOT NULL`)
}

// NextFinishAt returns the earliest end of a paid trade's refund window.
func (db *DB) NextFinishAt(ctx context.Context) (time.Time, bool, error) {
	return db.minInstant(ctx, `SELECT MIN(finishes_at) FROM trades WHERE status = 'paid' AND finishes_at IS NOT NULL`)
}

// Notifications lists notifications, newest first.
func (db *DB) Notifications(ctx context.Context, f payment.NotificationFilter) ([]*payment.Notification, error) {
	w, args := where([]string{"app_id", "trade_no", "status"}, []string{f.AppID, f.TradeNo, string(f.Status)}, f.Before)
	args = append(args, limitOr(f.Limit))
	return db.notifications(ctx, fmt.Sprintf(`SELECT id, data FROM notifications%s ORDER BY id DESC LIMIT $%d`, w, len(args)), args...)
}

// AttemptsAfter is the attempts feed: every attempt with a feed id above
// after, oldest first. Attempt ids commit in order (RecordAttempt), so a
// follower that read up to an id never misses one below it.
func (db *DB) AttemptsAfter(ctx context.Context, after int64, limit int) ([]payment.FeedAttempt, error) {
	rows, err := db.pool.Query(ctx, `SELECT a.id, a.data, n.id, n.data FROM attempts a
		JOIN notifications n ON n.id = a.notification_id WHERE a.id > $1 ORDER BY a.id LIMIT $2`, after, limitOr(limit))
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
		if err := unmarshal(adata, f.Attempt); err != nil {
			return nil, err
		}
		if err := unmarshal(ndata, f.Notification); err != nil {
			return nil, err
		}
		f.Notification.ID = nid
		out = append(out, f)
	}
	return out, rows.Err()
}

// LastFeedID is the highest attempt id ever issued, 0 before the first:
// the identity's sequence is never reset (Reset keeps it), so no id is
// issued twice and a feed position beyond this one names nothing.
func (db *DB) LastFeedID(ctx context.Context) (int64, error) {
	var id int64
	err := db.pool.QueryRow(ctx, `SELECT COALESCE(pg_sequence_last_value(pg_get_serial_sequence('attempts', 'id')), 0)`).Scan(&id)
	return id, err
}

// Redeliver makes a notification due at once, whatever its state (at most
// payment.MaxRedeliveries times per notification).
func (db *DB) Redeliver(ctx context.Context, id int64, now time.Time) (*payment.Notification, error) {
	var n *payment.Notification
	err := db.exec(ctx, true, func(t *txn) error {
		var err error
		if n, err = t.lockNotification(id); err != nil {
			return err
		}
		if err := n.Redeliver(now); err != nil {
			return err
		}
		data, err := marshal(n)
		if err != nil {
			return err
		}
		_, err = t.exec(`UPDATE notifications SET status = $1, next_attempt_at = $2, data = $3 WHERE id = $4`,
			string(n.Status), deadline(now), data, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return n, nil
}

// lockNotification reads a notification FOR UPDATE: what changes it (an
// attempt's record, a redelivery) reads it as it is now and holds it.
func (t *txn) lockNotification(id int64) (*payment.Notification, error) {
	var data []byte
	err := t.tx.QueryRow(t.ctx, `SELECT data FROM notifications WHERE id = $1 FOR UPDATE`, id).Scan(&data)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, payment.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	n := &payment.Notification{}
	if err := unmarshal(data, n); err != nil {
		return nil, err
	}
	n.ID = id
	return n, nil
}

// Reset deletes every trade (with its refunds and history), checkout and
// notification, the legacy gateway's batches and tokens, and the fault
// chains chosen per app; apps, the clock and the attempts' sequence stay.
// It is one transaction on the one database, so it resets every replica at
// once; their long polls and workers hear of it (OnChange), their fault
// selections too (Events.Faults).
func (db *DB) Reset(ctx context.Context) error {
	return db.exec(ctx, true, func(t *txn) error {
		for _, table := range []string{"attempts", "notifications", "trade_events", "refunds", "trades", "checkouts", "refund_batches", "tokens", "app_faults"} {
			if _, err := t.exec(`DELETE FROM ` + table); err != nil {
				return err
			}
		}
		return db.notify(ctx, t.tx, kindFaults, "")
	})
}

// minInstant runs a MIN() query over a timestamptz column.
func (db *DB) minInstant(ctx context.Context, query string, args ...any) (time.Time, bool, error) {
	var at *time.Time
	if err := db.pool.QueryRow(ctx, query, texts(args)...).Scan(&at); err != nil || at == nil {
		return time.Time{}, false, err
	}
	return *at, true, nil
}

func limitOr(n int) int {
	if n <= 0 || n > 1000 {
		return 100
	}
	return n
}
