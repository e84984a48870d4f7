// Package legacy is a black-box compatibility suite for mockpay's legacy
// MAPI gateway (alipay-protocol.md §1): the service-based MD5 "即时到账"
// integration that the seed's Java, C# and PHP demos show.
//
// No SDK exists for that protocol worth pinning, so the merchant here is
// written from the protocol description alone, the way those demos work:
// paraFilter (drop empty values, sign and sign_type), argSort, createLinkString
// (k=v joined by &), the key appended, MD5 in lower-case hex; a notify page
// that checks the sign and asks notify_verify before it prints "success".
// It uses the standard library and golang.org/x/text only, and does not
// import the mockpay product module.
//
// The tests build and spawn the mockpay binary (or use MOCKPAY_BIN) and
// drive it over HTTP. Run from this directory:
//
//	go test ./...
package legacy
