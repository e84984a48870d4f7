package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/mockpay/mockpay/payment"
)

// InsertToken implements payment.TokenRepo.
func (db *DB) InsertToken(ctx context.Context, t *payment.Token) error {
	data, err := marshal(t)
	if err != nil {
		return err
	}
	_, err = db.pool.Exec(ctx, `INSERT INTO tokens (kind, value, app_id, expires_at, data) VALUES ($1, $2, $3, $4, $5)`,
		txt(string(t.Kind)), txt(t.Value), txt(t.AppID), t.ExpiresAt, data)
	return err
}

// Token implements payment.TokenRepo.
func (db *DB) Token(ctx context.Context, kind payment.TokenKind, value string) (*payment.Token, error) {
	var data []byte
	err := db.pool.QueryRow(ctx, `SELECT data FROM tokens WHERE kind = $1 AND value = $2`, txt(string(kind)), txt(value)).Scan(&data)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, payment.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	var t payment.Token
	return &t, unmarshal(data, &t)
}

// NotificationByNotifyID implements payment.TokenRepo.
func (db *DB) NotificationByNotifyID(ctx context.Context, notifyID string) (*payment.Notification, error) {
	return db.oneNotification(ctx, `SELECT id, data FROM notifications WHERE notify_id = $1`, notifyID)
}
