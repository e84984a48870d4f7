package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/mockpay/mockpay/payment"
)

// testCommitOrRollBack: a use case that fails after writing leaves nothing
// behind; one that succeeds persists the state change and its
// notification together.
func testCommitOrRollBack(t *testing.T, h Harness) {
	s := h.Open(t)
	boom := errors.New("boom")
	write := func(out, notifyID string, fail bool) error {
		return s.Tx(ctx, func(tx payment.Tx) error {
			tr := trade(out)
			if err := tx.InsertTrade(tr); err != nil {
				return err
			}
			if err := tx.InsertNotification(&payment.Notification{NotifyID: notifyID, AppID: "app", Trade: *tr,
				Status: payment.NotifyPending, NextAttemptAt: t0}); err != nil {
				return err
			}
			if fail {
				return boom
			}
			return nil
		})
	}
	if err := write("ROLLBACK", "n1", true); !errors.Is(err, boom) {
		t.Fatal(err)
	}
	tx(t, s, func(tx payment.Tx) error {
		if _, err := tx.TradeByOutTradeNo(pid, "ROLLBACK"); !errors.Is(err, payment.ErrNotFound) {
			t.Errorf("rolled-back trade is visible: %v", err)
		}
		return nil
	})
	if _, ok, _ := s.NextNotificationAt(ctx, time.Time{}, lease("a", t0)); ok {
		t.Error("rolled-back notification is pending")
	}
	if err := write("COMMIT", "n2", false); err != nil {
		t.Fatal(err)
	}
	due, err := s.ClaimDue(ctx, t0, lease("a", t0), 10, nil)
	if err != nil || len(due) != 1 || due[0].Trade.OutTradeNo != "COMMIT" {
		t.Fatalf("due: %v %+v", err, due)
	}
	if due, _ := s.ClaimDue(ctx, t0.Add(-time.Second), lease("b", t0.Add(time.Hour)), 10, nil); len(due) != 0 {
		t.Errorf("a notification due at t0 is due before it: %+v", due)
	}
}

