package payment

import (
	"crypto/rand"
	"math/big"
	"time"
)

// Identifier shapes follow what real Alipay emits (alipay-protocol.md §4.6),
// so merchant code that stores or validates them sees realistic values.

// China Standard Time: Alipay dates are GMT+8 with no daylight saving.
var CST = time.FixedZone("CST", 8*3600)

// NewTradeNo returns 28 digits: yyyyMMdd + "22" + 18 digits.
func NewTradeNo(now time.Time) string {
	return now.In(CST).Format("20060102") + "22" + randomDigits(18)
}

// NewNotifyID returns 34 digits starting with yyyyMMdd; digits only, so it
// is URL-safe when pasted unencoded into a verify URL.
func NewNotifyID(now time.Time) string {
	return now.In(CST).Format("20060102") + "0122" + randomDigits(22)
}

func randomDigits(n int) string {
	b := make([]byte, n)
	ten := big.NewInt(10)
	for i := range b {
		d, err := rand.Int(rand.Reader, ten)
		if err != nil {
			panic(err) // crypto/rand never fails on supported platforms
		}
		b[i] = byte('0' + d.Int64())
	}
	return string(b)
}
