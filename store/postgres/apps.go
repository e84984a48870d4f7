package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/mockpay/mockpay/payment"
)

// SaveApp inserts or replaces an app and tells the other replicas, which
// load it (Events.App).
func (db *DB) SaveApp(ctx context.Context, app *payment.App, now time.Time) error {
	data, err := marshal(app)
	if err != nil {
		return err
	}
	return db.exec(ctx, false, func(t *txn) error {
		if _, err := t.exec(`INSERT INTO apps (app_id, data, created_at) VALUES ($1, $2, $3)
			ON CONFLICT (app_id) DO UPDATE SET data = excluded.data`, app.AppID, data, now); err != nil {
			return err
		}
		return db.notify(ctx, t.tx, kindApp, app.AppID)
	})
}

// Apps returns every stored app, in the order they were first saved.
func (db *DB) Apps(ctx context.Context) ([]*payment.App, error) {
	return rowsOf(ctx, db.pool, func(*payment.App, int64) {}, `SELECT seq, data FROM apps ORDER BY seq`)
}

// App returns one stored app; payment.ErrNotFound when there is none. A
// replica asks when a request names an app it has not loaded yet: one just
// created through another replica.
func (db *DB) App(ctx context.Context, appID string) (*payment.App, error) {
	var data []byte
	err := db.pool.QueryRow(ctx, `SELECT data FROM apps WHERE app_id = $1`, txt(appID)).Scan(&data)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, payment.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	var a payment.App
	return &a, unmarshal(data, &a)
}
