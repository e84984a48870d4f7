package instance

import (
	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/channel/alipay"
	"github.com/mockpay/mockpay/channel/legacy"
	"github.com/mockpay/mockpay/payment"
)

// alipayChannel registers Alipay: one platform, two protocols (OpenAPI and
// the legacy MAPI), one set of status names.
func alipayChannel(tokens *payment.Tokens) *channel.Channel {
	return &channel.Channel{
		Name:     "alipay",
		Statuses: alipay.Statuses,
		Protocols: []*channel.Protocol{
			{ID: payment.ProtocolOpenAPI, Name: "openapi", Return: alipay.ReturnURL, Describe: alipay.Describe},
			{ID: payment.ProtocolLegacy, Name: "mapi", Return: legacy.Returns{Tokens: tokens}.URL, Describe: legacy.Describe},
		},
	}
}
