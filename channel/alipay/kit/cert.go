package kit

import (
	"crypto/rsa"
	"fmt"
	"time"

	"github.com/mockpay/mockpay/sign"
)

// AppCert is the material of an app in certificate mode (alipay-protocol.md
// §2.4): the app's public key and the platform's, each in a certificate
// issued by the sandbox CA, and the root bundle. Requests must name the
// app certificate and the root bundle by SN; responses name the platform
// certificate.
type AppCert struct {
	AppCertPEM      string `json:"AppCertPEM"`      // appCertPublicKey_<app_id>.crt
	PlatformCertPEM string `json:"PlatformCertPEM"` // alipayCertPublicKey_RSA2.crt
	RootCertPEM     string `json:"RootCertPEM"`     // alipayRootCert.crt

	appSN, platformSN, rootSN string
	notBefore, notAfter       time.Time
}

// Prepare computes the SNs and checks that the certificates hold the app's
// keys.
func (c *AppCert) Prepare(appPublic *rsa.PublicKey, platformPrivate *rsa.PrivateKey) error {
	appCerts, err := sign.ParseCertificates(c.AppCertPEM)
	if err != nil {
		return fmt.Errorf("app certificate: %w", err)
	}
	platformCerts, err := sign.ParseCertificates(c.PlatformCertPEM)
	if err != nil {
		return fmt.Errorf("platform certificate: %w", err)
	}
	appCert, platformCert := appCerts[0], platformCerts[0]
	if k, ok := appCert.PublicKey.(*rsa.PublicKey); !ok || !k.Equal(appPublic) {
		return fmt.Errorf("the app certificate does not hold the app public key")
	}
	if k, ok := platformCert.PublicKey.(*rsa.PublicKey); !ok || !k.Equal(&platformPrivate.PublicKey) {
		return fmt.Errorf("the platform certificate does not hold the platform key")
	}
	if c.rootSN, err = sign.RootCertSN(c.RootCertPEM); err != nil {
		return fmt.Errorf("root bundle: %w", err)
	}
	c.appSN, c.platformSN = sign.CertSN(appCert), sign.CertSN(platformCert)
	c.notBefore, c.notAfter = appCert.NotBefore, appCert.NotAfter
	return nil
}

// AppCertSN is the app_cert_sn requests must carry.
func (c *AppCert) AppCertSN() string { return c.appSN }

// PlatformCertSN is the alipay_cert_sn responses carry.
func (c *AppCert) PlatformCertSN() string { return c.platformSN }

// RootCertSN is the alipay_root_cert_sn requests must carry.
func (c *AppCert) RootCertSN() string { return c.rootSN }

// ValidAt reports whether the app certificate is valid at t.
func (c *AppCert) ValidAt(t time.Time) bool {
	return !t.Before(c.notBefore) && !t.After(c.notAfter)
}
