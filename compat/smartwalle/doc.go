// Package smartwalle is a black-box compatibility suite for mockpay.
//
// The tests (see *_test.go) build and spawn the mockpay binary and drive it
// over HTTP with the real, unmodified SDK github.com/smartwalle/alipay/v3
// (pinned in go.mod). This package deliberately does not import the mockpay
// product module.
//
// Run from this directory:
//
//	go test ./...
//
// Set MOCKPAY_BIN to use an already built binary instead of building
// ../../cmd/mockpay.
package smartwalle
