// Package wechatpaygopay runs go-pay/gopay's WeChat Pay APIv3 client
// (github.com/go-pay/gopay/wechat/v3, v1.5.123), unmodified, against the
// mockpay binary the two ways its documentation allows (issue 13 item 5):
//
//   - SetProxyHost(api_base_url): gopay appends the platform path to that
//     origin and signs the path alone, so no path prefix may appear;
//   - no option at all, production host compiled in, with HTTPS_PROXY naming
//     mockpay and SSL_CERT_FILE naming mockpay's CA: gopay verifies TLS, so
//     the leaf mockpay's proxy mints for api.mch.weixin.qq.com must chain to
//     that CA.
//
// Each merchant of GET /_mockpay/api/apps with "protocol": "wechatpay" is
// run: the certificate-mode one through AutoVerifySign (GET /v3/certificates),
// the public-key-mode one through AutoVerifySignByPublicKey. Every answer is
// verified by gopay itself (it verifies when one of those is on), every
// notification with V3ParseNotify + VerifySignByPKMap + Decrypt*CipherText.
package wechatpaygopay
