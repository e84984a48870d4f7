package openapi

import (
	"crypto/rand"
	"crypto/rsa"
	"fmt"

	"github.com/mockpay/mockpay/channel/alipay/kit"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/sign"
)

// sandboxKeyBits is the size Alipay's key tool generates.
const sandboxKeyBits = 2048

// NewApp creates an app with fresh ids (16-digit app_id, a 2088 pid
// of its own so its trades never mix with another app's) and a fresh
// platform key pair.
func NewApp(spec payment.AppSpec, taken func(appID string) bool) (*payment.App, error) {
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
	return app, app.Prepare()
}
