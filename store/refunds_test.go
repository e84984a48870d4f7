package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/mockpay/mockpay/payment"
)

// TestRefundKeyIsUniquePerTrade: out_request_no identifies a refund within
// its trade (§4.5); another trade may use the same key, and a refund
// survives a reopen with its amounts intact.
func TestRefundKeyIsUniquePerTrade(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "m.db")
	db := open(t, path)
	a, b := trade("A"), trade("B")
	refund := func(tr *payment.Trade) *payment.Refund {
		return &payment.Refund{TradeNo: tr.TradeNo, AppID: tr.AppID, PID: tr.PID, OutTradeNo: tr.OutTradeNo,
			OutRequestNo: "rq", Amount: 40, RefundedTotal: 40, CreatedAt: t0}
	}
	err := db.Tx(ctx, func(tx payment.Tx) error {
		for _, tr := range []*payment.Trade{a, b} {
			if err := tx.InsertTrade(tr); err != nil {
				return err
			}
			if err := tx.InsertRefund(refund(tr)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Tx(ctx, func(tx payment.Tx) error { return tx.InsertRefund(refund(a)) })
	if err == nil {
		t.Error("one trade stored out_request_no rq twice")
	}
	db.Close()
	db = open(t, path)
	_ = db.Tx(ctx, func(tx payment.Tx) error {
		r, err := tx.RefundByOutRequestNo(a.TradeNo, "rq")
		if err != nil || r.ID == 0 || r.Amount != 40 || r.OutTradeNo != "A" || !r.CreatedAt.Equal(t0) {
			t.Errorf("after reopen: %v %+v", err, r)
		}
		if _, err := tx.RefundByOutRequestNo(a.TradeNo, "other"); !errors.Is(err, payment.ErrNotFound) {
			t.Errorf("unknown key: %v", err)
		}
		return nil
	})
}
