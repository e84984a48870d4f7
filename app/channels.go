package app

import (
	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/channel/alipay"
	"github.com/mockpay/mockpay/payment"
)

// alipayChannel registers Alipay: one platform, two protocols (OpenAPI and
// the legacy MAPI), one set of status names.
func alipayChannel() *channel.Channel {
	return &channel.Channel{
		Name:     "alipay",
		Statuses: alipay.Statuses,
		Protocols: []*channel.Protocol{
			{ID: payment.ProtocolOpenAPI, Name: "openapi"},
			{ID: payment.ProtocolLegacy, Name: "mapi"},
		},
	}
}
