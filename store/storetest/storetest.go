// Package storetest is the store contract suite: what every store
// implementation (SQLite today, PostgreSQL next) must do for mockpay, as the
// store's consumers declare it. A store runs it with Run from its own test
// (store/contract_test.go does for SQLite).
package storetest

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mockpay/mockpay/clock"
	"github.com/mockpay/mockpay/expire"
	"github.com/mockpay/mockpay/faults"
	"github.com/mockpay/mockpay/levers"
	"github.com/mockpay/mockpay/notify"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/server/views"
)

// Store is everything mockpay asks of a store: the interfaces its
// consumers own, and what the wiring itself calls.
type Store interface {
	payment.Repo      // the use cases' transactions
	payment.TokenRepo // the legacy gateway's tokens
	notify.Outbox     // the dispatcher's claims and records
	views.Store       // the control API and the dashboard
	levers.Store      // the sandbox's levers (redeliver, reset, create app)
	levers.Reader     // what in-process kits read through the levers
	expire.Deadlines  // the expiry worker
	// Apps lists the stored apps (the wiring loads them at start).
	Apps(ctx context.Context) ([]*payment.App, error)
	// SaveClock and LoadClock keep the virtual clock across restarts
	// (clock.Virtual.Keep and Restore).
	SaveClock(ctx context.Context, a clock.Anchor) error
	LoadClock(ctx context.Context) (clock.Anchor, bool, error)
	// The fault chains chosen per app (faults.Selection keeps them here).
	faults.Store
}

// Harness opens stores for the suite.
type Harness struct {
	// Open returns a new, empty store that lives until the test ends.
	Open func(t *testing.T) Store
	// Reopen closes s and opens the same database again: a restart.
	Reopen func(t *testing.T, s Store) Store
}

// Run runs the whole suite.
func Run(t *testing.T, h Harness) {
	for _, c := range []struct {
		name string
		run  func(*testing.T, Harness)
	}{
		{"TransactionsCommitOrRollBackTogether", testCommitOrRollBack},
		{"ConcurrentTransactionsStandAlone", testConcurrentTransactionsStandAlone},
		{"TradesCheckoutsRefunds", testTradesCheckoutsRefunds},
		{"UniqueKeys", testUniqueKeys},
		{"Queries", testQueries},
		{"FinishingTradesByRefundWindow", testFinishing},
		{"ReopenKeepsData", testReopenKeepsData},
		{"RedeliveryDuringAnAttemptStands", testRedeliveryDuringAttempt},
		{"AttemptAfterResetRecordsNothing", testAttemptAfterReset},
		{"AttemptNumberIsTakenOnce", testAttemptTakenOnce},
		{"RedeliveriesAreCapped", testRedeliveriesCapped},
		{"ClaimDueIsExclusiveWhileTheLeaseHolds", testClaimExclusive},
		{"ClaimDueTakesOnlyWhatTakeAccepts", testClaimTake},
		{"ClaimEndsWithTheAttempt", testClaimEndsWithAttempt},
		{"ReleaseClaimIsTheOwners", testReleaseClaim},
		{"NextIgnoresOthersLeasesUntilTheyEnd", testNextIgnoresOthersLeases},
		{"ClockIsKeptAcrossRestarts", testClock},
		{"ResetKeepsAppsAndClock", testReset},
		{"FaultChoicesAreKeptSeededAndReset", testFaultChoicesKept},
		{"FaultCallsAreTakenOnce", testFaultCallsTakenOnce},
	} {
		t.Run(c.name, func(t *testing.T) { c.run(t, h) })
	}
}

var (
	ctx = context.Background()
	t0  = time.Date(2026, 5, 1, 10, 0, 0, 0, payment.CST)
)

const pid = "2088000000000001"

// tradeNos numbers the suite's trades: each has a trade number of its own.
var tradeNos atomic.Int64

func trade(out string) *payment.Trade {
	return &payment.Trade{
		TradeNo: fmt.Sprintf("T%019d", tradeNos.Add(1)), Status: payment.StatusPending, CreatedAt: t0,
		Order: payment.Order{AppID: "app", PID: pid, OutTradeNo: out, Subject: "s", Total: 100},
	}
}

func tx(t *testing.T, s Store, fn func(payment.Tx) error) {
	t.Helper()
	if err := s.Tx(ctx, fn); err != nil {
		t.Fatal(err)
	}
}

// pending inserts a notification (with its trade) due at t0.
func pending(t *testing.T, s Store, notifyID string) *payment.Notification {
	t.Helper()
	tr := trade(notifyID)
	n := &payment.Notification{NotifyID: notifyID, AppID: "app", URL: "http://shop.test/notify",
		Trade: *tr, Status: payment.NotifyPending, NextAttemptAt: t0, CreatedAt: t0}
	tx(t, s, func(tx payment.Tx) error {
		if err := tx.InsertTrade(tr); err != nil {
			return err
		}
		return tx.InsertNotification(n)
	})
	return n
}

func acked(n *payment.Notification, number int, at time.Time) (*payment.Attempt, payment.AttemptOutcome) {
	return &payment.Attempt{NotificationID: n.ID, Number: number, ScheduledAt: n.NextAttemptAt, StartedAt: at, Acked: true},
		payment.AttemptOutcome{Status: payment.NotifyAcked, Redeliveries: n.Redeliveries}
}

// lease is owner's lease at the lease-clock instant now, for a minute.
func lease(owner string, now time.Time) payment.Lease {
	return payment.Lease{Owner: owner, Now: now, Term: time.Minute}
}

// ids are the notifications' ids, in order.
func ids(ns []*payment.Notification) []int64 {
	out := make([]int64, len(ns))
	for i, n := range ns {
		out[i] = n.ID
	}
	return out
}
