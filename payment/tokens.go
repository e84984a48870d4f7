package payment

import (
	"context"
	"errors"
	"time"

	"github.com/mockpay/mockpay/clock"
)

// TokenKind names what a short-lived token the platform hands out is for.
type TokenKind string

const (
	// TokenReturnNotifyID is the notify_id of a legacy sync return, which
	// the shop may check with notify_verify for about a minute (§1.4, §1.6).
	TokenReturnNotifyID TokenKind = "return_notify_id"
	// TokenAntiPhishingKey is query_timestamp's encrypt_key (§1.7).
	TokenAntiPhishingKey TokenKind = "anti_phishing_key"
)

// Token is a value the platform issued to one merchant, valid until
// ExpiresAt on the virtual clock.
type Token struct {
	Kind      TokenKind `json:"Kind"`
	Value     string    `json:"Value"`
	AppID     string    `json:"AppID"`
	TradeNo   string    `json:"TradeNo"` // the trade it belongs to, if any
	IssuedAt  time.Time `json:"IssuedAt"`
	ExpiresAt time.Time `json:"ExpiresAt"`
}

// TokenRepo stores tokens; store.DB implements it. A token is written once
// and only read afterwards, so no transaction spans these calls.
type TokenRepo interface {
	InsertToken(ctx context.Context, t *Token) error
	// Token returns ErrNotFound for an unknown value.
	Token(ctx context.Context, kind TokenKind, value string) (*Token, error)
	// NotificationByNotifyID returns ErrNotFound for an unknown notify_id.
	NotificationByNotifyID(ctx context.Context, notifyID string) (*Notification, error)
}

// Tokens issues tokens and answers whether one is genuine and live.
type Tokens struct {
	Repo  TokenRepo
	Clock clock.Clock
}

// Issue records value as a token of kind for appID, valid for ttl from now.
func (s *Tokens) Issue(ctx context.Context, kind TokenKind, appID, tradeNo, value string, ttl time.Duration) (*Token, error) {
	now := s.Clock.Now()
	t := &Token{Kind: kind, Value: value, AppID: appID, TradeNo: tradeNo, IssuedAt: now, ExpiresAt: now.Add(ttl)}
	return t, s.Repo.InsertToken(ctx, t)
}

// CheckAntiPhishingKey accepts a key query_timestamp issued to appID that
// has not expired (§1.7).
func (s *Tokens) CheckAntiPhishingKey(ctx context.Context, appID, key string) error {
	t, err := s.Repo.Token(ctx, TokenAntiPhishingKey, key)
	switch {
	case errors.Is(err, ErrNotFound) || (err == nil && t.AppID != appID):
		return Errorf(CodeAntiPhishingKeyInvalid, "anti_phishing_key %q was not issued to partner %s by query_timestamp", key, appID)
	case err != nil:
		return err
	case !s.Clock.Now().Before(t.ExpiresAt):
		return Errorf(CodeAntiPhishingKeyExpired, "anti_phishing_key %q expired at %s", key, t.ExpiresAt.In(CST).Format(time.DateTime))
	}
	return nil
}

// NotifyIDLive reports whether notifyID is a genuine notify_id of appID
// that may still be verified (§1.6): a notification's until the shop
// acknowledged it (or the schedule gave up), a sync return's until its
// token expires. Another merchant's id is not live for this one.
func (s *Tokens) NotifyIDLive(ctx context.Context, appID, notifyID string) (bool, error) {
	n, err := s.Repo.NotificationByNotifyID(ctx, notifyID)
	switch {
	case err == nil:
		return n.AppID == appID && n.Status == NotifyPending, nil
	case !errors.Is(err, ErrNotFound):
		return false, err
	}
	t, err := s.Repo.Token(ctx, TokenReturnNotifyID, notifyID)
	switch {
	case errors.Is(err, ErrNotFound):
		return false, nil
	case err != nil:
		return false, err
	}
	return t.AppID == appID && s.Clock.Now().Before(t.ExpiresAt), nil
}
