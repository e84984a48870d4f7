// Package clock is the single source of time in mockpay.
//
// Domain code never calls time.Now: it asks a Clock. The Virtual clock can run
// at real speed, run scaled (a day of Alipay retries in seconds), stand still
// (tests) and jump forward; every waiter sees jumps at once, so the
// notification dispatcher and trade expiry follow virtual time.
package clock

import (
	"errors"
	"fmt"
	"sync"
	"time"
)

// Max is the latest instant virtual time reaches: the store keeps instants
// as Unix nanoseconds, which run out in April 2262, so time stops well
// before that, further ahead than any sandbox needs.
var Max = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)

// ErrPastMax is returned (wrapped) for a jump that would pass Max.
var ErrPastMax = errors.New("virtual time would pass its maximum")

// Clock tells virtual time and wakes waiters when virtual time reaches a point.
type Clock interface {
	Now() time.Time
	// Until returns a channel that receives once virtual time reaches t (at
	// once when t is not in the future), and a stop function that releases it.
	Until(t time.Time) (<-chan struct{}, func())
}

// Virtual is a clock whose time is origin + offset + scale*(real elapsed).
// Scale 0 freezes it (a fake clock for tests); scale 1 is real time.
type Virtual struct {
	// jumpMu serialises the jumps (Advance, TryAdvance, Restore, Keep), so
	// a jump can be stored without holding mu: a store's transaction may
	// itself be waiting to read the clock.
	jumpMu sync.Mutex
	save   func(Anchor) error // Keep's: stores every jump before it happens

	mu        sync.Mutex
	realStart time.Time // real instant at which virtual time was virtStart
	virtStart time.Time
	scale     float64
	realNow   func() time.Time
	waiters   map[*waiter]struct{}
}

type waiter struct {
	at    time.Time
	ch    chan struct{}
	timer *time.Timer
	done  bool
}

// NewReal returns a clock that follows real time at scale 1.
func NewReal() *Virtual { return NewScaled(time.Now(), 1) }

// NewScaled returns a clock that starts at start and runs scale times faster
// than real time. Scale 0 makes a frozen clock that only moves on Advance.
func NewScaled(start time.Time, scale float64) *Virtual {
	if scale < 0 {
		scale = 0
	}
	return &Virtual{
		realStart: time.Now(),
		virtStart: start,
		scale:     scale,
		realNow:   time.Now,
		waiters:   map[*waiter]struct{}{},
	}
}

// NewFake returns a frozen clock at start: time moves only through Advance.
func NewFake(start time.Time) *Virtual { return NewScaled(start, 0) }

// Scale reports how many virtual seconds pass per real second.
func (c *Virtual) Scale() float64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.scale
}

// Now returns the current virtual time.
func (c *Virtual) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.nowLocked()
}

// nowLocked is virtual now, which stands still at Max once there (a
// scaled clock running long or fast gets there; a start beyond it is Max).
func (c *Virtual) nowLocked() time.Time { return c.anchorLocked().At(c.realNow()) }

func (c *Virtual) anchorLocked() Anchor {
	return Anchor{Virtual: c.virtStart, Real: c.realStart, Scale: c.scale}
}

// Advance jumps virtual time forward by d, at most to Max (negative d is
// ignored: virtual time never runs backwards, or retry schedules and
// expiries would misbehave). TryAdvance refuses a jump past Max instead. A
// jump the keeper (Keep) cannot store does not happen: Advance returns the
// time it stayed at, TryAdvance the error.
func (c *Virtual) Advance(d time.Duration) time.Time {
	c.jumpMu.Lock()
	defer c.jumpMu.Unlock()
	c.mu.Lock()
	d = min(d, Max.Sub(c.nowLocked()))
	c.mu.Unlock()
	now, _ := c.jump(d)
	return now
}

// TryAdvance is Advance for a caller who asked for a span: a jump that
// would pass Max is refused with ErrPastMax, and time stays where it is.
func (c *Virtual) TryAdvance(d time.Duration) (time.Time, error) {
	c.jumpMu.Lock()
	defer c.jumpMu.Unlock()
	c.mu.Lock()
	now := c.nowLocked()
	c.mu.Unlock()
	if room := Max.Sub(now); d > room {
		return now, fmt.Errorf("%w: now is %s and time stops at %s, %s from now",
			ErrPastMax, now.Format(time.RFC3339), Max.Format(time.RFC3339), room.Truncate(time.Second))
	}
	return c.jump(d)
}

// jump moves time d forward: the new anchor is stored first (jumpMu held,
// mu not), then applied, so the clock in memory is never ahead of the one
// a restart reads.
func (c *Virtual) jump(d time.Duration) (time.Time, error) {
	c.mu.Lock()
	if d <= 0 {
		defer c.mu.Unlock()
		return c.nowLocked(), nil
	}
	real := c.realNow()
	next := Anchor{Virtual: c.anchorLocked().At(real).Add(d), Real: real, Scale: c.scale}
	save := c.save
	c.mu.Unlock()
	if save != nil {
		if err := save(next); err != nil {
			return c.Now(), fmt.Errorf("store the clock: %w", err)
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.realStart, c.virtStart = next.Real, next.Virtual
	c.rearmLocked()
	return c.nowLocked(), nil
}

// Until implements Clock.
func (c *Virtual) Until(t time.Time) (<-chan struct{}, func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	w := &waiter{at: t, ch: make(chan struct{})}
	c.waiters[w] = struct{}{}
	c.armLocked(w)
	return w.ch, func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.releaseLocked(w)
	}
}

// armLocked fires w if due, or sets a real timer for when it will be due.
func (c *Virtual) armLocked(w *waiter) {
	if w.done {
		return
	}
	if w.timer != nil {
		w.timer.Stop()
		w.timer = nil
	}
	left := w.at.Sub(c.nowLocked())
	if left <= 0 {
		close(w.ch)
		w.done = true
		delete(c.waiters, w)
		return
	}
	if c.scale == 0 {
		return // only Advance can make it due
	}
	if w.at.After(Max) {
		return // time stops at Max: never due, so no timer to keep re-arming
	}
	real := time.Duration(float64(left) / c.scale)
	w.timer = time.AfterFunc(real, func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.armLocked(w) // re-check: rounding may leave it a hair early
	})
}

func (c *Virtual) rearmLocked() {
	for w := range c.waiters {
		c.armLocked(w)
	}
}

func (c *Virtual) releaseLocked(w *waiter) {
	if w.timer != nil {
		w.timer.Stop()
	}
	if !w.done {
		w.done = true
		delete(c.waiters, w)
	}
}
