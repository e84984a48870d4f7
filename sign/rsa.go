package sign

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// Type is an OpenAPI sign_type.
type Type string

const (
	RSA2 Type = "RSA2" // SHA256withRSA
	RSA  Type = "RSA"  // SHA1withRSA (legacy apps)
)

// ParseType reads a sign_type value. Alipay requires upper case (§1.2); we
// accept exactly the two OpenAPI names.
func ParseType(s string) (Type, error) {
	switch Type(s) {
	case RSA2, RSA:
		return Type(s), nil
	}
	return "", fmt.Errorf("unknown sign_type %q", s)
}

func (t Type) digest(content []byte) (crypto.Hash, []byte, error) {
	switch t {
	case RSA2:
		sum := sha256.Sum256(content)
		return crypto.SHA256, sum[:], nil
	case RSA:
		sum := sha1.Sum(content)
		return crypto.SHA1, sum[:], nil
	}
	return 0, nil, fmt.Errorf("unknown sign_type %q", t)
}

// SignRSA signs content with PKCS#1 v1.5 and returns standard base64 with
// padding, the form every SDK decodes. Content signed before with the same
// key is answered from the memo (memo.go): the signature is the same bytes.
func SignRSA(key *rsa.PrivateKey, t Type, content []byte) (string, error) {
	h, sum, err := t.digest(content)
	if err != nil {
		return "", err
	}
	k := keyOf(key, h, sum)
	sig, ok := signatures.get(k)
	if !ok {
		if sig, err = rsa.SignPKCS1v15(rand.Reader, key, h, sum); err != nil {
			return "", err
		}
		signatures.put(k, sig)
	}
	return base64.StdEncoding.EncodeToString(sig), nil
}

// ErrBadSignature says the signature is well-formed base64 but does not verify.
var ErrBadSignature = errors.New("signature does not verify")

// ErrSignatureEncoding says the signature is not base64 or has the wrong length.
var ErrSignatureEncoding = errors.New("signature is not base64 of the key's size")

// VerifyRSA checks a base64 PKCS#1 v1.5 signature over content.
func VerifyRSA(key *rsa.PublicKey, t Type, content []byte, signature string) error {
	h, sum, err := t.digest(content)
	if err != nil {
		return err
	}
	// Signatures travel in form bodies where a stray '+' may become ' '.
	sig, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(signature, " ", "+"))
	if err != nil || len(sig) != key.Size() {
		return ErrSignatureEncoding
	}
	if rsa.VerifyPKCS1v15(key, h, sum, sig) != nil {
		return ErrBadSignature
	}
	return nil
}
