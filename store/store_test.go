package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mockpay/mockpay/clock"
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

// tradeNos numbers the tests' trades: each has a trade number of its own.
var tradeNos atomic.Int64

func trade(out string) *payment.Trade {
	return &payment.Trade{
		TradeNo: fmt.Sprintf("T%019d", tradeNos.Add(1)), Status: payment.StatusPending, CreatedAt: t0,
		Order: payment.Order{AppID: "app", PID: "2088000000000001", OutTradeNo: out, Subject: "s", Total: 100},
	}
}

// The contract suite (storetest, run by contract_test.go) covers what any
// store does; these tests cover what is SQLite's own: the schema version,
// the change hook, and the claims the file lock proves dead.

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

// TestOpenReleasesDeadClaims: a mockpay killed mid-delivery left its claims
// behind; the next Open holds the file's lock, so they are nobody's, and
// the attempt is due again at its scheduled time, not when the lease ends.
// Claims and the clock's row are no change anyone waits for.
func TestOpenReleasesDeadClaims(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "m.db")
	db := open(t, path)
	tr := trade("DEAD")
	n := &payment.Notification{NotifyID: "dead-1", AppID: "app", Trade: *tr, Status: payment.NotifyPending, NextAttemptAt: t0}
	if err := db.Tx(ctx, func(tx payment.Tx) error { return tx.InsertNotification(n) }); err != nil {
		t.Fatal(err)
	}
	changes := 0
	db.OnChange(func() { changes++ })
	dead := payment.Lease{Owner: "dead", Now: t0, Term: time.Hour}
	if got, err := db.ClaimDue(ctx, t0, dead, 10, nil); err != nil || len(got) != 1 {
		t.Fatalf("claim: %v %v", err, got)
	}
	if err := db.SaveClock(ctx, clock.Anchor{Virtual: t0, Real: t0, Scale: 1}); err != nil {
		t.Fatal(err)
	}
	if changes != 0 {
		t.Errorf("a claim and a clock save fired %d changes", changes)
	}
	db.Close()
	db = open(t, path)
	if got, err := db.ClaimDue(ctx, t0, payment.Lease{Owner: "next", Now: t0, Term: time.Hour}, 10, nil); err != nil || len(got) != 1 {
		t.Errorf("after reopen the dead claim still holds: %v %v", err, got)
	}
}

// A transaction that panics is rolled back, and the panic goes on in its
// own goroutine; the transactions committing with it are not harmed and
// the store keeps working.
func TestPanickingTransactionStandsAlone(t *testing.T) {
	db := open(t, filepath.Join(t.TempDir(), "m.db"))
	ctx := context.Background()
	done := make(chan any)
	go func() {
		defer func() { done <- recover() }()
		_ = db.Tx(ctx, func(tx payment.Tx) error {
			if err := tx.InsertTrade(trade("PANIC")); err != nil {
				return err
			}
			panic("boom")
		})
	}()
	if p := <-done; p != "boom" {
		t.Fatalf("recovered %v, want the transaction's own panic", p)
	}
	if err := db.Tx(ctx, func(tx payment.Tx) error { return tx.InsertTrade(trade("AFTER")) }); err != nil {
		t.Fatal(err)
	}
	_ = db.Tx(ctx, func(tx payment.Tx) error {
		if _, err := tx.TradeByOutTradeNo("2088000000000001", "PANIC"); !errors.Is(err, payment.ErrNotFound) {
			t.Errorf("the panicking transaction's trade: %v, want rolled back", err)
		}
		if _, err := tx.TradeByOutTradeNo("2088000000000001", "AFTER"); err != nil {
			t.Errorf("a later transaction: %v", err)
		}
		return nil
	})
}
