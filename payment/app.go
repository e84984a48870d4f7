package payment

import (
	"crypto/rsa"
	"fmt"

	"github.com/mockpay/mockpay/sign"
)

// App is a merchant application registered with the sandbox platform,
// together with the platform key pair that signs what mockpay sends it.
type App struct {
	AppID       string    `json:"AppID"`
	Name        string    `json:"Name"`
	PID         string    `json:"PID"` // the merchant's id on the platform (Alipay's partner id, seller_id)
	SellerEmail string    `json:"SellerEmail"`
	SignType    sign.Type `json:"SignType"` // the algorithm the app's public key is registered for

	AppPublicKeyPEM       string `json:"AppPublicKeyPEM"`
	AppPrivateKeyPEM      string `json:"AppPrivateKeyPEM"` // PKCS#1; kept only so the sandbox can show test keys
	AppPrivateKeyPKCS8PEM string `json:"AppPrivateKeyPKCS8PEM"`
	PlatformPublicKeyPEM  string `json:"PlatformPublicKeyPEM"`
	PlatformPrivateKeyPEM string `json:"PlatformPrivateKeyPEM"`
	// Cert is set for an app in certificate mode (§2.4).
	Cert *AppCert `json:"Cert,omitempty"`
	// Legacy is set for a partner of the legacy MAPI gateway (§1).
	Legacy *LegacyPartner `json:"Legacy,omitempty"`

	appPublic       *rsa.PublicKey
	platformPrivate *rsa.PrivateKey
}

// Prepare parses the keys once, so no request pays for PEM decoding.
func (a *App) Prepare() error {
	if a.Legacy != nil && a.SignType == sign.MD5Type {
		return nil // an MD5 partner has no RSA keys
	}
	pub, err := sign.ParsePublicKey(a.AppPublicKeyPEM)
	if err != nil {
		return fmt.Errorf("app %s: app public key: %w", a.AppID, err)
	}
	priv, err := sign.ParsePrivateKey(a.PlatformPrivateKeyPEM)
	if err != nil {
		return fmt.Errorf("app %s: platform private key: %w", a.AppID, err)
	}
	if _, err := sign.ParseType(string(a.SignType)); err != nil {
		return fmt.Errorf("app %s: %w", a.AppID, err)
	}
	if a.Cert != nil {
		if err := a.Cert.prepare(pub, priv); err != nil {
			return fmt.Errorf("app %s: %w", a.AppID, err)
		}
	}
	a.appPublic, a.platformPrivate = pub, priv
	return nil
}

// AppPublicKey verifies the merchant's requests.
func (a *App) AppPublicKey() *rsa.PublicKey { return a.appPublic }

// PlatformPrivateKey signs responses, returns and notifications.
func (a *App) PlatformPrivateKey() *rsa.PrivateKey { return a.platformPrivate }
