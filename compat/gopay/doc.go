// Package gopay runs go-pay/gopay's Alipay client — which compiles in
// https://openapi.alipay.com and cannot be pointed elsewhere — unmodified
// against the mockpay binary, the way a merchant would: production mode,
// HTTPS_PROXY naming mockpay and SSL_CERT_FILE naming mockpay's local CA
// (issue 10). go.mod pins a current gopay that verifies TLS; go.v1.5.100.mod
// pins v1.5.100, which does not; `make test-compat-gopay` runs the same
// tests under both.
package gopay
