package payment

import (
	"time"

	"github.com/mockpay/mockpay/sign"
)

// AppSpec is what a developer asks for when creating a sandbox app; the
// channel whose protocol creates apps gives it ids and keys of its shape
// (channel.Protocol.NewApp).
type AppSpec struct {
	Name     string
	SignType sign.Type
	// AppPublicKeyPEM, when set, registers the merchant's own key; mockpay
	// then holds no app private key. Otherwise a key pair is generated.
	AppPublicKeyPEM string
	// RefundWindow, when set, is the app's own refund window (App.RefundWindow).
	RefundWindow time.Duration
	// ContentKey asks the channel for a symmetric key the app encrypts
	// request and answer content with (where its protocol has one).
	ContentKey bool
	// Certificates asks for an app in certificate mode, its certificates
	// issued by mockpay's CA (where its protocol has such a mode).
	Certificates bool
	// Protocol names the registered channel or protocol that creates the
	// app (its name, e.g. as the apps API's "protocol" shows it); empty
	// for the first one that creates apps.
	Protocol string
}
