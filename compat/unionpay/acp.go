// Package unionpay is a UnionPay ACP merchant written from the protocol
// description (unionpay-protocol.md §2–§3), with the official SDK's
// algorithms: blank fields dropped, keys sorted (TreeMap), values joined
// raw; SHA-1 / SHA-256 hex digests signed again with RSA (5.0.0 / 5.1.0);
// the secure-key scheme (signMethod 11); answers verified by the certId
// lookup of the 5.0.0 validateCert directory, or for 5.1.0 by the chain of
// signPubKeyCert to the configured root and middle and the owner check on
// its CN (CertUtil.verifyCertificate). It uses only the standard library:
// no UnionPay client can be installed here (§9), so this is the judge.
package unionpay

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
)

// Config is what acp_sdk.properties holds.
type Config struct {
	Version    string // acpsdk.version
	SignMethod string // acpsdk.signMethod
	MerID      string
	SignKey    *rsa.PrivateKey   // from acpsdk.signCert.path (the PFX)
	SignCert   *x509.Certificate // its certificate: certId
	SecureKey  string            // acpsdk.secureKey
	Root       *x509.Certificate // acpsdk.rootCert.path
	Middle     *x509.Certificate // acpsdk.middleCert.path
	// ValidateCerts is acpsdk.validateCert.dir read into a map by decimal
	// serial (CertUtil.initValidateCertFromDir, 5.0.0).
	ValidateCerts map[string]*x509.Certificate
	// IfValidateCNName is acpsdk.ifValidateCNName (default true).
	IfValidateCNName bool
}

// CertID is a certificate's certId: its serial in decimal (§3.3).
func CertID(c *x509.Certificate) string { return c.SerialNumber.String() }

// ParseCert reads a .cer file (PEM or DER).
func ParseCert(b []byte) (*x509.Certificate, error) {
	if p, _ := pem.Decode(b); p != nil {
		b = p.Bytes
	}
	return x509.ParseCertificate(b)
}

// CoverMap2String is SDKUtil.coverMap2String: every field but signature,
// sorted, k=v joined by &.
func CoverMap2String(f map[string]string) string {
	keys := make([]string, 0, len(f))
	for k := range f {
		if k != "signature" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + f[k]
	}
	return strings.Join(parts, "&")
}

func hexHash(version, s string) (crypto.Hash, []byte) {
	if version == "5.0.0" {
		h := sha1.Sum([]byte(s))
		d := sha1.Sum([]byte(hex.EncodeToString(h[:])))
		return crypto.SHA1, d[:]
	}
	h := sha256.Sum256([]byte(s))
	d := sha256.Sum256([]byte(hex.EncodeToString(h[:])))
	return crypto.SHA256, d[:]
}

func secureKeySign(s, key string) string {
	k := sha256.Sum256([]byte(key))
	h := sha256.Sum256([]byte(s + "&" + hex.EncodeToString(k[:])))
	return hex.EncodeToString(h[:])
}

// Sign is AcpService.sign: blank fields dropped and values trimmed
// (filterBlank), certId added for signMethod 01, then the signature.
func (c *Config) Sign(in map[string]string) (map[string]string, error) {
	f := map[string]string{}
	for k, v := range in {
		if v = strings.TrimSpace(v); v != "" {
			f[k] = v
		}
	}
	f["version"], f["signMethod"], f["encoding"], f["merId"] = c.Version, c.SignMethod, "UTF-8", c.MerID
	if c.SignMethod == "11" {
		delete(f, "certId")
		f["signature"] = secureKeySign(CoverMap2String(f), c.SecureKey)
		return f, nil
	}
	f["certId"] = CertID(c.SignCert)
	h, d := hexHash(c.Version, CoverMap2String(f))
	sig, err := rsa.SignPKCS1v15(nil, c.SignKey, h, d)
	if err != nil {
		return nil, err
	}
	f["signature"] = base64.StdEncoding.EncodeToString(sig)
	return f, nil
}

