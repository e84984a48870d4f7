package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"github.com/mockpay/mockpay/payment"
)

// DueNotifications returns pending notifications due at or before now,
// earliest first.
func (db *DB) DueNotifications(ctx context.Context, now time.Time, limit int) ([]*payment.Notification, error) {
	return db.notifications(ctx, `SELECT id, data FROM notifications
		WHERE status = ? AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`,
		string(payment.NotifyPending), now.UnixNano(), limit)
}

// NextNotificationAt returns when the earliest pending notification is due.
func (db *DB) NextNotificationAt(ctx context.Context) (time.Time, bool, error) {
	var at sql.NullInt64
	err := db.sql.QueryRowContext(ctx, `SELECT MIN(next_attempt_at) FROM notifications WHERE status = ?`,
		string(payment.NotifyPending)).Scan(&at)
	if err != nil || !at.Valid {
		return time.Time{}, false, err
	}
	return time.Unix(0, at.Int64), true, nil
}

// RecordAttempt stores an attempt and the notification's new state together.
func (db *DB) RecordAttempt(ctx context.Context, n *payment.Notification, a *payment.Attempt) error {
	ndata, err := json.Marshal(n)
	if err != nil {
		return err
	}
	adata, err := json.Marshal(a)
	if err != nil {
		return err
	}
	return db.exec(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE notifications SET status = ?, next_attempt_at = ?, data = ? WHERE id = ?`,
			string(n.Status), n.NextAttemptAt.UnixNano(), ndata, n.ID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO attempts (notification_id, number, data) VALUES (?, ?, ?)`,
			a.NotificationID, a.Number, adata)
		return err
	})
}

// Notification returns one notification by id.
func (db *DB) Notification(ctx context.Context, id int64) (*payment.Notification, error) {
	ns, err := db.notifications(ctx, `SELECT id, data FROM notifications WHERE id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(ns) == 0 {
		return nil, payment.ErrNotFound
	}
	return ns[0], nil
}

// NotificationsOfTrade returns a trade's notifications, oldest first.
func (db *DB) NotificationsOfTrade(ctx context.Context, tradeNo string) ([]*payment.Notification, error) {
	return db.notifications(ctx, `SELECT id, data FROM notifications WHERE trade_no = ? ORDER BY id`, tradeNo)
}

// Attempts returns a notification's attempts in order.
func (db *DB) Attempts(ctx context.Context, notificationID int64) ([]*payment.Attempt, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT data FROM attempts WHERE notification_id = ? ORDER BY number`, notificationID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*payment.Attempt
	for rows.Next() {
		var data []byte
		if err := rows.Scan(&data); err != nil {
			return nil, err
		}
		var a payment.Attempt
		if err := json.Unmarshal(data, &a); err != nil {
			return nil, err
		}
		out = append(out, &a)
	}
	return out, rows.Err()
}

func (db *DB) notifications(ctx context.Context, query string, args ...any) ([]*payment.Notification, error) {
	rows, err := db.sql.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*payment.Notification
	for rows.Next() {
		var id int64
		var data []byte
		if err := rows.Scan(&id, &data); err != nil {
			return nil, err
		}
		var n payment.Notification
		if err := json.Unmarshal(data, &n); err != nil {
			return nil, err
		}
		n.ID = id
		out = append(out, &n)
	}
	return out, rows.Err()
}
