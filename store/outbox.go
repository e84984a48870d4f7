package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/mockpay/mockpay/payment"
)

// RecordAttempt stores an attempt and applies its outcome to the
// notification as it is now, read again in the same (immediate, so
// serialised) transaction: a redelivery asked for while the attempt was in
// flight is kept, not overwritten by the attempt's old copy. A notification
// that is gone (a reset while the attempt was in flight) records nothing
// and reports false, without an error. Recording ends the notification's
// claim (ClaimDue). An attempt whose number is already recorded (its lease
// ended and another dispatcher sent it too) changes nothing and fails with
// payment.ErrAttemptTaken.
func (db *DB) RecordAttempt(ctx context.Context, a *payment.Attempt, o payment.AttemptOutcome) (bool, error) {
	adata, err := json.Marshal(a)
	if err != nil {
		return false, err
	}
	recorded := false
	err = db.exec(ctx, func(tx *txn) error {
		var data []byte
		err := tx.queryRow(`SELECT data FROM notifications WHERE id = ?`, a.NotificationID).Scan(&data)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		var n payment.Notification
		if err := json.Unmarshal(data, &n); err != nil {
			return err
		}
		n.ID = a.NotificationID
		if !n.Record(a, o) {
			return payment.ErrAttemptTaken // the caller names the attempt
		}
		ndata, err := json.Marshal(&n)
		if err != nil {
			return err
		}
		// The attempt is over: its claim ends with it, whoever holds it now.
		if _, err := tx.exec(`UPDATE notifications SET status = ?, next_attempt_at = ?, data = ?,
			claimed_by = '', claimed_until = 0 WHERE id = ?`,
			string(n.Status), n.NextAttemptAt.UnixNano(), ndata, n.ID); err != nil {
			return err
		}
		if _, err := tx.exec(`INSERT INTO attempts (notification_id, number, data) VALUES (?, ?, ?)`,
			a.NotificationID, a.Number, adata); err != nil {
			return err
		}
		recorded = true
		return nil
	})
	return recorded, err
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
	rows, err := db.query(ctx, `SELECT data FROM attempts WHERE notification_id = ? ORDER BY number`, notificationID)
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
	return scanNotifications(db.query(ctx, query, args...))
}

// scanNotifications reads (id, data) rows, as QueryContext returns them.
func scanNotifications(rows *sql.Rows, err error) ([]*payment.Notification, error) {
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
