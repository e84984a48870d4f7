package storetest

import (
	"testing"
	"time"

	"github.com/mockpay/mockpay/clock"
	"github.com/mockpay/mockpay/payment"
)

// testClock: a new store has no clock; the anchor saved last is the one
// read, to the nanosecond, after a restart too.
func testClock(t *testing.T, h Harness) {
	s := h.Open(t)
	if _, ok, err := s.LoadClock(ctx); ok || err != nil {
		t.Fatalf("a new store has a clock: %v", err)
	}
	real := time.Date(2026, 5, 1, 2, 0, 0, 123456789, time.UTC)
	first := clock.Anchor{Virtual: t0, Real: real, Scale: 0}
	second := clock.Anchor{Virtual: t0.Add(25*time.Hour + time.Nanosecond), Real: real.Add(time.Second), Scale: 3600}
	for _, a := range []clock.Anchor{first, second} {
		if err := s.SaveClock(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	s = h.Reopen(t, s)
	got, ok, err := s.LoadClock(ctx)
	if err != nil || !ok || !got.Virtual.Equal(second.Virtual) || !got.Real.Equal(second.Real) || got.Scale != second.Scale {
		t.Errorf("clock after a restart: %v %v %+v, want %+v", ok, err, got, second)
	}
}

// testReset: reset deletes every trade, checkout, refund, notification and
// attempt; apps stay, the clock stays (virtual time never runs backwards),
// and feed ids are not issued again.
func testReset(t *testing.T, h Harness) {
	s := h.Open(t)
	n := pending(t, s, "gone-1")
	if err := s.SaveApp(ctx, &payment.App{AppID: "app-stays", PID: pid}, t0); err != nil {
		t.Fatal(err)
	}
	anchor := clock.Anchor{Virtual: t0.Add(25 * time.Hour), Real: t0, Scale: 1}
	if err := s.SaveClock(ctx, anchor); err != nil {
		t.Fatal(err)
	}
	a, o := acked(n, 1, t0)
	if _, err := s.RecordAttempt(ctx, a, o); err != nil {
		t.Fatal(err)
	}
	feed, _ := s.LastFeedID(ctx)
	tx(t, s, func(tx payment.Tx) error {
		return tx.InsertCheckout(&payment.Checkout{Token: "tok-gone", Order: n.Trade.Order, CreatedAt: t0})
	})
	if err := s.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	if ts, _ := s.Trades(ctx, payment.TradeFilter{}); len(ts) != 0 {
		t.Errorf("%d trades after reset", len(ts))
	}
	if ns, _ := s.Notifications(ctx, payment.NotificationFilter{}); len(ns) != 0 {
		t.Errorf("%d notifications after reset", len(ns))
	}
	if err := s.Tx(ctx, func(tx payment.Tx) error { _, err := tx.Checkout("tok-gone"); return err }); err == nil {
		t.Error("a checkout survived reset")
	}
	if apps, _ := s.Apps(ctx); len(apps) != 1 {
		t.Errorf("apps after reset: %+v", apps)
	}
	if got, ok, _ := s.LoadClock(ctx); !ok || !got.Virtual.Equal(anchor.Virtual) {
		t.Errorf("clock after reset: %+v", got)
	}
	if id, _ := s.LastFeedID(ctx); id != feed {
		t.Errorf("last feed id %d after reset, want %d (never issued twice)", id, feed)
	}
	m := pending(t, s, "new-1")
	a, o = acked(m, 1, t0)
	if _, err := s.RecordAttempt(ctx, a, o); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.AttemptsAfter(ctx, 0, 10); len(got) != 1 || got[0].FeedID <= feed {
		t.Errorf("feed after reset: %+v", got)
	}
}
