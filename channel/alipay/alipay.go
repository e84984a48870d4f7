// Package alipay is the Alipay channel: one platform, two wire protocols
// (OpenAPI in channel/alipay/openapi, the legacy MAPI in channel/alipay/mapi)
// and the kit both share (channel/alipay/kit). New registers it: its
// protocols with their return builders, error wording and notifiers, its
// routes as standard-library handlers, its status names and its view of an
// app. It knows no echo and no SQL.
package alipay

import (
	"github.com/mockpay/mockpay/ca"
	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/channel/alipay/kit"
	"github.com/mockpay/mockpay/channel/alipay/mapi"
	"github.com/mockpay/mockpay/channel/alipay/openapi"
	"github.com/mockpay/mockpay/clock"
	"github.com/mockpay/mockpay/payment"
)

// Deps is what the Alipay channel is built from.
type Deps struct {
	Service *payment.Service
	Apps    *payment.Registry
	Tokens  *payment.Tokens // MAPI's anti-phishing keys and single-use tokens
	// Clock is the platform's (virtual) time; Wall the merchants' (SDK
	// timestamps are checked against it).
	Clock, Wall clock.Clock
	// Pages is the cashier the routes send the buyer to.
	Pages channel.Pages
	// Certifier is the CA of certificate-mode apps created through the
	// control API (mockpay's local CA), or why it cannot be one.
	Certifier func() (*ca.Authority, error)
}

// New registers Alipay.
func New(d Deps) *channel.Channel {
	gw := &openapi.Gateway{Service: d.Service, Apps: d.Apps, Clock: d.Clock, Wall: d.Wall, ScanPath: d.Pages.ScanPath}
	legacy := &mapi.Gateway{Service: d.Service, Apps: d.Apps, Tokens: d.Tokens, Clock: d.Clock}
	r := &routes{openapi: gw, mapi: legacy, pages: d.Pages}
	return &channel.Channel{
		Name:     "alipay",
		Statuses: kit.Statuses,
		Gateway:  gatewayPath,
		Protocols: []*channel.Protocol{
			{ID: payment.ProtocolOpenAPI, Name: "openapi", Notifier: openapi.Notifier{Apps: d.Apps}, IDs: openapi.IDs{},
				Return: openapi.ReturnURL, Describe: openapi.Describe, View: openAPIView, NewApp: openapi.Apps{Certifier: d.Certifier}.New,
				AppPay: &channel.AppPay{Order: gw.AppOrder, Result: openapi.AppPayResult},
				Check:  openapi.CheckApp, Certs: openAPICerts, Banner: openAPIBanner, RefundWindow: openapi.RefundWindow,
				Trigger: openapi.TriggerOrder,
				Faults:  openapi.Faults{Apps: d.Apps}.Hooks()},
			{ID: payment.ProtocolLegacy, Name: "mapi", Notifier: mapi.Notifier{Apps: d.Apps}, IDs: mapi.IDs{}, Terms: mapi.TermRules{},
				Return: mapi.Returns{Tokens: d.Tokens}.URL, Check: mapi.CheckPartner, Describe: mapi.Describe, View: mapiView,
				Banner: mapiBanner, RefundWindow: mapi.RefundWindow, Faults: mapi.Faults{Apps: d.Apps}.Hooks(),
				Trigger: mapi.TriggerOrder},
		},
		Routes: r.list(),
		Hosts:  Hosts,
	}
}

// Hosts are the Alipay hosts SDKs compile in (alipay-protocol.md §0): the
// OpenAPI production gateway, the current and the retired sandbox, the MAPI
// gateway, the older demos' www host (/cooperate/gateway.do) and the
// plain-HTTP notify_verify host (§1.6).
var Hosts = []string{
	"openapi.alipay.com", "openapi-sandbox.dl.alipaydev.com", "openapi.alipaydev.com",
	"mapi.alipay.com", "www.alipay.com", "notify.alipay.com",
}
