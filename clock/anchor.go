package clock

import "time"

// Anchor is what defines a running virtual clock: at the real instant Real
// virtual time was Virtual, and it runs Scale times real time. Stored, it
// lets a restarted mockpay (or, later, another replica on the same
// database) continue the same clock.
type Anchor struct {
	Virtual time.Time
	Real    time.Time
	Scale   float64
}

// At is the anchored clock's time at the real instant real, at most Max. A
// real instant before Real (a wall clock set back) counts as Real: virtual
// time never runs backwards.
func (a Anchor) At(real time.Time) time.Time {
	if !a.Virtual.Before(Max) {
		return Max
	}
	elapsed := real.Sub(a.Real)
	if a.Scale <= 0 || elapsed <= 0 {
		return a.Virtual
	}
	// Compare before converting: a large product overflows a Duration.
	ahead := float64(elapsed) * a.Scale
	if ahead >= float64(Max.Sub(a.Virtual)) {
		return Max
	}
	return a.Virtual.Add(time.Duration(ahead))
}

// Anchor is the clock's anchor now.
func (c *Virtual) Anchor() Anchor {
	c.mu.Lock()
	defer c.mu.Unlock()
	real := c.realNow()
	return Anchor{Virtual: c.anchorLocked().At(real), Real: real, Scale: c.scale}
}

// Restore continues a stored clock: when the stored clock, run on at its
// own scale to now, is ahead of this one, this one jumps to it (keeping its
// own scale from there); otherwise nothing changes. Either way time only
// moves forward, so what was due by the stored clock stays due. It reports
// whether the clock moved.
func (c *Virtual) Restore(stored Anchor) bool {
	c.jumpMu.Lock()
	defer c.jumpMu.Unlock()
	c.mu.Lock()
	defer c.mu.Unlock()
	real := c.realNow()
	v := stored.At(real)
	if !v.After(c.anchorLocked().At(real)) {
		return false
	}
	c.realStart, c.virtStart = real, v
	c.rearmLocked()
	return true
}

// Keep stores the clock's anchor now with save, and every jump's before the
// jump happens (a jump save refuses does not happen), so a restart can
// Restore it. Keep(nil) stops storing (the store is closing).
func (c *Virtual) Keep(save func(Anchor) error) error {
	c.jumpMu.Lock()
	defer c.jumpMu.Unlock()
	if save == nil {
		c.save = nil
		return nil
	}
	if err := save(c.Anchor()); err != nil {
		return err
	}
	c.save = save
	return nil
}
