package payment

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"math/big"
	"time"
)

// QRCodeValidity is how long a precreate QR code can be scanned (§2.7).
const QRCodeValidity = 2 * time.Hour

// Precreate issues the QR code of an order (alipay.trade.precreate). No
// trade exists until the buyer scans it (§2.7): the order waits as a
// checkout whose token is the code. The code is derived from the merchant
// and out_trade_no, so asking again for the same order gives the same code,
// valid for another 2 hours; other terms are refused (§4.4, unconfirmed).
func (s *Service) Precreate(ctx context.Context, app *App, o Order) (*Checkout, error) {
	now := s.Clock.Now()
	if err := s.checkCallbacks(s.callbacks(o)); err != nil {
		return nil, err
	}
	if err := checkNotExpired(o, now); err != nil {
		return nil, err
	}
	c := &Checkout{Token: QRCode(app, o.OutTradeNo), Order: o, CreatedAt: now, ValidUntil: qrValidUntil(o, now)}
	err := s.Repo.Tx(ctx, func(tx Tx) error {
		if _, err := s.existingTrade(tx, o, now); err != nil {
			return err
		}
		prev, err := tx.Checkout(c.Token)
		switch {
		case errors.Is(err, ErrNotFound):
			return tx.InsertCheckout(c)
		case err != nil:
			return err
		case s.Mismatch(o, &Trade{Order: prev.Order}) != "":
			return Errorf(CodeContextInconsistent, "out_trade_no %s was precreated with amount %s, subject %q", o.OutTradeNo, prev.Order.Total.Yuan(), prev.Order.Subject)
		}
		return tx.UpdateCheckout(c)
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// QRCode is the code of an order's QR: 20 lowercase letters and digits, like
// the platform's (§4.6), keyed with the app's platform key so that nobody
// without it can guess a code.
func QRCode(app *App, outTradeNo string) string {
	mac := hmac.New(sha256.New, []byte(app.PlatformPrivateKeyPEM))
	mac.Write([]byte(app.AppID + "\x00qr\x00" + outTradeNo))
	code := new(big.Int).SetBytes(mac.Sum(nil)).Text(36)
	for len(code) < 20 {
		code = "0" + code
	}
	return code[:20]
}

// qrValidUntil is 2 hours from now, or the order's own end when sooner.
func qrValidUntil(o Order, now time.Time) time.Time {
	until := now.Add(QRCodeValidity)
	if end := expiry(o, now); end.Before(until) {
		until = end
	}
	return until
}

// invalidateQR ends an unscanned precreate code (a reversal of an order that
// never became a trade) and reports whether there was one.
func (s *Service) invalidateQR(tx Tx, app *App, outTradeNo string, now time.Time) (bool, error) {
	c, err := tx.Checkout(QRCode(app, outTradeNo))
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if c.ValidUntil.After(now) {
		c.ValidUntil = now
		return true, tx.UpdateCheckout(c)
	}
	return true, nil
}
