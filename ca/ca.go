// Package ca is mockpay's certificate authority for Alipay's certificate
// mode (alipay-protocol.md §2.4): it issues each cert-mode app's
// certificate and the platform's certificate from a sandbox root. Names use
// only C, O, OU and CN, the attributes every SDK renders alike when it
// computes a certificate's SN.
package ca

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/mockpay/mockpay/sign"
)

// Validity of every certificate mockpay issues: fixed, so that issuing the
// same certificate twice gives the same bytes and SN, and wide, so that
// neither real nor virtual time leaves it (isv.app-cert-expired).
var (
	NotBefore = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	NotAfter  = time.Date(2049, 12, 31, 0, 0, 0, 0, time.UTC)
)

// Authority is a root certificate and its key.
type Authority struct {
	Cert *x509.Certificate
	key  crypto.Signer
	// BundlePEM is the root bundle merchants load (alipayRootCert.crt): the
	// roots in file order, an ECC one first as in real bundles (§2.4).
	BundlePEM string
	// usage is the extended key usage of the certificates it issues: none
	// for the fixtures' CA (its committed chain stays as it is), document
	// signing only for the local CA's (Local.Certifier).
	usage []asn1.ObjectIdentifier
}

// Load reads a root certificate with its RSA private key, and the bundle
// that names it.
func Load(certPEM, keyPEM, bundlePEM string) (*Authority, error) {
	certs, err := sign.ParseCertificates(certPEM)
	if err != nil {
		return nil, fmt.Errorf("root certificate: %w", err)
	}
	key, err := sign.ParsePrivateKey(keyPEM)
	if err != nil {
		return nil, fmt.Errorf("root key: %w", err)
	}
	root := certs[0]
	pub, ok := root.PublicKey.(*rsa.PublicKey)
	if !ok || !pub.Equal(&key.PublicKey) {
		return nil, errors.New("the root key does not match the root certificate")
	}
	if err := checkName(root.Subject); err != nil {
		return nil, fmt.Errorf("root certificate: %w", err)
	}
	bundle, err := sign.ParseCertificates(bundlePEM)
	if err != nil {
		return nil, fmt.Errorf("root bundle: %w", err)
	}
	found := false
	for _, c := range bundle {
		found = found || c.Equal(root)
	}
	if !found {
		return nil, errors.New("the root bundle does not hold the root certificate")
	}
	return &Authority{Cert: root, key: key, BundlePEM: bundlePEM}, nil
}

// SelfSigned makes a root certificate for key (used to create the fixture
// CA; mockpay itself only loads it).
func SelfSigned(key crypto.Signer, subject pkix.Name, serial int64) (string, error) {
	if err := checkName(subject); err != nil {
		return "", err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(serial),
		Subject:               subject,
		NotBefore:             NotBefore,
		NotAfter:              NotAfter,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	return create(tmpl, tmpl, key.Public(), key)
}

// Issue certifies pub under subject. The serial is derived from the
// subject, so issuing again gives the same certificate: RSA PKCS#1 v1.5
// signatures are deterministic.
func (a *Authority) Issue(pub *rsa.PublicKey, subject pkix.Name) (string, error) {
	if err := checkName(subject); err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte(subject.String()))
	tmpl := &x509.Certificate{
		SerialNumber:       new(big.Int).SetBytes(sum[:12]),
		Subject:            subject,
		NotBefore:          NotBefore,
		NotAfter:           NotAfter,
		KeyUsage:           x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		UnknownExtKeyUsage: a.usage,
	}
	return create(tmpl, a.Cert, pub, a.key)
}

func create(tmpl, parent *x509.Certificate, pub any, key crypto.Signer) (string, error) {
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, key)
	if err != nil {
		return "", err
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})), nil
}

// checkName refuses attributes other than C, O, OU and CN (one value each),
// whose rendering differs between SDKs (§2.4).
func checkName(n pkix.Name) error {
	if len(n.Country) > 1 || len(n.Organization) > 1 || len(n.OrganizationalUnit) > 1 || n.CommonName == "" ||
		len(n.Locality) > 0 || len(n.Province) > 0 || len(n.StreetAddress) > 0 || len(n.PostalCode) > 0 ||
		n.SerialNumber != "" || len(n.ExtraNames) > 0 {
		return fmt.Errorf("name %q: use only C, O, OU and CN, once each", n.String())
	}
	return nil
}

// AppSubject and PlatformSubject name a cert-mode app's certificate and its
// "Alipay public key" certificate.
func AppSubject(appName, appID string) pkix.Name {
	return pkix.Name{Country: []string{"CN"}, Organization: []string{appName},
		OrganizationalUnit: []string{"Alipay Open Platform sandbox app"}, CommonName: appID}
}

// PlatformSubject: see AppSubject.
func PlatformSubject(appID string) pkix.Name {
	return pkix.Name{Country: []string{"CN"}, Organization: []string{"mockpay"},
		OrganizationalUnit: []string{"Alipay Open Platform sandbox"}, CommonName: "Alipay public key for " + appID}
}

// IssueSerial certifies pub under subject with the given serial number, for
// platforms whose SDKs name a certificate by its serial rather than by an
// SN of issuer and serial (a WeChat Pay merchant's API certificate and its
// platform certificate: the caller picks a serial of the shape the SDKs
// render alike).
func (a *Authority) IssueSerial(pub *rsa.PublicKey, subject pkix.Name, serial *big.Int) (string, error) {
	if err := checkName(subject); err != nil {
		return "", err
	}
	tmpl := &x509.Certificate{
		SerialNumber:       serial,
		Subject:            subject,
		NotBefore:          NotBefore,
		NotAfter:           NotAfter,
		KeyUsage:           x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		UnknownExtKeyUsage: a.usage,
	}
	return create(tmpl, a.Cert, pub, a.key)
}
