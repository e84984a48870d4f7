package payment

import (
	"crypto/rsa"
	"encoding/json"
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
	// Speaks is the wire protocol the app is registered for: its
	// channel's rules, views and returns are that protocol's.
	Speaks Protocol `json:"Protocol,omitempty"`
	// Credentials hold what only one platform knows of a merchant (Alipay's
	// certificates and MAPI MD5 key, WeChat Pay's APIv3 key and serials…),
	// keyed by channel name, in the channel's own JSON. The channel
	// decodes its entry once, when it checks the app, and keeps the result
	// with SetDecoded.
	Credentials map[string]json.RawMessage `json:"Credentials,omitempty"`

	appPublic       *rsa.PublicKey
	platformPrivate *rsa.PrivateKey
	decoded         map[string]any
}

// Protocol is the protocol the app speaks.
func (a *App) Protocol() Protocol { return a.Speaks }

// SetDecoded keeps a channel's decoded credentials. It is called before the
// app is registered (the channel's check, through Registry.Put): the
// registry's lock publishes it with the app, so readers need no lock of
// their own.
func (a *App) SetDecoded(channel string, v any) {
	if a.decoded == nil {
		a.decoded = map[string]any{}
	}
	a.decoded[channel] = v
}

// Decoded is what SetDecoded kept for channel.
func (a *App) Decoded(channel string) (any, bool) {
	v, ok := a.decoded[channel]
	return v, ok
}

// Prepare parses the keys once, so no request pays for PEM decoding.
func (a *App) Prepare() error {
	if a.SignType == sign.MD5Type {
		return nil // an app that signs with a shared MD5 key has no RSA keys
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
	a.appPublic, a.platformPrivate = pub, priv
	return nil
}

// AppPublicKey verifies the merchant's requests.
func (a *App) AppPublicKey() *rsa.PublicKey { return a.appPublic }

// PlatformPrivateKey signs responses, returns and notifications.
func (a *App) PlatformPrivateKey() *rsa.PrivateKey { return a.platformPrivate }
