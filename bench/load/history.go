package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/store"
)

// Cost that does not grow with history (issue 18, item 2): page.pay and
// trade.query again on a database already holding historyTrades paid
// trades, next to the fresh-database runs of the same round.

// seedHistory fills a database with n paid trades of app (with their
// status events) through mockpay's own store (internal/archrules lets the
// harness, as the wiring, open it), so the rows are what mockpay writes,
// many to a transaction: about 3 minutes for a million on a busy 2-core
// machine. The fixture apps are loaded when mockpay serves the file.
func seedHistory(path string, n int, app appKeys) error {
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	if err != nil {
		return err
	}
	defer db.Close()
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, payment.CST)
	const perTx = 5000
	for i := 0; i < n; i += perTx {
		err := db.Tx(ctx, func(tx payment.Tx) error {
			for j := i; j < min(i+perTx, n); j++ {
				created := at.Add(time.Duration(j) * time.Second)
				t := &payment.Trade{
					TradeNo: fmt.Sprintf("2026010122001%019d", j),
					Order: payment.Order{Protocol: payment.ProtocolOpenAPI, AppID: app.AppID, PID: app.PID,
						OutTradeNo: fmt.Sprintf("HIST-%09d", j), Subject: "history", Total: 100,
						ProductCode: "FAST_INSTANT_TRADE_PAY"},
					Status: payment.StatusPaid, CreatedAt: created, PaidAt: created.Add(time.Second),
				}
				if err := tx.InsertTrade(t); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("seed trade %d: %w", i, err)
		}
	}
	return nil
}

// historyDB is the seeded database of this run, made on first use.
func (b *bench) historyDB() (string, error) {
	if b.history != "" {
		return b.history, nil
	}
	path := filepath.Join(b.dir, "history", "mockpay.db")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return "", err
	}
	started := time.Now()
	if err := seedHistory(path, b.historyN, b.keys); err != nil {
		return "", err
	}
	// The seeding's dirty pages go to disk now, not during the runs'
	// fsyncs.
	syscall.Sync()
	fmt.Fprintf(os.Stderr, "  seeded %d trades in %s\n", b.historyN, time.Since(started).Round(time.Second))
	b.history = path
	return path, nil
}
