package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/mockpay/mockpay/payment"
)

// SaveApp inserts or replaces an app.
func (db *DB) SaveApp(ctx context.Context, app *payment.App, now time.Time) error {
	data, err := json.Marshal(app)
	if err != nil {
		return err
	}
	return db.execQuiet(ctx, func(tx *txn) error {
		_, err := tx.exec(`INSERT INTO apps (app_id, data, created_at) VALUES (?, ?, ?)
		ON CONFLICT (app_id) DO UPDATE SET data = excluded.data`,
			app.AppID, data, now.UTC().Format(time.RFC3339Nano))
		return err
	})
}

// Apps returns every stored app, in the order they were first saved.
func (db *DB) Apps(ctx context.Context) ([]*payment.App, error) {
	rows, err := db.query(ctx, `SELECT data FROM apps ORDER BY rowid`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*payment.App
	for rows.Next() {
		var data []byte
		if err := rows.Scan(&data); err != nil {
			return nil, err
		}
		var a payment.App
		if err := json.Unmarshal(data, &a); err != nil {
			return nil, err
		}
		out = append(out, &a)
	}
	return out, rows.Err()
}