// testTradesCheckoutsRefunds: what a use case writes it reads back, and a
// trade's status changes are its history.
func testTradesCheckoutsRefunds(t *testing.T, h Harness) {
	s := h.Open(t)
	tr := trade("T-1")
	c := &payment.Checkout{Token: "tok-1", Order: tr.Order, CreatedAt: t0}
	later := &payment.Checkout{Token: "tok-2", Order: tr.Order, CreatedAt: t0.Add(time.Second)}
	tx(t, s, func(tx payment.Tx) error {
		for _, c := range []*payment.Checkout{c, later} {
			if err := tx.InsertCheckout(c); err != nil {
				return err
			}
		}
		return tx.InsertTrade(tr)
	})
	paidAt := t0.Add(time.Minute)
	tx(t, s, func(tx payment.Tx) error {
		got, err := tx.Checkout("tok-1")
		if err != nil || got.Order.OutTradeNo != "T-1" || !got.CreatedAt.Equal(t0) {
			t.Errorf("checkout: %v %+v", err, got)
		}
		if got, err := tx.LatestCheckout(pid, "T-1"); err != nil || got.Token != "tok-2" {
			t.Errorf("latest checkout: %v %+v", err, got)
		}
		later.ValidUntil = t0.Add(2 * time.Hour)
		if err := tx.UpdateCheckout(later); err != nil {
			return err
		}
		if _, err := tx.Checkout("nope"); !errors.Is(err, payment.ErrNotFound) {
			t.Errorf("unknown checkout: %v", err)
		}
		got2, err := tx.TradeByTradeNo(tr.TradeNo)
		if err != nil || got2.ID == 0 || got2.OutTradeNo != "T-1" {
			t.Fatalf("trade: %v %+v", err, got2)
		}
		got2.Status, got2.PaidAt = payment.StatusPaid, paidAt
		if err := tx.UpdateTrade(got2); err != nil {
			return err
		}
		return tx.InsertRefund(&payment.Refund{TradeNo: tr.TradeNo, AppID: "app", PID: pid, OutTradeNo: "T-1",
			OutRequestNo: "rq-1", Amount: 40, RefundedTotal: 40, CreatedAt: paidAt})
	})
	tx(t, s, func(tx payment.Tx) error {
		if got, err := tx.Checkout("tok-2"); err != nil || !got.ValidUntil.Equal(t0.Add(2*time.Hour)) {
			t.Errorf("updated checkout: %v %+v", err, got)
		}
		if got, err := tx.TradeByOutTradeNo(pid, "T-1"); err != nil || got.Status != payment.StatusPaid || !got.PaidAt.Equal(paidAt) {
			t.Errorf("updated trade: %v %+v", err, got)
		}
		r, err := tx.RefundByOutRequestNo(tr.TradeNo, "rq-1")
		if err != nil || r.ID == 0 || r.Amount != 40 {
			t.Errorf("refund: %v %+v", err, r)
		}
		if _, err := tx.RefundByOutRequestNo(tr.TradeNo, "other"); !errors.Is(err, payment.ErrNotFound) {
			t.Errorf("unknown refund: %v", err)
		}
		if r, err := tx.RefundOfMerchant(pid, "rq-1"); err != nil || r.TradeNo != tr.TradeNo || r.Amount != 40 {
			t.Errorf("refund of merchant: %v %+v", err, r)
		}
		if _, err := tx.RefundOfMerchant("other-pid", "rq-1"); !errors.Is(err, payment.ErrNotFound) {
			t.Errorf("another merchant's refund: %v", err)
		}
		return nil
	})
	tx(t, s, func(tx payment.Tx) error {
		return tx.InsertRefund(&payment.Refund{TradeNo: tr.TradeNo, AppID: "app", PID: pid, OutTradeNo: "T-1",
			OutRequestNo: "rq-2", Amount: 25, RefundedTotal: 65, CreatedAt: paidAt.Add(time.Minute)})
	})
	tx(t, s, func(tx payment.Tx) error {
		rs, err := tx.RefundsOf(tr.TradeNo)
		if err != nil || len(rs) != 2 || rs[0].OutRequestNo != "rq-1" || rs[0].ID == 0 || rs[1].OutRequestNo != "rq-2" {
			t.Errorf("refunds of the trade in a transaction, oldest first: %v %+v", err, rs)
			return nil
		}
		if rs, err := tx.RefundsOf("no-such-trade"); err != nil || len(rs) != 0 {
			t.Errorf("refunds of no trade in a transaction: %v %+v", err, rs)
		}
		if r, err := tx.RefundByID(rs[1].ID); err != nil || r.ID != rs[1].ID || r.OutRequestNo != "rq-2" || r.Amount != 25 {
			t.Errorf("refund by id: %v %+v", err, r)
		}
		if _, err := tx.RefundByID(rs[1].ID + 1000); !errors.Is(err, payment.ErrNotFound) {
			t.Errorf("unknown refund id: %v", err)
		}
		// A refund's outcome is rewritten in its JSON (UpdateRefund).
		r := rs[1]
		r.Outcome, r.Unnotified = payment.RefundClosed, true
		if err := tx.UpdateRefund(r); err != nil {
			t.Errorf("update refund: %v", err)
		}
		if got, err := tx.RefundByID(r.ID); err != nil || got.Outcome != payment.RefundClosed || !got.Unnotified || got.Amount != 25 || got.OutRequestNo != "rq-2" {
			t.Errorf("refund after its update: %v %+v", err, got)
		}
		if err := tx.UpdateRefund(&payment.Refund{ID: r.ID + 1000}); !errors.Is(err, payment.ErrNotFound) {
			t.Errorf("update of an unknown refund: %v", err)
		}
		r.Outcome, r.Unnotified = payment.RefundSucceeded, false
		if err := tx.UpdateRefund(r); err != nil {
			t.Errorf("update refund back: %v", err)
		}
		return nil
	})
	rs, err := s.RefundsOfTrade(ctx, tr.TradeNo)
	if err != nil || len(rs) != 2 || rs[0].OutRequestNo != "rq-1" || rs[0].ID == 0 || rs[1].OutRequestNo != "rq-2" ||
		rs[1].Amount != 25 || rs[1].RefundedTotal != 65 || !rs[1].CreatedAt.Equal(paidAt.Add(time.Minute)) {
		t.Errorf("refunds of the trade, oldest first: %v %+v", err, rs)
	}
	if rs, err := s.RefundsOfTrade(ctx, "no-such-trade"); err != nil || len(rs) != 0 {
		t.Errorf("refunds of no trade: %v %+v", err, rs)
	}
	hist, err := s.TradeHistory(ctx, tr.TradeNo)
	if err != nil || len(hist) != 2 || hist[0].Status != payment.StatusPending || !hist[0].At.Equal(t0) ||
		hist[1].Status != payment.StatusPaid || !hist[1].At.Equal(paidAt) {
		t.Errorf("history: %v %+v", err, hist)
	}
}

