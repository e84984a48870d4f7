package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/mockpay/mockpay/payment"
)

// InsertToken implements payment.TokenRepo.
func (db *DB) InsertToken(ctx context.Context, t *payment.Token) error {
	data, err := json.Marshal(t)
	if err != nil {
		return err
	}
	// Through the group commit (commit.go), as every write: one on its own
	// would pay an fsync alone.
	return db.execQuiet(ctx, func(tx *txn) error {
		_, err := tx.exec(`INSERT INTO tokens (kind, value, app_id, expires_at, data) VALUES (?, ?, ?, ?, ?)`,
			string(t.Kind), t.Value, t.AppID, t.ExpiresAt.UnixNano(), data)
		return err
	})
}

// Token implements payment.TokenRepo.
func (db *DB) Token(ctx context.Context, kind payment.TokenKind, value string) (*payment.Token, error) {
	var data []byte
	err := db.queryRow(ctx, `SELECT data FROM tokens WHERE kind = ? AND value = ?`, string(kind), value).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, payment.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	var t payment.Token
	return &t, json.Unmarshal(data, &t)
}

// NotificationByNotifyID implements payment.TokenRepo.
func (db *DB) NotificationByNotifyID(ctx context.Context, notifyID string) (*payment.Notification, error) {
	var id int64
	err := db.queryRow(ctx, `SELECT id FROM notifications WHERE notify_id = ?`, notifyID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, payment.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return db.Notification(ctx, id)
}
