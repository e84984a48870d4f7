package unionpay

import (
	"bytes"
	"crypto/cipher"
	"crypto/des"
	"crypto/hmac"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
	"unicode/utf16"
)

// LoadPFX reads a merchant's signing PFX as the official SDKs do
// (CertUtil.initSignCert: the first key and its certificate): PKCS#12
// with pbeWithSHAAnd3-KeyTripleDES-CBC bags and an HMAC-SHA1 MAC
// (RFC 7292), the format UnionPay's PFX files use (§3.5).
func LoadPFX(der []byte, password string) (*rsa.PrivateKey, *x509.Certificate, error) {
	var pfx struct {
		Version  int
		AuthSafe contentInfo
		MacData  macData `asn1:"optional"`
	}
	if _, err := asn1.Unmarshal(der, &pfx); err != nil {
		return nil, nil, fmt.Errorf("pfx: %w", err)
	}
	pw := bmpString(password)
	var authSafe []byte
	if _, err := asn1.Unmarshal(pfx.AuthSafe.Content.Bytes, &authSafe); err != nil {
		return nil, nil, fmt.Errorf("pfx authSafe: %w", err)
	}
	if len(pfx.MacData.MacSalt) > 0 {
		key := pbkdf(pfx.MacData.MacSalt, pw, pfx.MacData.Iterations, 3, 20)
		mac := hmac.New(sha1.New, key)
		mac.Write(authSafe)
		if !hmac.Equal(mac.Sum(nil), pfx.MacData.Mac.Digest) {
			return nil, nil, errors.New("pfx: wrong password (MAC does not verify)")
		}
	}
	var infos []contentInfo
	if _, err := asn1.Unmarshal(authSafe, &infos); err != nil {
		return nil, nil, fmt.Errorf("pfx contents: %w", err)
	}
	var key *rsa.PrivateKey
	var cert *x509.Certificate
	for _, ci := range infos {
		var safe []byte
		switch {
		case ci.ContentType.Equal(oidData):
			if _, err := asn1.Unmarshal(ci.Content.Bytes, &safe); err != nil {
				return nil, nil, err
			}
		case ci.ContentType.Equal(oidEncryptedData):
			var ed struct {
				Version int
				Info    struct {
					ContentType asn1.ObjectIdentifier
					Algorithm   algorithm
					Content     []byte `asn1:"tag:0,optional"`
				}
			}
			if _, err := asn1.Unmarshal(ci.Content.Bytes, &ed); err != nil {
				return nil, nil, fmt.Errorf("pfx encrypted data: %w", err)
			}
			var err error
			if safe, err = decrypt(ed.Info.Algorithm, ed.Info.Content, pw); err != nil {
				return nil, nil, err
			}
		default:
			continue
		}
		var bags []safeBag
		if _, err := asn1.Unmarshal(safe, &bags); err != nil {
			return nil, nil, fmt.Errorf("pfx bags: %w", err)
		}
		for _, b := range bags {
			switch {
			case b.ID.Equal(oidShroudedKeyBag) && key == nil:
				var epki struct {
					Algorithm algorithm
					Data      []byte
				}
				if _, err := asn1.Unmarshal(b.Value.Bytes, &epki); err != nil {
					return nil, nil, err
				}
				plain, err := decrypt(epki.Algorithm, epki.Data, pw)
				if err != nil {
					return nil, nil, err
				}
				k, err := x509.ParsePKCS8PrivateKey(plain)
				if err != nil {
					return nil, nil, fmt.Errorf("pfx key: %w", err)
				}
				rk, ok := k.(*rsa.PrivateKey)
				if !ok {
					return nil, nil, errors.New("pfx key is not RSA")
				}
				key = rk
			case b.ID.Equal(oidCertBag):
				var cb struct {
					ID    asn1.ObjectIdentifier
					Value []byte `asn1:"tag:0,explicit"`
				}
				if _, err := asn1.Unmarshal(b.Value.Bytes, &cb); err != nil {
					return nil, nil, err
				}
				c, err := x509.ParseCertificate(cb.Value)
				if err != nil {
					return nil, nil, err
				}
				if cert == nil || (key != nil && c.PublicKey.(*rsa.PublicKey).Equal(&key.PublicKey)) {
					cert = c
				}
			}
		}
	}
	if key == nil || cert == nil {
		return nil, nil, errors.New("pfx holds no key and certificate")
	}
	return key, cert, nil
}

