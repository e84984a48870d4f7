package postgres

import (
	"context"

	"github.com/mockpay/mockpay/payment"
)

// attemptsLock is the transaction-level advisory lock held from an
// attempt's insert to its commit: attempt ids (the feed's positions) are
// drawn and committed in order, so a feed follower that has read id n never
// misses a smaller id committed later by another replica.
const attemptsLock = 0x6d6f636b66656564 // "mockfeed"

// RecordAttempt stores an attempt and applies its outcome to the
// notification as it is now, read FOR UPDATE in the same transaction: a
// redelivery asked for while the attempt was in flight, on any replica, is
// kept. A notification that is gone (a reset meanwhile) records nothing and
// reports false. Recording ends the notification's claim. An attempt whose
// number is already recorded (its lease ended and another replica sent it
// too) changes nothing and fails with payment.ErrAttemptTaken.
func (db *DB) RecordAttempt(ctx context.Context, a *payment.Attempt, o payment.AttemptOutcome) (bool, error) {
	adata, err := marshal(a)
	if err != nil {
		return false, err
	}
	recorded := false
	err = db.exec(ctx, true, func(t *txn) error {
		recorded = false
		n, err := t.lockNotification(a.NotificationID)
		if err == payment.ErrNotFound {
			return nil
		}
		if err != nil {
			return err
		}
		if !n.Record(a, o) {
			return payment.ErrAttemptTaken
		}
		ndata, err := marshal(n)
		if err != nil {
			return err
		}
		if _, err := t.exec(`UPDATE notifications SET status = $1, next_attempt_at = $2, data = $3,
			claimed_by = '', claimed_until = NULL WHERE id = $4`,
			string(n.Status), deadline(n.NextAttemptAt), ndata, n.ID); err != nil {
			return err
		}
		if _, err := t.tx.Exec(t.ctx, `SELECT pg_advisory_xact_lock($1)`, attemptsLock); err != nil {
			return err
		}
		if _, err := t.exec(`INSERT INTO attempts (notification_id, number, data) VALUES ($1, $2, $3)`,
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
	return db.oneNotification(ctx, `SELECT id, data FROM notifications WHERE id = $1`, id)
}

// NotificationsOfTrade returns a trade's notifications, oldest first.
func (db *DB) NotificationsOfTrade(ctx context.Context, tradeNo string) ([]*payment.Notification, error) {
	return db.notifications(ctx, `SELECT id, data FROM notifications WHERE trade_no = $1 ORDER BY id`, tradeNo)
}

// Attempts returns a notification's attempts in order.
func (db *DB) Attempts(ctx context.Context, notificationID int64) ([]*payment.Attempt, error) {
	return rowsOf(ctx, db.pool, func(*payment.Attempt, int64) {},
		`SELECT number, data FROM attempts WHERE notification_id = $1 ORDER BY number`, notificationID)
}

func (db *DB) notifications(ctx context.Context, query string, args ...any) ([]*payment.Notification, error) {
	return rowsOf(ctx, db.pool, setNotificationID, query, args...)
}

func (db *DB) oneNotification(ctx context.Context, query string, args ...any) (*payment.Notification, error) {
	ns, err := db.notifications(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	if len(ns) == 0 {
		return nil, payment.ErrNotFound
	}
	return ns[0], nil
}

func setNotificationID(n *payment.Notification, id int64) { n.ID = id }
