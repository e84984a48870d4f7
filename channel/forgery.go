package channel

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/hex"
	"sync"

	"github.com/mockpay/mockpay/payment"
)

// What every channel's fault hooks (Faults) share: the key that is not the
// platform's and the bytes of a signature that verifies under none.

var (
	wrongOnce sync.Once
	wrongKey  *rsa.PrivateKey
	wrongErr  error
)

// WrongKey is an RSA key that is no platform's: what a forger signs with.
// It is made once per process.
func WrongKey() (*rsa.PrivateKey, error) {
	wrongOnce.Do(func() { wrongKey, wrongErr = rsa.GenerateKey(rand.Reader, 2048) })
	return wrongKey, wrongErr
}

// WrongSecret is a shared key (MD5 or HMAC) that is no merchant's: 32 hex
// digits, the shape of an Alipay MD5 key, a WeChat Pay APIv2 key or a
// UnionPay secure key.
func WrongSecret() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// TamperedAmount is what a tampered notification claims was paid.
func TamperedAmount(total payment.Amount) payment.Amount { return total * 10 }

// BadSignature is a signature of the right shape (base64 of n random
// bytes) that verifies under no key.
func BadSignature(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.StdEncoding.EncodeToString(b)
}

// OversizeBytes is the padding of an oversize notification: twice the
// body limit a shop is expected to keep.
const OversizeBytes = 2 << 20
