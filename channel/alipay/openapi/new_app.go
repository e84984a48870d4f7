package openapi

import (
	"crypto/rand"
	"crypto/rsa"
	"fmt"

	"github.com/mockpay/mockpay/ca"
	"github.com/mockpay/mockpay/channel/alipay/kit"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/sign"
)

// sandboxKeyBits is the size Alipay's key tool generates.
const sandboxKeyBits = 2048

// Apps creates sandbox apps; Certifier, when set, is the CA of those in
// certificate mode (mockpay's local CA), or why there is none.
type Apps struct {
	Certifier func() (*ca.Authority, error)
}

// New creates an app with fresh ids (16-digit app_id, a 2088 pid
// of its own so its trades never mix with another app's) and a fresh
// platform key pair.
func (m Apps) New(spec payment.AppSpec, taken func(appID string) bool) (*payment.App, error) {
	if spec.SignType == "" {
		spec.SignType = sign.RSA2
	}
	if _, err := sign.ParseType(string(spec.SignType)); err != nil {
		return nil, payment.Errorf(payment.CodeInvalidParameter, "sign_type %q: use RSA2 or RSA", spec.SignType)
	}
	app := &payment.App{Name: spec.Name, SignType: spec.SignType}
	for {
		app.AppID = "2021" + kit.Digits(12)
		if !taken(app.AppID) {
			break
		}
	}
	app.PID = "2088" + kit.Digits(12)
	app.SellerEmail = fmt.Sprintf("seller-%s@sandbox.mockpay.local", app.PID[len(app.PID)-6:])
	if app.Name == "" {
		app.Name = "sandbox app " + app.AppID
	}
	platform, err := rsa.GenerateKey(rand.Reader, sandboxKeyBits)
	if err != nil {
		return nil, err
	}
	app.PlatformPrivateKeyPEM = sign.PKCS1PrivatePEM(platform)
	app.PlatformPublicKeyPEM = sign.PublicPEM(&platform.PublicKey)
	if spec.AppPublicKeyPEM != "" {
		pub, err := sign.ParsePublicKey(spec.AppPublicKeyPEM)
		if err != nil {
			return nil, payment.Errorf(payment.CodeInvalidParameter, "app_public_key_pem: %v", err)
		}
		app.AppPublicKeyPEM = sign.PublicPEM(pub)
	} else {
		key, err := rsa.GenerateKey(rand.Reader, sandboxKeyBits)
		if err != nil {
			return nil, err
		}
		app.AppPrivateKeyPEM = sign.PKCS1PrivatePEM(key)
		app.AppPrivateKeyPKCS8PEM = sign.PKCS8PrivatePEM(key)
		app.AppPublicKeyPEM = sign.PublicPEM(&key.PublicKey)
	}
	var creds kit.Credentials
	if spec.ContentKey {
		// 接口内容加密 (encrypt_type=AES): the key the SDKs' encryptKey /
		// SetEncryptKey options take.
		creds.AESKey = kit.NewAESKey()
	}
	if spec.Certificates {
		if creds.Cert, err = m.certify(app, &platform.PublicKey); err != nil {
			return nil, err
		}
	}
	if creds != (kit.Credentials{}) {
		kit.SetCreds(app, creds)
	}
	return app, app.Prepare()
}

// certify issues a certificate-mode app's certificate and its platform
// certificate under mockpay's CA (§2.4); they are stored with the app's
// credentials, so a restart keeps them and their SNs.
func (m Apps) certify(app *payment.App, platform *rsa.PublicKey) (*kit.AppCert, error) {
	if m.Certifier == nil {
		return nil, payment.Errorf(payment.CodeInvalidParameter, "key_mode certificate: this mockpay has no CA to issue certificates with")
	}
	authority, err := m.Certifier()
	if err != nil {
		return nil, payment.Errorf(payment.CodeInvalidParameter, "key_mode certificate: %v", err)
	}
	appPub, err := sign.ParsePublicKey(app.AppPublicKeyPEM)
	if err != nil {
		return nil, err
	}
	appCert, err := authority.Issue(appPub, ca.AppSubject(app.Name, app.AppID))
	if err != nil {
		return nil, payment.Errorf(payment.CodeInvalidParameter, "key_mode certificate: %v", err)
	}
	platformCert, err := authority.Issue(platform, ca.PlatformSubject(app.AppID))
	if err != nil {
		return nil, err
	}
	return &kit.AppCert{AppCertPEM: appCert, PlatformCertPEM: platformCert, RootCertPEM: authority.BundlePEM}, nil
}
