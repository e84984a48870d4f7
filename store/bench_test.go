package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/store"
)

// page.pay's write (issue 18): one checkout per transaction on a file
// database, as the gateway's BeginCheckout makes it (a trade lookup, then
// the insert). Serial is one shop at a time; Parallel is 64 at once, where
// group commit shares the commit (and its fsync) among the waiting ones.
// bench/compare.sh compares revisions with benchstat.
func benchCheckouts(b *testing.B, parallel bool) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(b.TempDir(), "m.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	var n atomic.Int64
	at := time.Date(2026, 5, 1, 10, 0, 0, 0, payment.CST)
	one := func() {
		i := n.Add(1)
		o := payment.Order{AppID: "app", PID: "2088000000000001", OutTradeNo: fmt.Sprintf("B%d", i), Subject: "s", Total: 100}
		err := db.Tx(ctx, func(tx payment.Tx) error {
			if _, err := tx.TradeByOutTradeNo(o.PID, o.OutTradeNo); err == nil {
				return fmt.Errorf("out_trade_no %s exists", o.OutTradeNo)
			}
			return tx.InsertCheckout(&payment.Checkout{Token: fmt.Sprintf("tok-%d", i), Order: o, CreatedAt: at})
		})
		if err != nil {
			b.Error(err)
		}
	}
	if !parallel {
		for b.Loop() {
			one()
		}
		return
	}
	b.SetParallelism(32) // × GOMAXPROCS goroutines
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			one()
		}
	})
}

func BenchmarkCheckoutSerial(b *testing.B)   { benchCheckouts(b, false) }
func BenchmarkCheckoutParallel(b *testing.B) { benchCheckouts(b, true) }
