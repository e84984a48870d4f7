package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/mockpay/mockpay/clock"
)

// SaveClock stores the virtual clock's anchor (clock.Virtual.Keep calls it
// before every jump), so a restart continues the clock instead of going
// back in time.
func (db *DB) SaveClock(ctx context.Context, a clock.Anchor) error {
	return db.execQuiet(ctx, func(tx *txn) error {
		_, err := tx.exec(`INSERT INTO clock (id, virtual_at, real_at, scale) VALUES (1, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET virtual_at = excluded.virtual_at, real_at = excluded.real_at, scale = excluded.scale`,
			a.Virtual.UnixNano(), a.Real.UnixNano(), a.Scale)
		return err
	})
}

// LoadClock returns the stored anchor; false when none is stored (a new
// database).
func (db *DB) LoadClock(ctx context.Context) (clock.Anchor, bool, error) {
	var v, r int64
	var a clock.Anchor
	err := db.queryRow(ctx, `SELECT virtual_at, real_at, scale FROM clock WHERE id = 1`).Scan(&v, &r, &a.Scale)
	if errors.Is(err, sql.ErrNoRows) {
		return a, false, nil
	}
	if err != nil {
		return a, false, err
	}
	a.Virtual, a.Real = time.Unix(0, v), time.Unix(0, r)
	return a, true, nil
}
