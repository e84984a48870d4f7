// Package wechatpayv2 is a merchant written from the protocol description
// alone (wechatpay-protocol.md §1, §3; standard library only) that drives
// mockpay's WeChat Pay APIv2: both sign types both ways, the pay and
// refund notifications and their acknowledgement, the retry schedule on
// the virtual clock, the sandbox prefixes and the error cases.
package wechatpayv2
