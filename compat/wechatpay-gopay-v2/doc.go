// Package gopayv2 drives mockpay's WeChat Pay APIv2 with go-pay/gopay's
// `wechat` package (v1.5.123), unmodified: its client pointed at mockpay
// through its exported BaseURL field, the notifications parsed, verified
// and decrypted with gopay's own functions (wechatpay-protocol.md §1, §4.2).
package gopayv2
