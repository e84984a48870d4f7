package mapi

import (
	"context"
	"crypto/rand"
	"time"

	"github.com/mockpay/mockpay/sign"
)

// AntiPhishingKeyLifetime is how long query_timestamp's encrypt_key is
// accepted as anti_phishing_key, on the virtual clock. The real lifetime
// is unknown (§1.7, §7); a shop fetches a key just before each order, so
// any lifetime of a few minutes or more behaves the same for it.
const AntiPhishingKeyLifetime = 30 * time.Minute

// queryTimestamp answers query_timestamp with a fresh encrypt_key, the only
// child of <timestamp>: the Java demo concatenates all of its children
// (§1.7). Demos send it unsigned.
func (g *Gateway) queryTimestamp(ctx context.Context, c *Call) (Outcome, error) {
	key := randomAlnum(20)
	if _, err := g.Tokens.Issue(ctx, TokenAntiPhishingKey, c.Partner.AppID, "", key, AntiPhishingKeyLifetime); err != nil {
		return Outcome{}, err
	}
	r, err := successXML(c, "timestamp", sign.Params{{Key: "encrypt_key", Value: key}})
	return Outcome{Reply: r}, err
}

// randomAlnum returns n random letters and digits: URL-safe, since merchant
// code often pastes values into URLs unencoded.
func randomAlnum(n int) string {
	const alnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	for i := range b {
		b[i] = alnum[int(b[i])%len(alnum)]
	}
	return string(b)
}
