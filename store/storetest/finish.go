package storetest

import (
	"testing"
	"time"

	"github.com/mockpay/mockpay/payment"
)

// testFinishing: the end of a paid trade's refund window is indexed — the
// expiry worker sleeps until the earliest one and finishes what is due, and
// a trade that left paid (refunded in full, finished) is no longer due.
func testFinishing(t *testing.T, h Harness) {
	s := h.Open(t)
	if _, ok, err := s.NextFinishAt(ctx); err != nil || ok {
		t.Fatalf("empty store has a refund window: %v %v", ok, err)
	}
	soon, late, closed := trade("f-soon"), trade("f-late"), trade("f-closed")
	for i, tr := range []*payment.Trade{soon, late, closed} {
		tr.Status, tr.PaidAt = payment.StatusPaid, t0
		tr.RefundableUntil = t0.Add(time.Duration(i+1) * time.Hour)
	}
	pendingOne := trade("f-pending")
	pendingOne.RefundableUntil = t0 // not paid: never finishes
	tx(t, s, func(tx payment.Tx) error {
		for _, tr := range []*payment.Trade{late, soon, closed, pendingOne} {
			if err := tx.InsertTrade(tr); err != nil {
				return err
			}
		}
		closed.Status, closed.ClosedAt = payment.StatusClosed, t0
		return tx.UpdateTrade(closed)
	})
	if at, ok, err := s.NextFinishAt(ctx); err != nil || !ok || !at.Equal(soon.RefundableUntil) {
		t.Errorf("next finish: %v %v %v, want %v", at, ok, err, soon.RefundableUntil)
	}
	tx(t, s, func(tx payment.Tx) error {
		got, err := tx.FinishingTrades(late.RefundableUntil, 10)
		if err != nil || len(got) != 2 || got[0].OutTradeNo != "f-soon" || got[1].OutTradeNo != "f-late" {
			t.Errorf("finishing, earliest first: %v %+v", err, got)
		}
		if got, _ := tx.FinishingTrades(soon.RefundableUntil.Add(-time.Nanosecond), 10); len(got) != 0 {
			t.Errorf("finishing before the window ends: %+v", got)
		}
		if got, _ := tx.FinishingTrades(late.RefundableUntil, 1); len(got) != 1 {
			t.Errorf("limit 1: %+v", got)
		}
		soon.Status = payment.StatusFinished
		return tx.UpdateTrade(soon)
	})
	if at, ok, err := s.NextFinishAt(ctx); err != nil || !ok || !at.Equal(late.RefundableUntil) {
		t.Errorf("next finish after one finished: %v %v %v", at, ok, err)
	}
	got, err := s.Trade(ctx, soon.TradeNo)
	if err != nil || got.Status != payment.StatusFinished || !got.RefundableUntil.Equal(soon.RefundableUntil) {
		t.Errorf("finished trade: %v %+v", err, got)
	}
}
