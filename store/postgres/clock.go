package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/mockpay/mockpay/clock"
)

// SaveClock stores the virtual clock's anchor (clock.Virtual.Keep calls it
// before every jump) and tells the other replicas, which read it again
// (Events.Clock) and jump to it: one clock for all.
func (db *DB) SaveClock(ctx context.Context, a clock.Anchor) error {
	return db.exec(ctx, false, func(t *txn) error {
		if _, err := t.exec(`INSERT INTO clock (id, virtual_at, real_at, scale) VALUES (1, $1, $2, $3)
			ON CONFLICT (id) DO UPDATE SET virtual_at = excluded.virtual_at, real_at = excluded.real_at, scale = excluded.scale`,
			a.Virtual.UnixNano(), a.Real.UnixNano(), a.Scale); err != nil {
			return err
		}
		return db.notify(ctx, t.tx, kindClock, "")
	})
}

// LoadClock returns the stored anchor; false when none is stored.
func (db *DB) LoadClock(ctx context.Context) (clock.Anchor, bool, error) {
	var v, r int64
	var a clock.Anchor
	err := db.pool.QueryRow(ctx, `SELECT virtual_at, real_at, scale FROM clock WHERE id = 1`).Scan(&v, &r, &a.Scale)
	if errors.Is(err, pgx.ErrNoRows) {
		return a, false, nil
	}
	if err != nil {
		return a, false, err
	}
	a.Virtual, a.Real = time.Unix(0, v), time.Unix(0, r)
	return a, true, nil
}
