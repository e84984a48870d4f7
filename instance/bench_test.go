package instance_test

import (
	"fmt"
	"testing"
)

// BenchmarkQuery measures one signed alipay.trade.query round trip through
// the real server: parse, verify RSA2, read SQLite, sign the response.
func BenchmarkQuery(b *testing.B) {
	e := newEnv(b)
	e.pay("BENCH-Q", "1.00")
	v := e.m.Params("alipay.trade.query", map[string]string{"out_trade_no": "BENCH-Q"}, nil)
	b.ResetTimer()
	for b.Loop() {
		r, err := e.m.Post(v)
		if err != nil || r.Code() != "10000" {
			b.Fatal(err, r)
		}
	}
}

// BenchmarkPagePayToNotification measures a whole purchase: page.pay,
// cashier, pay with its return URL, and the notification's delivery.
func BenchmarkPagePayToNotification(b *testing.B) {
	e := newEnv(b)
	i := 0
	for b.Loop() {
		i++
		ret := e.pay(fmt.Sprintf("BENCH-%d", i), "1.00")
		if ret.Get("trade_no") == "" {
			b.Fatal("no trade_no")
		}
		<-e.shop.received
	}
}
