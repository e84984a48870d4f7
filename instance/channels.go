package instance

import (
	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/channel/alipay"
	"github.com/mockpay/mockpay/channel/unionpay"
	"github.com/mockpay/mockpay/channel/wechatpay"
)

// registerChannels builds the registered platforms. A new channel goes in
// channel/<name>/ and is added here. Alipay comes first: it words the
// errors of no known trade and makes the apps of a create request that
// names no protocol. v2ClientCert is Config.WechatV2ClientCert.
func registerChannels(d alipay.Deps, v2ClientCert bool) (*channel.Set, error) {
	return channel.NewSet(alipay.New(d),
		wechatpay.New(wechatpay.Deps{Service: d.Service, Apps: d.Apps, Clock: d.Clock, Wall: d.Wall, Pages: d.Pages, Certifier: d.Certifier,
			V2ClientCert: v2ClientCert}),
		unionpay.New(unionpay.Deps{Service: d.Service, Apps: d.Apps, Tokens: d.Tokens, Clock: d.Clock, Pages: d.Pages}))
}
