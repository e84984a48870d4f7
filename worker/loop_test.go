package worker_test

import (
	"context"
	"testing"
	"time"

	"github.com/mockpay/mockpay/clock"
	"github.com/mockpay/mockpay/worker"
)

// TestStepDoesNotWakeItself: a step whose own commit wakes its loop (the
// expiry worker's empty transaction does) must not run again at once, or
// the loop spins at 100% CPU while nothing is due. A wake from elsewhere
// still runs the step.
func TestStepDoesNotWakeItself(t *testing.T) {
	w := worker.NewWaker()
	steps := make(chan int, 10)
	nexts := make(chan int, 10) // pending wakes seen when Next runs
	n := 0
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- worker.Loop{
			Name:  "test",
			Clock: clock.NewFake(time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)),
			Step: func(context.Context) error {
				n++
				w.Wake() // as a commit observed by the repo would
				steps <- n
				return nil
			},
			Next: func(context.Context) (time.Time, bool, error) {
				nexts <- len(w)
				return time.Time{}, false, nil
			},
			Wake: w,
		}.Run(ctx)
	}()
	<-steps
	if pending := <-nexts; pending != 0 {
		t.Fatalf("after a step, %d wake-up of its own is pending: the loop would step again at once", pending)
	}
	w.Wake() // a new trade, say
	if got := <-steps; got != 2 {
		t.Fatalf("step %d after an outside wake", got)
	}
	<-nexts
	cancel()
	if err := <-done; err != context.Canceled {
		t.Errorf("Run = %v", err)
	}
}
