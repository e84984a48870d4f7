package mapi

import (
	"crypto/rand"
	"time"

	"github.com/mockpay/mockpay/channel/alipay/kit"
)

// IDs are the MAPI's id formats (alipay-protocol.md §4.6).
type IDs struct{}

// TradeNo gives legacy trades their own shape: "21" after the date instead
// of the OpenAPI's "22".
func (IDs) TradeNo(now time.Time) string { return kit.Date(now) + "21" + kit.Digits(18) }

// NotifyID returns a legacy notify_id; its shape has no date.
func (IDs) NotifyID(time.Time) string { return NewNotifyID() }

// NewNotifyID returns 32 lower-case hex digits and 2 lower-case letters or
// digits, the shape of real legacy notify_ids (§1.5, §4.6). It is URL-safe:
// merchant code pastes it unencoded into the verify URL (§1.6).
func NewNotifyID() string {
	const hexDigits = "0123456789abcdef"
	const alnum = "0123456789abcdefghijklmnopqrstuvwxyz"
	b := make([]byte, 34)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	for i := range b {
		if i < 32 {
			b[i] = hexDigits[b[i]%16]
		} else {
			b[i] = alnum[int(b[i])%len(alnum)]
		}
	}
	return string(b)
}
