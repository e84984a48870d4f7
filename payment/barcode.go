package payment

import (
	"context"
	"regexp"
)

// The sandbox's magic payment codes: the code the merchant scans selects
// what happens, so a shop can test each branch of its barcode logic
// (README "Magic auth codes"). Real codes are 16-24 digits starting 25-30
// (§2.7); these are well-formed.
const (
	AuthCodeSuccess     = "286666666666666666" // paid at once (10000)
	AuthCodeWait        = "283333333333333333" // waits for the buyer's password (10003)
	AuthCodeBalanceLow  = "284444444444444444" // ACQ.BUYER_BALANCE_NOT_ENOUGH
	AuthCodeInvalidated = "285555555555555555" // ACQ.PAYMENT_AUTH_CODE_INVALID (an expired code)
)

// PasswordThreshold is the amount above which the sandbox asks for the
// buyer's password (§2.7: 2000 yuan in the sandbox, 1000 in production).
// It applies to codes other than the magic ones.
const PasswordThreshold Amount = 2000_00

var (
	barcodePattern  = regexp.MustCompile(`^(2[5-9]|30)[0-9]{14,22}$`)
	faceCodePattern = regexp.MustCompile(`^fp[0-9A-Za-z]{33}$`)
)

// barcodeOutcome says what paying total with authCode does: wait for the
// buyer's password, or fail with the platform's error, or (neither) pay.
func barcodeOutcome(authCode string, total Amount) (wait bool, err error) {
	switch {
	case authCode == AuthCodeSuccess:
		return false, nil
	case authCode == AuthCodeWait:
		return true, nil
	case authCode == AuthCodeBalanceLow:
		return false, Errorf(CodeBuyerBalanceTooLow, "the buyer's balance is not enough to pay %s yuan (magic code %s)", total.Yuan(), authCode)
	case authCode == AuthCodeInvalidated:
		return false, Errorf(CodeAuthCodeInvalid, "payment code %s has expired (magic code)", authCode)
	case !barcodePattern.MatchString(authCode) && !faceCodePattern.MatchString(authCode):
		return false, Errorf(CodeAuthCodeInvalid, "auth_code %q is not a payment code: 16-24 digits starting 25-30, or fp + 33 characters", authCode)
	}
	return total > PasswordThreshold, nil
}

// BarcodePay is the merchant scanning the buyer's payment code
// (alipay.trade.pay). The trade is paid at once and notified, or it waits
// pending for the buyer's password: the buyer's cashier action
// (Pay) or the trade's time-out (3 hours unless the order says otherwise,
// §4.2) settles it. A declined code creates no trade.
func (s *Service) BarcodePay(ctx context.Context, o Order, authCode string) (*Trade, error) {
	now := s.Clock.Now()
	if err := s.checkCallbacks(o.callbacks()); err != nil {
		return nil, err
	}
	if o.ExpiresAfter == 0 && o.ExpiresAt.IsZero() {
		o.ExpiresAfter = DefaultFaceToFaceTimeout
	}
	var trade *Trade
	queued := false
	err := s.Repo.Tx(ctx, func(tx Tx) error {
		wait, declined := barcodeOutcome(authCode, o.Total)
		if declined != nil {
			// A declined code leaves any earlier attempt's trade as it is,
			// but the order must still be one that could be paid.
			t, err := s.existingTrade(tx, o, now)
			trade = t
			if err != nil {
				return err
			}
			return declined
		}
		t, err := s.openTrade(tx, o, now)
		trade = t
		if err != nil {
			return err
		}
		if wait {
			s.bindBuyer(t)
			return tx.UpdateTrade(t)
		}
		queued, err = s.markPaid(tx, t, now)
		return err
	})
	s.wakeIf(err == nil && queued)
	return trade, err
}
