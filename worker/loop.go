// Package worker runs background steps on the virtual clock: sleep until the
// next due instant or a wake-up, run one step, repeat. No polling.
package worker

import (
	"context"
	"log/slog"
	"time"

	"github.com/mockpay/mockpay/clock"
)

// Loop is what a worker tells the runner.
type Loop struct {
	Name  string
	Clock clock.Clock
	// Step does everything due now.
	Step func(ctx context.Context) error
	// Next says when something is next due (false: nothing is scheduled).
	Next func(ctx context.Context) (time.Time, bool, error)
	Wake <-chan struct{}
	Log  *slog.Logger
}

// retryAfterError is how long a failing step waits (real time) before it
// runs again: a database error is operational, not virtual.
const retryAfterError = time.Second

// Run runs the loop until ctx ends.
func (l Loop) Run(ctx context.Context) error {
	log := l.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	for {
		if err := l.Step(ctx); err != nil && ctx.Err() == nil {
			log.Error(l.Name+" step", "err", err)
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(retryAfterError):
			}
			continue
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		// A step's own commits may wake its loop (the expiry worker's do,
		// through the repo observer). Whatever they changed, Next reads
		// below; a wake left pending would run the step again at once,
		// forever: a loop that burns a CPU while nothing is due.
		drain(l.Wake)
		next, ok, err := l.Next(ctx)
		if err != nil && ctx.Err() == nil {
			log.Error(l.Name+" next", "err", err)
		}
		due, stop := (<-chan struct{})(nil), func() {}
		if ok {
			due, stop = l.Clock.Until(next)
		}
		select {
		case <-ctx.Done():
			stop()
			return ctx.Err()
		case <-l.Wake:
		case <-due:
		}
		stop()
	}
}

// drain drops wake-ups already sent; wakes sent later still count.
func drain(wake <-chan struct{}) {
	for {
		select {
		case <-wake:
		default:
			return
		}
	}
}

// Waker is a wake-up channel that never blocks its sender.
type Waker chan struct{}

// NewWaker returns a Waker.
func NewWaker() Waker { return make(Waker, 1) }

// Wake asks the worker to look again now.
func (w Waker) Wake() {
	select {
	case w <- struct{}{}:
	default:
	}
}
