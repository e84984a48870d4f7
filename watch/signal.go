// Package watch lets long polls wait for "something changed" without
// polling: every commit fires the signal, and waiters re-check their
// condition.
package watch

import (
	"context"
	"errors"
	"sync"
	"time"
)

// Signal is a broadcast that can fire any number of times.
type Signal struct {
	mu sync.Mutex
	ch chan struct{}
}

// Changed returns a channel that is closed at the next Fire.
func (s *Signal) Changed() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ch == nil {
		s.ch = make(chan struct{})
	}
	return s.ch
}

// Fire wakes everyone waiting on Changed.
func (s *Signal) Fire() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ch != nil {
		close(s.ch)
		s.ch = nil
	}
}

// ErrTimeout is Until's answer when the wait ran out first.
var ErrTimeout = errors.New("timed out")

// Until re-checks cond after every Fire until it holds, ctx ends or the
// wait runs out (ErrTimeout). The wait is real time on purpose: it bounds
// how long a caller blocks, whatever the virtual clock does.
func (s *Signal) Until(ctx context.Context, wait time.Duration, cond func() (bool, error)) error {
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for {
		changed := s.Changed() // before checking, so no change is missed
		ok, err := cond()
		if err != nil || ok {
			return err
		}
		select {
		case <-changed:
		case <-timer.C:
			return ErrTimeout
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
