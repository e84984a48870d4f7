package payment

import "github.com/mockpay/mockpay/sign"

// AppSpec is what a developer asks for when creating a sandbox app; the
// channel whose protocol creates apps gives it ids and keys of its shape
// (channel.Protocol.NewApp).
type AppSpec struct {
	Name     string
	SignType sign.Type
	// AppPublicKeyPEM, when set, registers the merchant's own key; mockpay
	// then holds no app private key. Otherwise a key pair is generated.
	AppPublicKeyPEM string
}
