package kit

import "time"

// DefaultUnpaidTimeout: an order unpaid after 7 days cannot be paid
// (wechatpay-protocol.md §1.6, §2.5).
const DefaultUnpaidTimeout = 7 * 24 * time.Hour

// RefundWindow: refunds within a year of payment (§1.8, §2.5).
const RefundWindow = 365 * 24 * time.Hour

// MaxTimeExpire is the furthest ahead APIv3 takes a time_expire (§2.5:
// "max 90 days"); later ones are a PARAM_ERROR.
const MaxTimeExpire = 90 * 24 * time.Hour

// PayableUntil is when an order whose time_expire is at stops being
// payable: at, unless that is after the 7 days an unpaid order lives
// (§1.6, §2.5), which come first. A shop may name a time_expire up to 90
// days ahead (APIv3) and the platform takes it, yet the order closes unpaid
// after 7; holding the trade to that also keeps it inside the domain's own
// longest payable window.
func PayableUntil(at, now time.Time) time.Time {
	if last := now.Add(DefaultUnpaidTimeout); at.After(last) {
		return last
	}
	return at
}
