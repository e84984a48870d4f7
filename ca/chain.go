package ca

import (
	"crypto"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"math/big"

	"github.com/mockpay/mockpay/sign"
)

// Spec is a certificate whose serial and uses the platform prescribes: the
// UnionPay chain (unionpay-protocol.md §3.5) has an intermediate CA under
// the root and leaves whose decimal serial is the certId merchants look up.
// Issue's certificates keep their own rules; Spec only adds.
type Spec struct {
	Serial  *big.Int
	Subject pkix.Name
	// CA makes an intermediate (CA:TRUE, keyCertSign), else a leaf.
	CA bool
	// KeyUsage and ExtKeyUsage of a leaf; an intermediate gets keyCertSign
	// and cRLSign.
	KeyUsage    x509.KeyUsage
	ExtKeyUsage []x509.ExtKeyUsage
}

// IssueSpec certifies pub as spec says, signed with SHA-256 (Go refuses
// SHA-1 chains, §3.5), valid from NotBefore to NotAfter like every
// certificate mockpay issues.
func (a *Authority) IssueSpec(pub *rsa.PublicKey, spec Spec) (string, error) {
	if err := checkName(spec.Subject); err != nil {
		return "", err
	}
	if spec.Serial == nil || spec.Serial.Sign() <= 0 {
		return "", errors.New("a certificate needs a positive serial")
	}
	tmpl := &x509.Certificate{
		SerialNumber:       spec.Serial,
		Subject:            spec.Subject,
		NotBefore:          NotBefore,
		NotAfter:           NotAfter,
		SignatureAlgorithm: x509.SHA256WithRSA,
		KeyUsage:           spec.KeyUsage,
		ExtKeyUsage:        spec.ExtKeyUsage,
	}
	if spec.CA {
		tmpl.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageCRLSign
		tmpl.ExtKeyUsage = nil
		tmpl.BasicConstraintsValid, tmpl.IsCA = true, true
	}
	return create(tmpl, a.Cert, pub, a.key)
}

// Intermediate is an intermediate CA (IssueSpec with CA) and its key as an
// Authority that issues under it. Its bundle is its own certificate.
func Intermediate(certPEM string, key crypto.Signer) (*Authority, error) {
	certs, err := sign.ParseCertificates(certPEM)
	if err != nil {
		return nil, fmt.Errorf("intermediate certificate: %w", err)
	}
	c := certs[0]
	if !c.IsCA {
		return nil, errors.New("the intermediate certificate is not a CA")
	}
	pub, ok := c.PublicKey.(*rsa.PublicKey)
	priv, isRSA := key.(*rsa.PrivateKey)
	if !ok || !isRSA || !pub.Equal(&priv.PublicKey) {
		return nil, errors.New("the intermediate key does not match its certificate")
	}
	return &Authority{Cert: c, key: key, BundlePEM: certPEM}, nil
}