// testUniqueKeys: out_trade_no per merchant, out_request_no per trade and
// notify_id are each taken once.
func testUniqueKeys(t *testing.T, h Harness) {
	s := h.Open(t)
	insert := func(tr *payment.Trade) error {
		return s.Tx(ctx, func(tx payment.Tx) error { return tx.InsertTrade(tr) })
	}
	a := trade("DUP")
	if err := insert(a); err != nil {
		t.Fatal(err)
	}
	if err := insert(trade("DUP")); err == nil {
		t.Error("the same merchant stored one out_trade_no twice")
	}
	other := trade("DUP")
	other.PID = "2088000000000002"
	if err := insert(other); err != nil {
		t.Errorf("another merchant may use the same out_trade_no: %v", err)
	}
	refund := func(tr *payment.Trade) error {
		return s.Tx(ctx, func(tx payment.Tx) error {
			return tx.InsertRefund(&payment.Refund{TradeNo: tr.TradeNo, AppID: "app", PID: tr.PID, OutTradeNo: tr.OutTradeNo,
				OutRequestNo: "rq", Amount: 1, RefundedTotal: 1, CreatedAt: t0})
		})
	}
	if err := refund(a); err != nil {
		t.Fatal(err)
	}
	if err := refund(a); err == nil {
		t.Error("one trade stored out_request_no rq twice")
	}
	if err := refund(other); err != nil {
		t.Errorf("another trade may use the same out_request_no: %v", err)
	}
	pending(t, s, "nid-1")
	err := s.Tx(ctx, func(tx payment.Tx) error {
		return tx.InsertNotification(&payment.Notification{NotifyID: "nid-1", AppID: "app", Trade: *a,
			Status: payment.NotifyPending, NextAttemptAt: t0})
	})
	if err == nil {
		t.Error("one notify_id stored twice")
	}
}

