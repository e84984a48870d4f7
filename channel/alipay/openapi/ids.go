package openapi

import (
	"time"

	"github.com/mockpay/mockpay/channel/alipay/kit"
)

// IDs are the OpenAPI's id formats (alipay-protocol.md §4.6).
type IDs struct{}

// TradeNo returns 28 digits: yyyyMMdd + "22" + 18 digits.
func (IDs) TradeNo(now time.Time) string { return kit.Date(now) + "22" + kit.Digits(18) }

// NotifyID returns 34 digits starting with yyyyMMdd; digits only, so it is
// URL-safe when pasted unencoded into a verify URL.
func (IDs) NotifyID(now time.Time) string { return kit.Date(now) + "0122" + kit.Digits(22) }
