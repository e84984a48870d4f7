// Package wechatpaygo is mockpay's compatibility suite for the official
// WeChat Pay APIv3 Go SDK, github.com/wechatpay-apiv3/wechatpay-go v0.2.21,
// unmodified and configured only through its documented options: through
// mockpay's proxy (HTTPS_PROXY + SSL_CERT_FILE, which also carries its
// automatic certificate downloader), and with option.WithHTTPClient plus
// RegisterDownloaderWithClient (the downloader ignores WithHTTPClient).
// It runs against a mockpay binary: `make test-compat-wechatpay-go`.
package wechatpaygo
