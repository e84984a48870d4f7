package kit

import (
	"crypto/rand"
	"math/big"
	"time"

	"github.com/mockpay/mockpay/payment"
)

// Identifier shapes follow what real Alipay emits (alipay-protocol.md §4.6),
// so merchant code that stores or validates them sees realistic values.
// Alipay dates its ids in GMT+8.

// Date is the GMT+8 date at now, yyyyMMdd, that starts Alipay's ids.
func Date(now time.Time) string { return now.In(payment.CST).Format("20060102") }

// Digits returns n random decimal digits.
func Digits(n int) string {
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
