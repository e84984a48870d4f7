// Package acp is UnionPay ACP's wire format and signatures
// (unionpay-protocol.md §2, §3): the string to sign, the three signing
// schemes, the raw key=value answers and the charsets. It knows no HTTP
// route, no trade and no store.
package acp

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"sort"
	"strings"
)

// Versions and sign methods of §3.2.
const (
	V500 = "5.0.0"
	V510 = "5.1.0"

	MethodCert      = "01" // RSA over the hex digest
	MethodSecureKey = "11" // SHA-256 with the secure key
	MethodSM3       = "12" // SM3 with the secure key: not emulated
)

// Fields are a message's key=value pairs.
type Fields map[string]string

// Canonical is the string to sign (§3.1): every field but signature, sorted
// by key in byte order, joined k=v with &, values raw.
func Canonical(f Fields) string {
	keys := make([]string, 0, len(f))
	for k := range f {
		if k != "signature" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(f[k])
	}
	return b.String()
}

// hexDigest is lowerhex(SHA-1(s)) for 5.0.0 and lowerhex(SHA-256(s)) for
// 5.1.0, and the hash the RSA signature then takes over that hex (§3.2).
func hexDigest(version string, content []byte) (crypto.Hash, []byte) {
	if version == V500 {
		sum := sha1.Sum(content)
		hx := []byte(hex.EncodeToString(sum[:]))
		d := sha1.Sum(hx)
		return crypto.SHA1, d[:]
	}
	sum := sha256.Sum256(content)
	hx := []byte(hex.EncodeToString(sum[:]))
	d := sha256.Sum256(hx)
	return crypto.SHA256, d[:]
}

// SignRSA is signMethod 01: Base64(RSA PKCS#1 v1.5 over the hex digest),
// SHA1withRSA for 5.0.0, SHA256withRSA for 5.1.0. content is the canonical
// string in the message's charset.
func SignRSA(key *rsa.PrivateKey, version string, content []byte) (string, error) {
	h, d := hexDigest(version, content)
	sig, err := rsa.SignPKCS1v15(nil, key, h, d)
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(sig), nil
}

// ErrSignature is a signature that does not verify.
var ErrSignature = errors.New("signature does not verify")

// VerifyRSA checks a signMethod 01 signature.
func VerifyRSA(pub *rsa.PublicKey, version string, content []byte, signature string) error {
	sig, err := base64.StdEncoding.DecodeString(signature)
	if err != nil {
		return ErrSignature
	}
	h, d := hexDigest(version, content)
	if rsa.VerifyPKCS1v15(pub, h, d, sig) != nil {
		return ErrSignature
	}
	return nil
}

// SignSecureKey is signMethod 11: lowerhex(SHA-256(S + "&" +
// lowerhex(SHA-256(secureKey)))), no Base64 (§3.2).
func SignSecureKey(content []byte, secureKey string) string {
	k := sha256.Sum256([]byte(secureKey))
	h := sha256.New()
	h.Write(content)
	h.Write([]byte("&" + hex.EncodeToString(k[:])))
	return hex.EncodeToString(h.Sum(nil))
}

// VerifySecureKey checks a signMethod 11 signature (hex compared
// case-insensitively, as the SDK lowercases both).
func VerifySecureKey(content []byte, secureKey, signature string) error {
	if !strings.EqualFold(SignSecureKey(content, secureKey), signature) {
		return ErrSignature
	}
	return nil
}
