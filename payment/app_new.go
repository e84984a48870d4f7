package payment

import (
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"math/big"

	"github.com/mockpay/mockpay/sign"
)

// AppSpec is what a developer asks for when creating a sandbox app.
type AppSpec struct {
	Name     string
	SignType sign.Type
	// AppPublicKeyPEM, when set, registers the merchant's own key; mockpay
	// then holds no app private key. Otherwise a key pair is generated.
	AppPublicKeyPEM string
}

// sandboxKeyBits is the size Alipay's key tool generates.
const sandboxKeyBits = 2048

// NewSandboxApp creates an app with fresh ids (16-digit app_id, a 2088 pid
// of its own so its trades never mix with another app's) and a fresh
// platform key pair.
func NewSandboxApp(spec AppSpec, taken func(appID string) bool) (*App, error) {
	if spec.SignType == "" {
		spec.SignType = sign.RSA2
	}
	if _, err := sign.ParseType(string(spec.SignType)); err != nil {
		return nil, Errorf(CodeInvalidParameter, "sign_type %q: use RSA2 or RSA", spec.SignType)
	}
	app := &App{Name: spec.Name, SignType: spec.SignType}
	for {
		app.AppID = "2021" + randomDigits(12)
		if !taken(app.AppID) {
			break
		}
	}
	app.PID = "2088" + randomDigits(12)
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
			return nil, Errorf(CodeInvalidParameter, "app_public_key_pem: %v", err)
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

func randomDigits(n int) string {
	b := make([]byte, n)
	ten := big.NewInt(10)
	for i := range b {
		d, err := rand.Int(rand.Reader, ten)
		if err != nil {
			panic(err) // crypto/rand never fails on supported platforms
		}
		b[i] = byte('0' + d.Int64())
	}
	return string(b)
}
