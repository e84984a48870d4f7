package payment

import (
	"context"
	"time"

	"github.com/mockpay/mockpay/clock"
)

// TokenKind names what a short-lived token the platform hands out is for;
// the channel that issues a kind names it (Alipay's MAPI: mapi.TokenKind…).
type TokenKind string

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
	// NotificationByNotifyID returns ErrNotFound for an unknown
	// Notification.NotifyID.
	NotificationByNotifyID(ctx context.Context, notifyID string) (*Notification, error)
}

// Tokens issues tokens; the channel that issued a kind judges whether one
// is genuine and live by its own rules.
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
