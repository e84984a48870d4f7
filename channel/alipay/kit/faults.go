package kit

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"sync"

	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/sign"
)

// What both Alipay protocols share of the fault hooks (channel.Faults):
// the key that is not the platform's, and the breakages of a signed form.

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

// WrongMD5Key is an MD5 key that is no partner's.
func WrongMD5Key() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Set is p with key's value replaced (added when absent).
func Set(p sign.Params, key, value string) sign.Params {
	out := append(sign.Params(nil), p...)
	for i := range out {
		if out[i].Key == key {
			out[i].Value = value
			return out
		}
	}
	out.Add(key, value)
	return out
}

// Without is p without key.
func Without(p sign.Params, key string) sign.Params {
	var out sign.Params
	for _, kv := range p {
		if kv.Key != key {
			out = append(out, kv)
		}
	}
	return out
}

// TamperedAmount is what a forger claims was paid instead of total: ten
// times as much, so the difference cannot pass for rounding.
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

// Pad is p with a large unknown field after its signature.
func Pad(p sign.Params) sign.Params {
	return Set(p, "mockpay_padding", strings.Repeat("x", OversizeBytes))
}

// Forged breaks a signed notification form p as f asks; resign signs a
// changed form with the wrong key. Probe is WeChat Pay's, not Alipay's.
func Forged(p sign.Params, f channel.Forgery, total payment.Amount, amountKeys []string, resign func(sign.Params) (sign.Params, error)) (sign.Params, error) {
	switch f {
	case channel.ForgeWrongKey:
		return resign(Without(p, "sign"))
	case channel.ForgeTamper:
		q := Without(p, "sign")
		claimed := TamperedAmount(total).Yuan()
		for _, k := range amountKeys {
			if _, ok := q.Get(k); ok {
				q = Set(q, k, claimed)
			}
		}
		if _, ok := q.Get("fund_bill_list"); ok {
			q = Set(q, "fund_bill_list", `[{"amount":"`+claimed+`","fundChannel":"ALIPAYACCOUNT"}]`)
		}
		return resign(q)
	case channel.ForgeBadSignature:
		sig := p.Value("sign")
		n := base64.StdEncoding.DecodedLen(len(sig))
		if raw, err := base64.StdEncoding.DecodeString(sig); err == nil {
			n = len(raw)
		}
		if len(sig) == 32 { // an MD5 signature: 32 hex digits
			return Set(p, "sign", WrongMD5Key()), nil
		}
		return Set(p, "sign", BadSignature(n)), nil
	case channel.ForgeNoSignature:
		return Without(p, "sign"), nil
	case channel.ForgeOversize:
		return Pad(p), nil
	}
	return nil, channel.ErrNoFault
}
