package store

import (
	"context"
	"database/sql"
	"fmt"
)

// migrations are applied in order; user_version records how many ran. Never
// edit one that has shipped: append a new one.
var migrations = []string{
	`CREATE TABLE apps (
		app_id     TEXT PRIMARY KEY,
		data       TEXT NOT NULL,
		created_at TEXT NOT NULL
	);
	CREATE TABLE checkouts (
		token      TEXT PRIMARY KEY,
		data       TEXT NOT NULL,
		created_at TEXT NOT NULL
	);
	CREATE TABLE trades (
		id           INTEGER PRIMARY KEY AUTOINCREMENT,
		trade_no     TEXT NOT NULL UNIQUE,
		app_id       TEXT NOT NULL,
		pid          TEXT NOT NULL,
		out_trade_no TEXT NOT NULL,
		status       TEXT NOT NULL,
		created_at   INTEGER NOT NULL,
		data         TEXT NOT NULL,
		UNIQUE (pid, out_trade_no)
	);
	CREATE INDEX trades_app ON trades (app_id, id);
	CREATE TABLE notifications (
		id              INTEGER PRIMARY KEY AUTOINCREMENT,
		notify_id       TEXT NOT NULL UNIQUE,
		app_id          TEXT NOT NULL,
		trade_no        TEXT NOT NULL,
		status          TEXT NOT NULL,
		next_attempt_at INTEGER NOT NULL,
		data            TEXT NOT NULL
	);
	CREATE INDEX notifications_due ON notifications (status, next_attempt_at);
	CREATE INDEX notifications_trade ON notifications (trade_no);
	CREATE TABLE attempts (
		id              INTEGER PRIMARY KEY AUTOINCREMENT,
		notification_id INTEGER NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
		number          INTEGER NOT NULL,
		data            TEXT NOT NULL,
		UNIQUE (notification_id, number)
	);`,
}

func (db *DB) migrate(ctx context.Context) error {
	var version int
	if err := db.sql.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version); err != nil {
		return err
	}
	if version > len(migrations) {
		return fmt.Errorf("database is at version %d, newer than this mockpay (%d)", version, len(migrations))
	}
	for i := version; i < len(migrations); i++ {
		err := db.exec(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, migrations[i]); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, i+1))
			return err
		})
		if err != nil {
			return fmt.Errorf("migration %d: %w", i+1, err)
		}
	}
	return nil
}
