package postgres

import (
	"context"
	"time"

	"github.com/mockpay/mockpay/payment"
)

// claimable is the condition of a row lease l may have: unclaimed, claimed
// by l's owner, or claimed by another whose lease has ended (a replica that
// died mid-delivery). Its parameters are $2 (l.Owner) and $3 (l.Now).
const claimable = `(claimed_by = '' OR claimed_by = $2 OR claimed_until <= $3)`

// ClaimDue claims for l's owner, until l.Until(), the pending notifications
// due at or before now (virtual time) that take accepts, looking at up to
// limit claimable rows, earliest first. The rows are selected FOR UPDATE
// SKIP LOCKED: replicas claiming at once each get rows no other is
// claiming, without waiting; and since a row is locked, then re-checked
// against the condition (READ COMMITTED re-reads a row that changed while
// it waited), no two owners claim one row while a lease holds. take (nil:
// accept all) runs inside the transaction and must be quick, with no store
// call. The claim ends when its attempt is recorded (RecordAttempt) or
// released (ReleaseClaim), or when the lease runs out, when another
// replica's ClaimDue takes the row over.
func (db *DB) ClaimDue(ctx context.Context, now time.Time, l payment.Lease, limit int, take func(*payment.Notification) bool) ([]*payment.Notification, error) {
	var claimed []*payment.Notification
	err := db.exec(ctx, false, func(t *txn) error {
		claimed = nil
		due, err := rowsOf(t.ctx, t.tx, setNotificationID, `SELECT id, data FROM notifications
			WHERE status = 'pending' AND next_attempt_at <= $1 AND `+claimable+`
			ORDER BY next_attempt_at, id LIMIT $4 FOR UPDATE SKIP LOCKED`,
			now, l.Owner, l.Now, limit)
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
		_, err = t.exec(`UPDATE notifications SET claimed_by = $1, claimed_until = $2 WHERE id = ANY($3)`,
			l.Owner, l.Until(), ids)
		return err
	})
	if err != nil {
		return nil, err
	}
	return claimed, nil
}

// ReleaseClaim ends owner's claim on a notification without an attempt, so
// it is due again at its scheduled time, for any replica. Another owner's
// claim is left alone.
func (db *DB) ReleaseClaim(ctx context.Context, owner string, id int64) error {
	return db.exec(ctx, false, func(t *txn) error {
		_, err := t.exec(`UPDATE notifications SET claimed_by = '', claimed_until = NULL WHERE id = $1 AND claimed_by = $2`, id, owner)
		return err
	})
}

// NextNotificationAt returns when the earliest pending notification due
// later than after is due (the zero after: any), leaving out the ids in
// skip and rows another owner's lease holds (NextLeaseEnd says when those
// come free).
func (db *DB) NextNotificationAt(ctx context.Context, after time.Time, l payment.Lease, skip ...int64) (time.Time, bool, error) {
	var from any // NULL: any
	if !after.IsZero() {
		from = after
	}
	if skip == nil {
		skip = []int64{}
	}
	return db.minInstant(ctx, `SELECT MIN(next_attempt_at) FROM notifications
		WHERE status = 'pending' AND ($1::timestamptz IS NULL OR next_attempt_at > $1) AND `+claimable+` AND NOT (id = ANY($4))`,
		from, l.Owner, l.Now, skip)
}

// NextLeaseEnd returns the earliest end (lease clock) of another owner's
// claim still holding at l.Now on a pending notification: when one a
// replica died delivering can be taken over.
func (db *DB) NextLeaseEnd(ctx context.Context, l payment.Lease) (time.Time, bool, error) {
	return db.minInstant(ctx, `SELECT MIN(claimed_until) FROM notifications
		WHERE status = 'pending' AND claimed_by NOT IN ('', $1) AND claimed_until > $2`, l.Owner, l.Now)
}
