// Package wechatpay is the WeChat Pay channel: one platform, two wire
// protocols (APIv3, JSON signed with RSA, in channel/wechatpay/v3; APIv2,
// XML signed with MD5/HMAC-SHA256, in channel/wechatpay/v2) and the kit
// both share (channel/wechatpay/kit). New registers it: its protocols with
// their notifiers, error wording and app views, its routes as
// standard-library handlers, its status names and its hosts. It knows no
// echo and no SQL.
package wechatpay

import (
	"github.com/mockpay/mockpay/ca"
	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/channel/wechatpay/kit"
	v2 "github.com/mockpay/mockpay/channel/wechatpay/v2"
	v3 "github.com/mockpay/mockpay/channel/wechatpay/v3"
	"github.com/mockpay/mockpay/clock"
	"github.com/mockpay/mockpay/payment"
)

// Deps is what the WeChat Pay channel is built from.
type Deps struct {
	Service *payment.Service
	Apps    *payment.Registry
	// Clock is the platform's (virtual) time: orders, expiry, retries.
	// Wall is the merchants' clock: the Authorization skew check and every
	// Wechatpay-Timestamp use it, since SDKs reject a signature timestamp
	// 5 minutes off their own clock (wechatpay-protocol.md §4.5).
	Clock, Wall clock.Clock
	// Pages is the cashier the buyer is sent to (h5_url, code_url, prepay_id).
	Pages channel.Pages
	// Certifier is the CA of merchants created through the control API
	// (mockpay's local CA), or why it cannot be one.
	Certifier func() (*ca.Authority, error)
	// V2ClientCert makes APIv2's /secapi/ paths demand a TLS client
	// certificate (wechatpay-protocol.md P-V2-7); off by default.
	V2ClientCert bool
}

// New registers WeChat Pay.
func New(d Deps) *channel.Channel {
	api := &v3.API{Service: d.Service, Apps: d.Apps, Clock: d.Clock, Wall: d.Wall, Pages: d.Pages}
	api2 := &v2.API{Service: d.Service, Apps: d.Apps, Clock: d.Clock, RequireClientCert: d.V2ClientCert}
	b := &buyer{service: d.Service, apps: d.Apps, clock: d.Clock, pages: d.Pages}
	f3, f2 := faults(d)
	return &channel.Channel{
		Name:     kit.Channel,
		Statuses: kit.Statuses,
		Gateway:  "/v3/",
		Protocols: []*channel.Protocol{
			{ID: kit.ProtocolV3, Name: "v3", IDs: kit.IDs{}, Terms: kit.TermRules{}, Notifier: v3.Notifier{Apps: d.Apps, Wall: d.Wall}, Reveal: v3.Notifier{Apps: d.Apps}.Reveal, ScanCode: kit.ScanCode,
				Describe: v3.Describe, View: merchantView, Return: kit.ReturnURL, Check: v3.CheckMerchant,
				NewApp: v3.Merchants{Certifier: d.Certifier}.New, Banner: banner, RefundWindow: kit.RefundWindow, Faults: f3, RefundOutcomes: true,
				Trigger: v3.TriggerOrder},
			// APIv2 serves the same merchants (registered as APIv3's) with
			// their apiv2_key: it has no apps of its own to view or create.
			{ID: kit.ProtocolV2, Name: "v2", IDs: kit.IDs{}, Notifier: v2.Notifier{Apps: d.Apps}, Reveal: v2.Notifier{Apps: d.Apps}.Reveal,
				Describe: v2.Describe, Return: kit.ReturnURL, RefundWindow: kit.RefundWindow, Faults: f2, RefundOutcomes: true},
		},
		Routes: append(append(api.Routes(), api2.Routes()...), b.routes()...),
		Hosts:  Hosts,
	}
}

// Hosts are WeChat Pay's API hosts that SDKs compile in (§0): the main
// host and the disaster-recovery one (wechatpay-go, gopay, wechatpay-node-v3
// and the v2 SDKs share them).
var Hosts = []string{"api.mch.weixin.qq.com", "api2.mch.weixin.qq.com"}
