package v3

import (
	"crypto/rand"
	"crypto/rsa"
	"fmt"

	"github.com/mockpay/mockpay/ca"
	"github.com/mockpay/mockpay/channel/wechatpay/kit"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/sign"
)

// CheckMerchant refuses a merchant whose credentials the platform could
// not have issued, and keeps them decoded on the app.
func CheckMerchant(app *payment.App) error {
	_, err := kit.DecodeCreds(app)
	return err
}

// Merchants creates sandbox merchants; Certifier is the CA their
// certificates come from (mockpay's local CA).
type Merchants struct {
	Certifier func() (*ca.Authority, error)
}

// New creates a merchant: a fresh mchid, appid and keys, its API
// certificate issued by mockpay's CA, and a platform certificate
// (spec.Certificates, or by default) or a platform public key.
func (m Merchants) New(spec payment.AppSpec, taken func(appID string) bool) (*payment.App, error) {
	if m.Certifier == nil {
		return nil, payment.Errorf(payment.CodeUnsupportedOperation, "this mockpay has no CA to issue merchant certificates with")
	}
	authority, err := m.Certifier()
	if err != nil {
		return nil, payment.Errorf(payment.CodeInvalidParameter, "merchant certificate: %v", err)
	}
	app := &payment.App{Name: spec.Name, SignType: sign.RSA2, Speaks: kit.ProtocolV3, RefundWindow: spec.RefundWindow}
	for {
		app.AppID = "19" + kit.Digits(8)
		if !taken(app.AppID) {
			break
		}
	}
	app.PID = app.AppID
	if app.Name == "" {
		app.Name = "sandbox merchant " + app.AppID
	}
	merchant, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	platform, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	app.AppPrivateKeyPKCS8PEM, app.AppPrivateKeyPEM = sign.PKCS8PrivatePEM(merchant), sign.PKCS1PrivatePEM(merchant)
	app.AppPublicKeyPEM = sign.PublicPEM(&merchant.PublicKey)
	app.PlatformPrivateKeyPEM, app.PlatformPublicKeyPEM = sign.PKCS1PrivatePEM(platform), sign.PublicPEM(&platform.PublicKey)
	c := kit.Credentials{MchID: app.AppID, AppID: "wx" + hex16(), APIv3Key: kit.Token(32), APIv2Key: kit.Token(32)}
	if c.MerchantCertificatePEM, err = authority.IssueSerial(&merchant.PublicKey, kit.MerchantSubject(app.AppID, app.Name), kit.NewSerial()); err != nil {
		return nil, err
	}
	if spec.Certificates {
		c.PlatformKeyMode = kit.ModeCertificate
		if c.PlatformCertificatePEM, err = authority.IssueSerial(&platform.PublicKey, kit.PlatformSubject(app.AppID), kit.NewSerial()); err != nil {
			return nil, err
		}
	} else {
		c.PlatformKeyMode = kit.ModePublicKey
		c.PlatformPublicKeyID = "PUB_KEY_ID_01" + app.AppID + kit.Digits(22)
	}
	kit.SetCreds(app, c)
	return app, app.Prepare()
}

func hex16() string {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return fmt.Sprintf("%x", b)
}