// Validate is AcpService.validate of a gateway message (§3.4).
func (c *Config) Validate(f map[string]string) error {
	s := CoverMap2String(f)
	if f["signMethod"] == "11" {
		if !strings.EqualFold(secureKeySign(s, c.SecureKey), f["signature"]) {
			return errors.New("secure-key signature does not verify")
		}
		return nil
	}
	sig, err := base64.StdEncoding.DecodeString(f["signature"])
	if err != nil {
		return fmt.Errorf("signature is not Base64: %w", err)
	}
	var cert *x509.Certificate
	if f["version"] == "5.0.0" {
		if cert = c.ValidateCerts[f["certId"]]; cert == nil {
			return fmt.Errorf("no certificate of certId %q in the validateCert dir", f["certId"])
		}
	} else if cert, err = c.verifySignPubKeyCert(f["signPubKeyCert"]); err != nil {
		return err
	}
	return verifyRSA(cert, f["version"], s, sig)
}

// validateWith checks a 01 signature with a given certificate.
func (c *Config) validateWith(f map[string]string, cert *x509.Certificate) error {
	sig, err := base64.StdEncoding.DecodeString(f["signature"])
	if err != nil {
		return err
	}
	return verifyRSA(cert, f["version"], CoverMap2String(f), sig)
}

func verifyRSA(cert *x509.Certificate, version, s string, sig []byte) error {
	h, d := hexHash(version, s)
	if err := rsa.VerifyPKCS1v15(cert.PublicKey.(*rsa.PublicKey), h, d, sig); err != nil {
		return errors.New("RSA signature does not verify")
	}
	return nil
}

// verifySignPubKeyCert is CertUtil.verifyCertificate: validity, the PKIX
// chain to the root through the middle, and the owner check on the CN.
func (c *Config) verifySignPubKeyCert(p string) (*x509.Certificate, error) {
	cert, err := ParseCert([]byte(p))
	if err != nil {
		return nil, fmt.Errorf("signPubKeyCert: %w", err)
	}
	roots, inter := x509.NewCertPool(), x509.NewCertPool()
	roots.AddCert(c.Root)
	inter.AddCert(c.Middle)
	inter.AddCert(c.Root)
	if _, err := cert.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}); err != nil {
		return nil, fmt.Errorf("signPubKeyCert chain: %w", err)
	}
	parts := strings.Split(cert.Subject.CommonName, "@")
	if len(parts) < 3 {
		return nil, fmt.Errorf("signPubKeyCert CN %q has fewer than 3 @-parts", cert.Subject.CommonName)
	}
	if parts[2] != "中国银联股份有限公司" && (c.IfValidateCNName || parts[2] != "00040000:SIGN") {
		return nil, fmt.Errorf("signPubKeyCert CN %q: not UnionPay's", cert.Subject.CommonName)
	}
	return cert, nil
}

// ParseQString is SDKUtil.parseQString: a synchronous answer split on the
// top-level & only ({…} and […] values kept whole), the first = of each
// pair, values raw (§2).
func ParseQString(body string) map[string]string {
	body = strings.TrimSpace(body)
	if strings.HasPrefix(body, "{") && strings.HasSuffix(body, "}") {
		body = body[1 : len(body)-1]
	}
	f := map[string]string{}
	depth, start := 0, 0
	for i := 0; i <= len(body); i++ {
		if i < len(body) {
			switch body[i] {
			case '{', '[':
				depth++
			case '}', ']':
				depth--
			}
			if body[i] != '&' || depth > 0 {
				continue
			}
		}
		if k, v, ok := strings.Cut(body[start:i], "="); ok {
			f[k] = v
		}
		start = i + 1
	}
	return f
}

// Form is a notification body as a servlet's getParameter reads it.
func Form(body string) (map[string]string, error) {
	q, err := url.ParseQuery(body)
	if err != nil {
		return nil, err
	}
	f := map[string]string{}
	for k := range q {
		f[k] = q.Get(k)
	}
	return f, nil
}

// Encode is the form body the SDK posts (values URL-encoded).
func Encode(f map[string]string) string {
	v := url.Values{}
	for k, val := range f {
		v.Set(k, val)
	}
	return v.Encode()
}
