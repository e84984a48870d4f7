package sign_test

import (
	"strconv"
	"testing"

	"github.com/mockpay/mockpay/sign"
)

// The pure functions on every signed request and answer (issue 18). `make
// bench` runs them; bench/compare.sh compares two runs with benchstat.

// pagePayParams is a typical alipay.trade.page.pay request as it arrives.
func pagePayParams() sign.Params {
	return sign.Params{
		{Key: "app_id", Value: "2021000122600001"}, {Key: "method", Value: "alipay.trade.page.pay"},
		{Key: "format", Value: "JSON"}, {Key: "charset", Value: "utf-8"}, {Key: "sign_type", Value: "RSA2"},
		{Key: "timestamp", Value: "2026-05-01 10:00:00"}, {Key: "version", Value: "1.0"},
		{Key: "notify_url", Value: "http://127.0.0.1:8080/notify"}, {Key: "return_url", Value: "http://127.0.0.1:8080/return"},
		{Key: "biz_content", Value: `{"out_trade_no":"FLASH-000001","total_amount":"100.00","subject":"flash sale item","product_code":"FAST_INSTANT_TRADE_PAY"}`},
		{Key: "sign", Value: "c2lnbmF0dXJl"},
	}
}

func BenchmarkCanonical(b *testing.B) {
	p := pagePayParams()
	opt := sign.CanonicalOptions{Exclude: []string{"sign"}}
	for b.Loop() {
		sign.Canonical(p, opt)
	}
}

// BenchmarkSignRSA2 signs a new content each time (a notification, a new
// answer): the memo never answers, this is the RSA private-key operation.
func BenchmarkSignRSA2(b *testing.B) {
	key := appKey(b)
	content := []byte(sign.Canonical(pagePayParams(), sign.CanonicalOptions{Exclude: []string{"sign"}}))
	n := 0
	for b.Loop() {
		n++
		if _, err := sign.SignRSA(key, sign.RSA2, strconv.AppendInt(content, int64(n), 10)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSignRSA2Again signs the same content again and again (a polled
// trade.query answer): the memo answers after the first.
func BenchmarkSignRSA2Again(b *testing.B) {
	key := appKey(b)
	content := []byte(sign.Canonical(pagePayParams(), sign.CanonicalOptions{Exclude: []string{"sign"}}))
	for b.Loop() {
		if _, err := sign.SignRSA(key, sign.RSA2, content); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyRSA2(b *testing.B) {
	key := appKey(b)
	content := []byte(sign.Canonical(pagePayParams(), sign.CanonicalOptions{Exclude: []string{"sign"}}))
	sig, err := sign.SignRSA(key, sign.RSA2, content)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := sign.VerifyRSA(&key.PublicKey, sign.RSA2, content, sig); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMD5(b *testing.B) {
	content := []byte(sign.Canonical(pagePayParams(), sign.CanonicalOptions{Exclude: []string{"sign", "sign_type"}}))
	key := []byte("0123456789abcdefghijklmnopqrstuv")
	for b.Loop() {
		sign.MD5(content, key)
	}
}
