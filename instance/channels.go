package instance

import (
	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/channel/alipay"
	"github.com/mockpay/mockpay/channel/unionpay"
)

// registerChannels builds the registered platforms. A new channel goes in
// channel/<name>/ and is added here.
func registerChannels(d alipay.Deps) (*channel.Set, error) {
	return channel.NewSet(alipay.New(d),
		unionpay.New(unionpay.Deps{Service: d.Service, Apps: d.Apps, Tokens: d.Tokens, Clock: d.Clock, Pages: d.Pages}))
}