var (
	oidData           = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	oidEncryptedData  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 6}
	oidShroudedKeyBag = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 10, 1, 2}
	oidCertBag        = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 10, 1, 3}
	oidSHA1And3DES    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 1, 3}
)

type contentInfo struct {
	ContentType asn1.ObjectIdentifier
	Content     asn1.RawValue `asn1:"tag:0,explicit,optional"`
}

type macData struct {
	Mac struct {
		Algorithm algorithm
		Digest    []byte
	}
	MacSalt    []byte
	Iterations int `asn1:"optional,default:1"`
}

type algorithm struct {
	Algorithm  asn1.ObjectIdentifier
	Parameters asn1.RawValue `asn1:"optional"`
}

type safeBag struct {
	ID         asn1.ObjectIdentifier
	Value      asn1.RawValue `asn1:"tag:0,explicit"`
	Attributes asn1.RawValue `asn1:"optional"`
}

// decrypt undoes pbeWithSHAAnd3-KeyTripleDES-CBC.
func decrypt(alg algorithm, data, pw []byte) ([]byte, error) {
	if !alg.Algorithm.Equal(oidSHA1And3DES) {
		return nil, fmt.Errorf("pfx: encryption %v is not pbeWithSHAAnd3-KeyTripleDES-CBC", alg.Algorithm)
	}
	var p struct {
		Salt       []byte
		Iterations int
	}
	if _, err := asn1.Unmarshal(alg.Parameters.FullBytes, &p); err != nil {
		return nil, err
	}
	block, err := des.NewTripleDESCipher(pbkdf(p.Salt, pw, p.Iterations, 1, 24))
	if err != nil {
		return nil, err
	}
	if len(data) == 0 || len(data)%8 != 0 {
		return nil, errors.New("pfx: bad ciphertext length")
	}
	out := make([]byte, len(data))
	cipher.NewCBCDecrypter(block, pbkdf(p.Salt, pw, p.Iterations, 2, 8)).CryptBlocks(out, data)
	pad := int(out[len(out)-1])
	if pad == 0 || pad > 8 || !bytes.Equal(out[len(out)-pad:], bytes.Repeat([]byte{byte(pad)}, pad)) {
		return nil, errors.New("pfx: wrong password (bad padding)")
	}
	return out[:len(out)-pad], nil
}

// bmpString is a password as PKCS#12 hashes it: UTF-16BE, two zero bytes.
func bmpString(s string) []byte {
	var b []byte
	for _, r := range utf16.Encode([]rune(s)) {
		b = append(b, byte(r>>8), byte(r))
	}
	return append(b, 0, 0)
}

// pbkdf is RFC 7292 appendix B.2 with SHA-1 (u = 20, v = 64).
func pbkdf(salt, pw []byte, iterations int, id byte, n int) []byte {
	const u, v = 20, 64
	fill := func(b []byte) []byte {
		if len(b) == 0 {
			return nil
		}
		out := make([]byte, v*((len(b)+v-1)/v))
		for i := range out {
			out[i] = b[i%len(b)]
		}
		return out
	}
	d := bytes.Repeat([]byte{id}, v)
	in := append(fill(salt), fill(pw)...)
	var out []byte
	one := big.NewInt(1)
	for len(out) < n {
		h := sha1.Sum(append(append([]byte{}, d...), in...))
		a := h[:]
		for i := 1; i < iterations; i++ {
			h = sha1.Sum(a)
			a = h[:]
		}
		out = append(out, a...)
		bb := new(big.Int).SetBytes(fill(a)[:v])
		for j := 0; j < len(in); j += v {
			x := new(big.Int).SetBytes(in[j : j+v])
			x.Add(x, bb).Add(x, one)
			xb := x.Bytes()
			if len(xb) > v {
				xb = xb[len(xb)-v:]
			}
			block := make([]byte, v)
			copy(block[v-len(xb):], xb)
			copy(in[j:j+v], block)
		}
	}
	return out[:n]
}
