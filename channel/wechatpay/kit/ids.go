package kit

import (
	"crypto/rand"
	"fmt"
	"math/big"
	"time"

	"github.com/mockpay/mockpay/payment"
)

// IDs are WeChat Pay's id shapes (wechatpay-protocol.md §1.5, observed
// examples): a 28-digit transaction_id (4200 + the CST date + 16 digits)
// and a UUID-shaped notification id, the same on every retry (§2.8).
type IDs struct{}

// TradeNo is a transaction_id.
func (IDs) TradeNo(now time.Time) string {
	return "4200" + now.In(payment.CST).Format("20060102") + Digits(16)
}

// NotifyID is a notification's id.
func (IDs) NotifyID(time.Time) string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	b[6] = b[6]&0x0f | 0x50 // version 5 shape, as real ids show
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// RefundIDOf is a refund's refund_id: 29 digits (§1.5), derived from the
// trade and the refund's row so every look shows the same one.
func RefundIDOf(r *payment.Refund) string {
	n := r.TradeNo
	if len(n) > 20 {
		n = n[len(n)-20:]
	}
	id := "503" + n
	for len(id) < 29-len(itoa(r.ID)) {
		id += "0"
	}
	return id + itoa(r.ID)
}

func itoa(n int64) string {
	if n <= 0 {
		return "0"
	}
	var b []byte
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}

// Digits is n random decimal digits.
func Digits(n int) string {
	out := make([]byte, n)
	for i := range out {
		d, err := rand.Int(rand.Reader, big.NewInt(10))
		if err != nil {
			panic(err)
		}
		out[i] = byte('0' + d.Int64())
	}
	return string(out)
}

// Token is n random characters of [0-9A-Za-z] (nonces, prepay codes).
func Token(n int) string {
	const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	out := make([]byte, n)
	for i := range out {
		d, err := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		if err != nil {
			panic(err)
		}
		out[i] = alphabet[d.Int64()]
	}
	return string(out)
}

// RefundRowOf reads the row RefundIDOf derived a refund_id from (0 when id
// is not one): the digits after the trade's, padding zeros dropped. The
// caller compares RefundIDOf of the refund found with id.
func RefundRowOf(id string) int64 {
	if len(id) != 29 || id[:3] != "503" {
		return 0
	}
	var n int64
	for _, c := range id[23:] {
		if c < '0' || c > '9' {
			return 0
		}
		n = n*10 + int64(c-'0')
	}
	return n
}
