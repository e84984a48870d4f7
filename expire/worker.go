// Package expire closes unpaid trades when their time runs out
// (timeout_express / time_expire, alipay-protocol.md §4.2), on the virtual
// clock, so an advance past a deadline closes the trade at once.
package expire

import (
	"context"
	"log/slog"
	"time"

	"github.com/mockpay/mockpay/clock"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/worker"
)

// Deadlines tells when the next unpaid trade runs out; store.DB implements it.
type Deadlines interface {
	NextExpiryAt(ctx context.Context) (time.Time, bool, error)
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

// Step closes what is due now.
func (w *Worker) Step(ctx context.Context) (int, error) { return w.Service.ExpireDue(ctx) }

// Wake makes Run look at the deadlines again (a new trade may end sooner).
func (w *Worker) Wake() { w.waker.Wake() }

// Run expires trades as their deadlines pass until ctx ends.
func (w *Worker) Run(ctx context.Context) error {
	return worker.Loop{
		Name:  "expire",
		Clock: w.Clock,
		Step:  func(ctx context.Context) error { _, err := w.Step(ctx); return err },
		Next:  w.Deadlines.NextExpiryAt,
		Wake:  w.waker,
		Log:   w.Log,
	}.Run(ctx)
}
