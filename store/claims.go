package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"math"
	"time"

	"github.com/mockpay/mockpay/payment"
)

// claimable is the condition of a row lease l may have: unclaimed, claimed
// by l's owner, or claimed by another whose lease has ended. Its two
// parameters are l.Owner and l.Now.
const claimable = `(claimed_by = '' OR claimed_by = ? OR claimed_until <= ?)`

// ClaimDue claims for l's owner, until l.Until(), the pending notifications
// due at or before now (virtual time) that take accepts, looking at up to
// limit claimable rows, earliest first; it returns the claimed ones. The
// look and the claim are one (immediate, so serialised) transaction: no
// two owners ever claim one row while a lease holds. take (nil: accept
// all) runs inside the transaction and must be quick, with no store call.
// The claim ends when its attempt is recorded (RecordAttempt) or released
// (ReleaseClaim), or when the lease runs out.
func (db *DB) ClaimDue(ctx context.Context, now time.Time, l payment.Lease, limit int, take func(*payment.Notification) bool) ([]*payment.Notification, error) {
	var claimed []*payment.Notification
	err := db.execQuiet(ctx, func(tx *txn) error {
		due, err := scanNotifications(tx.query(`SELECT id, data FROM notifications
			WHERE status = ? AND next_attempt_at <= ? AND `+claimable+`
			ORDER BY next_attempt_at, id LIMIT ?`,
			string(payment.NotifyPending), now.UnixNano(), l.Owner, l.Now.UnixNano(), limit))
		if err != nil {
			return err
		}
		var ids []int64
		for _, n := range due {
			if take == nil || take(n) {
				claimed = append(claimed, n)
				ids = append(ids, n.ID)
			}
		}
		if len(ids) == 0 {
			return nil
		}
		_, err = tx.exec(`UPDATE notifications SET claimed_by = ?, claimed_until = ?
			WHERE id IN (SELECT value FROM json_each(?))`, l.Owner, l.Until().UnixNano(), idList(ids))
		return err
	})
	if err != nil {
		return nil, err
	}
	return claimed, nil
}

// ReleaseClaim ends owner's claim on a notification without an attempt
// (one cut short at shutdown), so it is due again at its scheduled time,
// for any dispatcher. Another owner's claim is left alone.
func (db *DB) ReleaseClaim(ctx context.Context, owner string, id int64) error {
	return db.execQuiet(ctx, func(tx *txn) error {
		_, err := tx.exec(`UPDATE notifications SET claimed_by = '', claimed_until = 0
			WHERE id = ? AND claimed_by = ?`, id, owner)
		return err
	})
}

// NextNotificationAt returns when the earliest pending notification due
// later than after is due (the zero after: any), leaving out the ids in
// skip and rows another owner's lease holds (NextLeaseEnd says when those
// come free).
func (db *DB) NextNotificationAt(ctx context.Context, after time.Time, l payment.Lease, skip ...int64) (time.Time, bool, error) {
	from := int64(math.MinInt64)
	if !after.IsZero() {
		from = after.UnixNano()
	}
	return db.minInstant(ctx, `SELECT MIN(next_attempt_at) FROM notifications
		WHERE status = ? AND next_attempt_at > ? AND `+claimable+` AND id NOT IN (SELECT value FROM json_each(?))`,
		string(payment.NotifyPending), from, l.Owner, l.Now.UnixNano(), idList(skip))
}

// NextLeaseEnd returns the earliest end (lease clock) of another owner's
// claim still holding at l.Now on a pending notification: when a
// dispatcher that died mid-delivery can be taken over.
func (db *DB) NextLeaseEnd(ctx context.Context, l payment.Lease) (time.Time, bool, error) {
	return db.minInstant(ctx, `SELECT MIN(claimed_until) FROM notifications
		WHERE status = ? AND claimed_by NOT IN ('', ?) AND claimed_until > ?`,
		string(payment.NotifyPending), l.Owner, l.Now.UnixNano())
}

// releaseAllClaims ends every claim: Open holds the file's lock, so no
// other process is delivering and every claim left is a dead one's.
func (db *DB) releaseAllClaims(ctx context.Context) error {
	return db.execQuiet(ctx, func(tx *txn) error {
		_, err := tx.exec(`UPDATE notifications SET claimed_by = '', claimed_until = 0 WHERE claimed_by != ''`)
		return err
	})
}

// minInstant runs a MIN() query over Unix nanoseconds.
func (db *DB) minInstant(ctx context.Context, query string, args ...any) (time.Time, bool, error) {
	var at sql.NullInt64
	if err := db.queryRow(ctx, query, args...).Scan(&at); err != nil || !at.Valid {
		return time.Time{}, false, err
	}
	return time.Unix(0, at.Int64), true, nil
}

// idList is ids as one JSON array parameter, for json_each.
func idList(ids []int64) string {
	b, _ := json.Marshal(append([]int64{}, ids...))
	return string(b)
}
