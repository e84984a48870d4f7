// Package kit is what WeChat Pay's two wire protocols share
// (channel/wechatpay/v3, APIv3 JSON; channel/wechatpay/v2, APIv2 XML): the
// protocol ids, a merchant's credentials, the trade-state names, the
// notification schedule and ids, the serial-number rule and AEAD_AES_256_GCM.
// The codecs import the kit, never each other (wechatpay-protocol.md).
package kit

import "github.com/mockpay/mockpay/payment"

// Channel is the WeChat Pay channel's name: the key of its entry in
// payment.App.Credentials and Order.Terms.
const Channel = "wechatpay"

// The protocol ids trades and notifications record (payment.Order.Protocol).
// A merchant is registered as speaking APIv3 (its app's Speaks); APIv2
// serves the same merchant with the same credentials.
const (
	ProtocolV3 payment.Protocol = "wechatpay_v3"
	ProtocolV2 payment.Protocol = "wechatpay_v2"
)
