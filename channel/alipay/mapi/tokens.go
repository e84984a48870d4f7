package mapi

import (
	"context"
	"errors"
	"time"

	"github.com/mockpay/mockpay/payment"
)

// The MAPI's short-lived tokens, kept in the domain's neutral token store
// (payment.Tokens).
const (
	// TokenReturnNotifyID is the notify_id of a sync return, which the shop
	// may check with notify_verify for about a minute (§1.4, §1.6).
	TokenReturnNotifyID payment.TokenKind = "return_notify_id"
	// TokenAntiPhishingKey is query_timestamp's encrypt_key (§1.7).
	TokenAntiPhishingKey payment.TokenKind = "anti_phishing_key"
)

// Codes of the anti-phishing key's failures (§1.7), which only the MAPI
// produces.
var (
	CodeAntiPhishingKeyInvalid = payment.DefineCode("anti_phishing_key_invalid", payment.ClassInvalid)
	CodeAntiPhishingKeyExpired = payment.DefineCode("anti_phishing_key_expired", payment.ClassGone)
)

// checkAntiPhishingKey accepts a key query_timestamp issued to appID that
// has not expired (§1.7).
func checkAntiPhishingKey(ctx context.Context, s *payment.Tokens, appID, key string) error {
	t, err := s.Repo.Token(ctx, TokenAntiPhishingKey, key)
	switch {
	case errors.Is(err, payment.ErrNotFound) || (err == nil && t.AppID != appID):
		return payment.Errorf(CodeAntiPhishingKeyInvalid, "anti_phishing_key %q was not issued to partner %s by query_timestamp", key, appID)
	case err != nil:
		return err
	case !s.Clock.Now().Before(t.ExpiresAt):
		return payment.Errorf(CodeAntiPhishingKeyExpired, "anti_phishing_key %q expired at %s", key, t.ExpiresAt.In(payment.CST).Format(time.DateTime))
	}
	return nil
}

// notifyIDLive reports whether notifyID is a genuine notify_id of appID
// that may still be verified (§1.6): a notification's until the shop
// acknowledged it (or the schedule gave up), a sync return's until its
// token expires. Another merchant's id is not live for this one.
func notifyIDLive(ctx context.Context, s *payment.Tokens, appID, notifyID string) (bool, error) {
	n, err := s.Repo.NotificationByNotifyID(ctx, notifyID)
	switch {
	case err == nil:
		return n.AppID == appID && n.Status == payment.NotifyPending, nil
	case !errors.Is(err, payment.ErrNotFound):
		return false, err
	}
	t, err := s.Repo.Token(ctx, TokenReturnNotifyID, notifyID)
	switch {
	case errors.Is(err, payment.ErrNotFound):
		return false, nil
	case err != nil:
		return false, err
	}
	return t.AppID == appID && s.Clock.Now().Before(t.ExpiresAt), nil
}
