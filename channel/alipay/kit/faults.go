package kit

import (
	"crypto/rsa"
	"encoding/base64"
	"strings"

	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/sign"
)

// What both Alipay protocols share of the fault hooks (channel.Faults):
// the key that is not the platform's, and the breakages of a signed form.

// WrongKey is an RSA key that is no platform's (channel.WrongKey).
func WrongKey() (*rsa.PrivateKey, error) { return channel.WrongKey() }

// WrongMD5Key is an MD5 key that is no partner's.
func WrongMD5Key() string { return channel.WrongSecret() }

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

// TamperedAmount is what a tampered notification claims was paid.
func TamperedAmount(total payment.Amount) payment.Amount { return channel.TamperedAmount(total) }

// BadSignature is a signature of the right shape that verifies under no key.
func BadSignature(n int) string { return channel.BadSignature(n) }

// OversizeBytes is the padding of an oversize notification.
const OversizeBytes = channel.OversizeBytes

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
