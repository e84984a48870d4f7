package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/mockpay/mockpay/payment"
)

// testConcurrentTransactionsStandAlone: many use cases at once (a flash
// sale), some failing after their writes and some breaking a unique key,
// each commit or roll back on its own. A store may share one commit among
// the transactions that arrive together (SQLite's group commit does), but
// one that fails never takes another with it, and what another wrote
// before it in the same commit is not lost.
func testConcurrentTransactionsStandAlone(t *testing.T, h Harness) {
	s := h.Open(t)
	dup := trade("TAKEN")
	tx(t, s, func(tx payment.Tx) error { return tx.InsertTrade(dup) })
	boom := errors.New("boom")
	const n = 120
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.Tx(ctx, func(tx payment.Tx) error {
				tr := trade(fmt.Sprintf("C%03d", i))
				if i%5 == 1 {
					tr.OutTradeNo = "TAKEN" // the unique key refuses it
				}
				if err := tx.InsertTrade(tr); err != nil {
					return err
				}
				if err := tx.InsertNotification(&payment.Notification{NotifyID: fmt.Sprintf("cn-%d", i), AppID: "app",
					Trade: *tr, Status: payment.NotifyPending, NextAttemptAt: t0}); err != nil {
					return err
				}
				if i%5 == 3 {
					return boom
				}
				return nil
			})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		switch i % 5 {
		case 1:
			if err == nil {
				t.Errorf("tx %d: a second out_trade_no TAKEN was accepted", i)
			}
		case 3:
			if !errors.Is(err, boom) {
				t.Errorf("tx %d: %v, want its own error", i, err)
			}
		default:
			if err != nil {
				t.Errorf("tx %d: %v", i, err)
			}
		}
	}
	tx(t, s, func(tx payment.Tx) error {
		for i := range n {
			_, err := tx.TradeByOutTradeNo(pid, fmt.Sprintf("C%03d", i))
			if committed := i%5 != 1 && i%5 != 3; committed != (err == nil) {
				t.Errorf("trade C%03d: committed %v, read %v", i, committed, err)
			}
		}
		return nil
	})
	due, err := s.ClaimDue(ctx, t0, lease("a", t0), 2*n, nil)
	if want := n * 3 / 5; err != nil || len(due) != want {
		t.Errorf("due notifications: %d, %v; want %d (one per committed trade)", len(due), err, want)
	}
}
