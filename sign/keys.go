package sign

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
)

// ParsePrivateKey reads an RSA private key in PKCS#1 or PKCS#8, as PEM or as
// the bare base64 body that Alipay's key tool prints without headers.
func ParsePrivateKey(text string) (*rsa.PrivateKey, error) {
	der, err := derOf(text)
	if err != nil {
		return nil, err
	}
	if k, err := x509.ParsePKCS1PrivateKey(der); err == nil {
		return k, nil
	}
	k, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, errors.New("not an RSA private key in PKCS#1 or PKCS#8")
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("private key is %T, not RSA", k)
	}
	return rk, nil
}

// ParsePublicKey reads an RSA public key in PKIX or PKCS#1, as PEM or bare
// base64, or the public key of a PEM certificate.
func ParsePublicKey(text string) (*rsa.PublicKey, error) {
	der, err := derOf(text)
	if err != nil {
		return nil, err
	}
	if k, err := x509.ParsePKIXPublicKey(der); err == nil {
		if rk, ok := k.(*rsa.PublicKey); ok {
			return rk, nil
		}
		return nil, fmt.Errorf("public key is %T, not RSA", k)
	}
	if k, err := x509.ParsePKCS1PublicKey(der); err == nil {
		return k, nil
	}
	if c, err := x509.ParseCertificate(der); err == nil {
		if rk, ok := c.PublicKey.(*rsa.PublicKey); ok {
			return rk, nil
		}
	}
	return nil, errors.New("not an RSA public key (PKIX, PKCS#1 or certificate)")
}

func derOf(text string) ([]byte, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil, errors.New("empty key")
	}
	if block, _ := pem.Decode([]byte(text)); block != nil {
		return block.Bytes, nil
	}
	der, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(text), ""))
	if err != nil {
		return nil, errors.New("key is neither PEM nor base64")
	}
	return der, nil
}

// PEM encodings mockpay hands to merchants.

// PKCS1PrivatePEM encodes key as "RSA PRIVATE KEY".
func PKCS1PrivatePEM(key *rsa.PrivateKey) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}))
}

// PKCS8PrivatePEM encodes key as "PRIVATE KEY".
func PKCS8PrivatePEM(key *rsa.PrivateKey) string {
	der, _ := x509.MarshalPKCS8PrivateKey(key) // cannot fail for an RSA key
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}

// PublicPEM encodes key as PKIX "PUBLIC KEY", the form every SDK parses.
func PublicPEM(key *rsa.PublicKey) string {
	der, _ := x509.MarshalPKIXPublicKey(key) // cannot fail for an RSA key
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

// KeyEncoding says how a private key text is written: what SDKs look at when
// they refuse a key that is otherwise right.
type KeyEncoding struct {
	PEMType string // "RSA PRIVATE KEY", "PRIVATE KEY", or "" for bare base64
	Syntax  string // "PKCS#1" or "PKCS#8": what the DER body really is
}

// PrivateKeyEncoding reads the PEM header and the body's syntax of an RSA
// private key accepted by ParsePrivateKey.
func PrivateKeyEncoding(text string) (KeyEncoding, error) {
	if _, err := ParsePrivateKey(text); err != nil {
		return KeyEncoding{}, err
	}
	der, _ := derOf(text) // parsed above
	var enc KeyEncoding
	if block, _ := pem.Decode([]byte(strings.TrimSpace(text))); block != nil {
		enc.PEMType = block.Type
	}
	enc.Syntax = "PKCS#8"
	if _, err := x509.ParsePKCS1PrivateKey(der); err == nil {
		enc.Syntax = "PKCS#1"
	}
	return enc, nil
}
