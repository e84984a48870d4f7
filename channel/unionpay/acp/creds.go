package acp

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/sign"
)

// ChannelName keys the channel's entry in payment.App.Credentials.
const ChannelName = "unionpay"

// Credentials are what only UnionPay knows of a merchant (§3.3–§3.6): its
// signing certificate (certId = decimal serial), its PFX with password,
// its secure key for signMethod 11, the scheme its SDK is set up for, and
// the sandbox's chain it verifies answers with.
type Credentials struct {
	Version     string `json:"Version"`
	SignMethod  string `json:"SignMethod"`
	CertPEM     string `json:"CertPEM"`
	PFX         string `json:"PFX"` // base64
	PFXPassword string `json:"PFXPassword"`
	SecureKey   string `json:"SecureKey,omitempty"`
	RootPEM     string `json:"RootPEM"`
	MiddlePEM   string `json:"MiddlePEM"`
	SignCertPEM string `json:"SignCertPEM"`
	EncCertPEM  string `json:"EncCertPEM"`
}

// Merchant is a merchant's credentials decoded once (App.SetDecoded).
type Merchant struct {
	Credentials
	CertID     string         // the merchant's certId
	CertKey    *rsa.PublicKey // verifies its signMethod 01 requests
	SignCertID string         // the gateway's certId (5.0.0 answers)
	// SignCertCRLF is signPubKeyCert as 5.1.0 answers carry it: the PEM
	// with CRLF line breaks, ending at -----END CERTIFICATE----- (§2).
	SignCertCRLF string
	EncCertID    string
	// EncCertCRLF is encryptPubKeyCert (txnType 95, §5.8), same form.
	EncCertCRLF string
}

// Decode reads and checks an app's UnionPay credentials.
func Decode(app *payment.App) (*Merchant, error) {
	raw, ok := app.Credentials[ChannelName]
	if !ok {
		return nil, errors.New("no UnionPay credentials")
	}
	m := &Merchant{}
	if err := json.Unmarshal(raw, &m.Credentials); err != nil {
		return nil, fmt.Errorf("UnionPay credentials: %w", err)
	}
	switch m.Version {
	case V500, V510:
	default:
		return nil, fmt.Errorf("version %q: use 5.0.0 or 5.1.0", m.Version)
	}
	if m.SignMethod != MethodCert && m.SignMethod != MethodSecureKey {
		return nil, fmt.Errorf("signMethod %q: use 01 or 11", m.SignMethod)
	}
	if m.SignMethod == MethodSecureKey && m.SecureKey == "" {
		return nil, errors.New("signMethod 11 needs a secure key")
	}
	cert, err := first(m.CertPEM)
	if err != nil {
		return nil, fmt.Errorf("merchant certificate: %w", err)
	}
	pub, ok := cert.PublicKey.(*rsa.PublicKey)
	if !ok {
		return nil, errors.New("merchant certificate without an RSA key")
	}
	m.CertID, m.CertKey = cert.SerialNumber.String(), pub
	signCert, err := first(m.SignCertPEM)
	if err != nil {
		return nil, fmt.Errorf("signing certificate: %w", err)
	}
	encCert, err := first(m.EncCertPEM)
	if err != nil {
		return nil, fmt.Errorf("encryption certificate: %w", err)
	}
	m.SignCertID, m.EncCertID = signCert.SerialNumber.String(), encCert.SerialNumber.String()
	m.SignCertCRLF, m.EncCertCRLF = CRLF(m.SignCertPEM), CRLF(m.EncCertPEM)
	return m, nil
}

func first(p string) (*x509.Certificate, error) {
	certs, err := sign.ParseCertificates(p)
	if err != nil {
		return nil, err
	}
	return certs[0], nil
}

// CRLF is a PEM with CRLF line breaks and nothing after its END line.
func CRLF(pemText string) string {
	s := strings.TrimSpace(strings.ReplaceAll(pemText, "\r\n", "\n"))
	return strings.ReplaceAll(s, "\n", "\r\n")
}

// Of is an app's decoded merchant (kept by the channel's Check), or nil.
func Of(app *payment.App) *Merchant {
	if v, ok := app.Decoded(ChannelName); ok {
		if m, ok := v.(*Merchant); ok {
			return m
		}
	}
	return nil
}

// Scheme is how one message is signed: its version and signMethod.
type Scheme struct{ Version, SignMethod, Encoding string }

// SchemeOf reads a message's scheme.
func SchemeOf(f Fields) Scheme {
	return Scheme{Version: f["version"], SignMethod: f["signMethod"], Encoding: f["encoding"]}
}

// Sign completes f for the scheme and signs it as the gateway (§3): 5.1.0
// certificate answers carry signPubKeyCert, 5.0.0 ones the gateway's
// certId, secure-key ones neither. key is the gateway's signing key.
func (m *Merchant) Sign(f Fields, s Scheme, key *rsa.PrivateKey) error {
	f["version"], f["encoding"] = s.Version, s.Encoding
	// Empty fields are never sent (§2), so they are not signed either.
	for k, v := range f {
		if v == "" {
			delete(f, k)
		}
	}
	delete(f, "certId")
	delete(f, "signPubKeyCert")
	delete(f, "signature")
	if s.SignMethod == MethodSecureKey && m.SecureKey != "" {
		f["signMethod"] = MethodSecureKey
		content, err := Encode(s.Encoding, Canonical(f))
		if err != nil {
			return err
		}
		f["signature"] = SignSecureKey(content, m.SecureKey)
		return nil
	}
	f["signMethod"] = MethodCert
	if s.Version == V500 {
		f["certId"] = m.SignCertID
	} else {
		f["signPubKeyCert"] = m.SignCertCRLF
	}
	content, err := Encode(s.Encoding, Canonical(f))
	if err != nil {
		return err
	}
	sig, err := SignRSA(key, s.Version, content)
	f["signature"] = sig
	return err
}

// Verify checks a merchant's request (§8 item 1): signMethod 01 by the
// certId of its certificate, 11 by its secure key.
func (m *Merchant) Verify(f Fields) error {
	content, err := Encode(f["encoding"], Canonical(f))
	if err != nil {
		return err
	}
	switch f["signMethod"] {
	case MethodCert:
		if f["certId"] != m.CertID {
			return fmt.Errorf("%w: certId %q is not the merchant's certificate (%s)", ErrSignature, f["certId"], m.CertID)
		}
		return VerifyRSA(m.CertKey, f["version"], content, f["signature"])
	case MethodSecureKey:
		if m.SecureKey == "" {
			return fmt.Errorf("%w: the merchant has no secure key", ErrSignature)
		}
		return VerifySecureKey(content, m.SecureKey, f["signature"])
	}
	return fmt.Errorf("%w: signMethod %q", ErrSignature, f["signMethod"])
}
