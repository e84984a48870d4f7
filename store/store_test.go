package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/mockpay/mockpay/payment"
)

var t0 = time.Date(2026, 5, 1, 10, 0, 0, 0, payment.CST)

func open(t *testing.T, path string) *DB {
	t.Helper()
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func trade(out string) *payment.Trade {
	return &payment.Trade{
		TradeNo: payment.NewTradeNo(t0), Status: payment.StatusPending, CreatedAt: t0,
		Order: payment.Order{AppID: "app", PID: "2088000000000001", OutTradeNo: out, Subject: "s", Total: 100},
	}
}

// TestStateChangeAndNotificationCommitTogether: a use case that fails after
// writing leaves nothing behind; one that succeeds persists both rows.
func TestStateChangeAndNotificationCommitTogether(t *testing.T) {
	ctx := context.Background()
	db := open(t, filepath.Join(t.TempDir(), "m.db"))
	boom := errors.New("boom")
	err := db.Tx(ctx, func(tx payment.Tx) error {
		tr := trade("ROLLBACK")
		if err := tx.InsertTrade(tr); err != nil {
			return err
		}
		if err := tx.InsertNotification(&payment.Notification{NotifyID: "n1", AppID: "app", Trade: *tr, Status: payment.NotifyPending, NextAttemptAt: t0}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	_ = db.Tx(ctx, func(tx payment.Tx) error {
		if _, err := tx.TradeByOutTradeNo("2088000000000001", "ROLLBACK"); !errors.Is(err, payment.ErrNotFound) {
			t.Errorf("rolled-back trade is visible: %v", err)
		}
		return nil
	})
	if _, ok, _ := db.NextNotificationAt(ctx, time.Time{}); ok {
		t.Error("rolled-back notification is pending")
	}

	err = db.Tx(ctx, func(tx payment.Tx) error {
		tr := trade("COMMIT")
		if err := tx.InsertTrade(tr); err != nil {
			return err
		}
		return tx.InsertNotification(&payment.Notification{NotifyID: "n2", AppID: "app", Trade: *tr, Status: payment.NotifyPending, NextAttemptAt: t0})
	})
	if err != nil {
		t.Fatal(err)
	}
	due, err := db.DueNotifications(ctx, t0, 10)
	if err != nil || len(due) != 1 || due[0].Trade.OutTradeNo != "COMMIT" {
		t.Fatalf("due: %v %v", err, due)
	}
	if due, _ := db.DueNotifications(ctx, t0.Add(-time.Second), 10); len(due) != 0 {
		t.Errorf("a notification due at t0 is due before it: %v", due)
	}
}

func TestOutTradeNoIsUniquePerMerchant(t *testing.T) {
	ctx := context.Background()
	db := open(t, filepath.Join(t.TempDir(), "m.db"))
	insert := func(tr *payment.Trade) error {
		return db.Tx(ctx, func(tx payment.Tx) error { return tx.InsertTrade(tr) })
	}
	if err := insert(trade("DUP")); err != nil {
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
}

func TestReopenKeepsDataAndRefusesNewerSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "m.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	tr := trade("KEEP")
	if err := db.Tx(ctx, func(tx payment.Tx) error { return tx.InsertTrade(tr) }); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db = open(t, path)
	_ = db.Tx(ctx, func(tx payment.Tx) error {
		got, err := tx.TradeByTradeNo(tr.TradeNo)
		if err != nil || got.OutTradeNo != "KEEP" || got.Total != 100 || !got.CreatedAt.Equal(t0) {
			t.Errorf("after reopen: %v %+v", err, got)
		}
		return nil
	})
	if _, err := db.sql.Exec(`PRAGMA user_version = 99`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := Open(ctx, path); err == nil {
		t.Error("opened a database from a newer mockpay")
	}
}

// TestOnChangeOnlyAfterWrites: a read-only transaction must not wake the
// workers and long polls, or every query would set them all running.
func TestOnChangeOnlyAfterWrites(t *testing.T) {
	ctx := context.Background()
	db := open(t, filepath.Join(t.TempDir(), "m.db"))
	changes := 0
	db.OnChange(func() { changes++ })
	_ = db.Tx(ctx, func(tx payment.Tx) error {
		_, err := tx.TradeByOutTradeNo("2088000000000001", "NONE")
		return ignoreNotFound(err)
	})
	if changes != 0 {
		t.Errorf("a read fired %d changes", changes)
	}
	if err := db.Tx(ctx, func(tx payment.Tx) error { return tx.InsertTrade(trade("W")) }); err != nil {
		t.Fatal(err)
	}
	if changes != 1 {
		t.Errorf("a write fired %d changes, want 1", changes)
	}
	_ = db.Tx(ctx, func(tx payment.Tx) error { _ = tx.InsertTrade(trade("R")); return errors.New("roll back") })
	if changes != 1 {
		t.Errorf("a rolled-back write fired a change")
	}
}

func ignoreNotFound(err error) error {
	if errors.Is(err, payment.ErrNotFound) {
		return nil
	}
	return err
}
