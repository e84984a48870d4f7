package instance

import (
	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/channel/alipay"
)

// registerChannels builds the registered platforms. A new channel goes in
// channel/<name>/ and is added here.
func registerChannels(d alipay.Deps) (*channel.Set, error) {
	return channel.NewSet(alipay.New(d))
}
