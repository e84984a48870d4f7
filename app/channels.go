package app

import (
	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/channel/alipay/kit"
	"github.com/mockpay/mockpay/channel/alipay/mapi"
	"github.com/mockpay/mockpay/channel/alipay/openapi"
	"github.com/mockpay/mockpay/payment"
)

// alipayChannel registers Alipay: one platform, two protocols (OpenAPI and
// the legacy MAPI), one set of status names.
func alipayChannel(tokens *payment.Tokens) *channel.Channel {
	return &channel.Channel{
		Name:     "alipay",
		Statuses: kit.Statuses,
		Protocols: []*channel.Protocol{
			{ID: payment.ProtocolOpenAPI, Name: "openapi", Return: openapi.ReturnURL, Describe: openapi.Describe},
			{ID: payment.ProtocolLegacy, Name: "mapi", Return: mapi.Returns{Tokens: tokens}.URL, Describe: mapi.Describe},
		},
	}
}
