// Package expire closes unpaid trades when their time runs out
// (timeout_express / time_expire, alipay-protocol.md §4.2) and finishes paid
// trades when their refund window ends (§4.1), on the virtual clock, so an
// advance past a deadline applies it at once.
package expire

import (
	"context"
	"log/slog"
	"time"

	"github.com/mockpay/mockpay/clock"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/worker"
)

// Deadlines tells when the next unpaid trade runs out and when the next
// paid trade's refund window ends; store.DB implements it.
type Deadlines interface {
	NextExpiryAt(ctx context.Context) (time.Time, bool, error)
	NextFinishAt(ctx context.Context) (time.Time, bool, error)
}

// Worker runs the expiry.
type Worker struct {
	Service   *payment.Service
	Deadlines Deadlines
	Clock     clock.Clock
	Log       *slog.Logger
	waker     worker.Waker
}

// New returns a worker.
func New(s *payment.Service, d Deadlines, c clock.Clock, log *slog.Logger) *Worker {
	return &Worker{Service: s, Deadlines: d, Clock: c, Log: log, waker: worker.NewWaker()}
}

// Step closes the unpaid trades and finishes the paid ones that are due
// now, and returns how many trades it changed.
func (w *Worker) Step(ctx context.Context) (int, error) {
	closed, err := w.Service.ExpireDue(ctx)
	if err != nil {
		return closed, err
	}
	finished, err := w.Service.FinishDue(ctx)
	return closed + finished, err
}

// next is the earliest deadline of either kind.
func (w *Worker) next(ctx context.Context) (time.Time, bool, error) {
	exp, okExp, err := w.Deadlines.NextExpiryAt(ctx)
	if err != nil {
		return time.Time{}, false, err
	}
	fin, okFin, err := w.Deadlines.NextFinishAt(ctx)
	switch {
	case err != nil:
		return time.Time{}, false, err
	case okExp && (!okFin || exp.Before(fin)):
		return exp, true, nil
	}
	return fin, okFin, nil
}

// Wake makes Run look at the deadlines again (a new trade may end sooner).
func (w *Worker) Wake() { w.waker.Wake() }

// Run expires and finishes trades as their deadlines pass until ctx ends.
func (w *Worker) Run(ctx context.Context) error {
	return worker.Loop{
		Name:  "expire",
		Clock: w.Clock,
		Step:  func(ctx context.Context) error { _, err := w.Step(ctx); return err },
		Next:  w.next,
		Wake:  w.waker,
		Log:   w.Log,
	}.Run(ctx)
}