// testQueries: the control API's lists and lookups.
func testQueries(t *testing.T, h Harness) {
	s := h.Open(t)
	n1, n2 := pending(t, s, "q-1"), pending(t, s, "q-2")
	expiring := trade("q-exp")
	expiring.ExpiresAt = t0.Add(time.Hour)
	tx(t, s, func(tx payment.Tx) error { return tx.InsertTrade(expiring) })

	ts, err := s.Trades(ctx, payment.TradeFilter{AppID: "app"})
	if err != nil || len(ts) != 3 || ts[0].OutTradeNo != "q-exp" {
		t.Errorf("trades, newest first: %v %+v", err, ts)
	}
	if ts, _ := s.Trades(ctx, payment.TradeFilter{OutTradeNo: "q-1", Status: payment.StatusPending}); len(ts) != 1 || ts[0].TradeNo != n1.Trade.TradeNo {
		t.Errorf("trades by out_trade_no and status: %+v", ts)
	}
	if ts, _ := s.Trades(ctx, payment.TradeFilter{Status: payment.StatusPaid}); len(ts) != 0 {
		t.Errorf("paid trades: %+v", ts)
	}
	if ts, _ := s.Trades(ctx, payment.TradeFilter{Limit: 1}); len(ts) != 1 {
		t.Errorf("limit 1: %d trades", len(ts))
	}
	// Pages: Before is the last ID of the previous page.
	if page, _ := s.Trades(ctx, payment.TradeFilter{AppID: "app", Limit: 2, Before: ts[0].ID}); len(page) != 2 ||
		page[0].ID != ts[1].ID || page[1].ID != ts[2].ID {
		t.Errorf("trades before %d: %+v, want %d and %d", ts[0].ID, page, ts[1].ID, ts[2].ID)
	}
	if page, _ := s.Trades(ctx, payment.TradeFilter{Before: ts[2].ID}); len(page) != 0 {
		t.Errorf("trades before the oldest: %+v", page)
	}
	if got, err := s.Trade(ctx, n2.Trade.TradeNo); err != nil || got.OutTradeNo != "q-2" {
		t.Errorf("trade: %v %+v", err, got)
	}
	if _, err := s.Trade(ctx, "nope"); !errors.Is(err, payment.ErrNotFound) {
		t.Errorf("unknown trade: %v", err)
	}
	if at, ok, err := s.NextExpiryAt(ctx); err != nil || !ok || !at.Equal(expiring.ExpiresAt) {
		t.Errorf("next expiry: %v %v %v", at, ok, err)
	}
	tx(t, s, func(tx payment.Tx) error {
		if got, err := tx.ExpiringTrades(expiring.ExpiresAt, 10); err != nil || len(got) != 1 || got[0].OutTradeNo != "q-exp" {
			t.Errorf("expiring: %v %+v", err, got)
		}
		if got, _ := tx.ExpiringTrades(t0, 10); len(got) != 0 {
			t.Errorf("expiring before the deadline: %+v", got)
		}
		return nil
	})

	if ns, err := s.Notifications(ctx, payment.NotificationFilter{AppID: "app", Status: payment.NotifyPending}); err != nil ||
		len(ns) != 2 || ns[0].ID != n2.ID {
		t.Errorf("notifications, newest first: %v %+v", err, ns)
	}
	if ns, _ := s.Notifications(ctx, payment.NotificationFilter{Limit: 5, Before: n2.ID}); len(ns) != 1 || ns[0].ID != n1.ID {
		t.Errorf("notifications before %d: %+v, want %d alone", n2.ID, ns, n1.ID)
	}
	if ns, _ := s.NotificationsOfTrade(ctx, n1.Trade.TradeNo); len(ns) != 1 || ns[0].NotifyID != "q-1" {
		t.Errorf("of trade: %+v", ns)
	}
	if got, err := s.NotificationByNotifyID(ctx, "q-2"); err != nil || got.ID != n2.ID {
		t.Errorf("by notify_id: %v %+v", err, got)
	}
	if _, err := s.Notification(ctx, 1<<40); !errors.Is(err, payment.ErrNotFound) {
		t.Errorf("unknown notification: %v", err)
	}

	if id, err := s.LastFeedID(ctx); err != nil || id != 0 {
		t.Errorf("feed before any attempt: %v %v", id, err)
	}
	for _, n := range []*payment.Notification{n1, n2} {
		a, o := acked(n, 1, t0)
		if ok, err := s.RecordAttempt(ctx, a, o); !ok || err != nil {
			t.Fatalf("record: %v %v", ok, err)
		}
	}
	feed, err := s.AttemptsAfter(ctx, 0, 10)
	if err != nil || len(feed) != 2 || feed[0].Notification.ID != n1.ID || feed[1].FeedID <= feed[0].FeedID ||
		feed[0].Notification.Status != payment.NotifyAcked || feed[0].Attempt.Number != 1 {
		t.Fatalf("feed: %v %+v", err, feed)
	}
	if rest, _ := s.AttemptsAfter(ctx, feed[0].FeedID, 10); len(rest) != 1 || rest[0].Notification.ID != n2.ID {
		t.Errorf("feed after the first: %+v", rest)
	}
	if id, _ := s.LastFeedID(ctx); id != feed[1].FeedID {
		t.Errorf("last feed id %d, want %d", id, feed[1].FeedID)
	}
	if as, err := s.Attempts(ctx, n1.ID); err != nil || len(as) != 1 || !as[0].Acked {
		t.Errorf("attempts: %v %+v", err, as)
	}
}

// testReopenKeepsData: a restart loses nothing.
func testReopenKeepsData(t *testing.T, h Harness) {
	s := h.Open(t)
	n := pending(t, s, "keep-1")
	app := &payment.App{AppID: "app-keep", PID: pid}
	if err := s.SaveApp(ctx, app, t0); err != nil {
		t.Fatal(err)
	}
	s = h.Reopen(t, s)
	tx(t, s, func(tx payment.Tx) error {
		got, err := tx.TradeByTradeNo(n.Trade.TradeNo)
		if err != nil || got.OutTradeNo != "keep-1" || got.Total != 100 || !got.CreatedAt.Equal(t0) {
			t.Errorf("after reopen: %v %+v", err, got)
		}
		return nil
	})
	if got, err := s.Notification(ctx, n.ID); err != nil || got.NotifyID != "keep-1" || !got.NextAttemptAt.Equal(t0) {
		t.Errorf("notification after reopen: %v %+v", err, got)
	}
	if apps, err := s.Apps(ctx); err != nil || len(apps) != 1 || apps[0].AppID != "app-keep" {
		t.Errorf("apps after reopen: %v %+v", err, apps)
	}
}
