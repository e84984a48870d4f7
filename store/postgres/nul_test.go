package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/mockpay/mockpay/payment"
)

// TestNULAndItsEscapeRoundTrip: a merchant's U+0000 (which PostgreSQL's
// text and jsonb refuse) and the store's own escape character are kept,
// in values and in the columns lookups compare, as SQLite keeps them.
func TestNULAndItsEscapeRoundTrip(t *testing.T) {
	db := open(t, freshDB(t))
	ctx := context.Background()
	at := time.Date(2026, 5, 1, 10, 0, 0, 0, payment.CST)
	odd := "a\x00b\uE000c\uE0000d\\u0000e"
	tr := &payment.Trade{TradeNo: "T-nul", Status: payment.StatusPaid, CreatedAt: at,
		Order: payment.Order{AppID: "app", PID: "p", OutTradeNo: "o", Subject: odd, Total: 100}}
	r := &payment.Refund{TradeNo: "T-nul", AppID: "app", PID: "p", OutRequestNo: odd, CreatedAt: at}
	err := db.Tx(ctx, func(tx payment.Tx) error {
		if err := tx.InsertTrade(tr); err != nil {
			return err
		}
		return tx.InsertRefund(r)
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Tx(ctx, func(tx payment.Tx) error {
		got, err := tx.TradeByTradeNo("T-nul")
		if err != nil {
			return err
		}
		if got.Subject != odd {
			t.Errorf("subject %q, want %q", got.Subject, odd)
		}
		ref, err := tx.RefundByOutRequestNo("T-nul", odd)
		if err != nil {
			return err
		}
		if ref.OutRequestNo != odd {
			t.Errorf("out_request_no %q, want %q", ref.OutRequestNo, odd)
		}
		if _, err := tx.RefundByOutRequestNo("T-nul", "a\x00b"); err != payment.ErrNotFound {
			t.Errorf("a prefix up to the NUL found a refund: %v", err)
		}
		for _, no := range []string{"T\x00nul", "T\xff\xfe<b>", "\x81\\\""} {
			if _, err := tx.TradeByTradeNo(no); err != payment.ErrNotFound {
				t.Errorf("trade number %q: %v, want not found", no, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
