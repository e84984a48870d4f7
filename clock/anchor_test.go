package clock

import (
	"errors"
	"testing"
	"time"
)

// TestAnchorRunsAtItsScale: a stored scaled clock read later has run on
// at its scale; a wall clock set back does not take it back.
func TestAnchorRunsAtItsScale(t *testing.T) {
	real := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	a := Anchor{Virtual: t0, Real: real, Scale: 3600}
	if got := a.At(real.Add(2 * time.Second)); !got.Equal(t0.Add(2 * time.Hour)) {
		t.Errorf("2s later at 3600x: %v", got)
	}
	if got := a.At(real.Add(-time.Hour)); !got.Equal(t0) {
		t.Errorf("a wall clock set back: %v", got)
	}
	if got := (Anchor{Virtual: t0, Real: real}).At(real.Add(time.Hour)); !got.Equal(t0) {
		t.Errorf("a frozen clock moved: %v", got)
	}
	if got := a.At(real.Add(100 * 365 * 24 * time.Hour)); !got.Equal(Max) {
		t.Errorf("far later: %v, want Max", got)
	}
}

// TestRestoreOnlyMovesForward: a stored clock ahead wins (and this
// clock's scale holds from there); one behind changes nothing.
func TestRestoreOnlyMovesForward(t *testing.T) {
	real := t0
	c := NewScaled(t0, 2)
	c.realNow = func() time.Time { return real }
	c.realStart = real
	if c.Restore(Anchor{Virtual: t0.Add(-time.Hour), Real: real, Scale: 1}) || !c.Now().Equal(t0) {
		t.Errorf("a stored clock behind moved time to %v", c.Now())
	}
	// Stored 25h ahead a minute ago, at real speed: 25h1m ahead now.
	if !c.Restore(Anchor{Virtual: t0.Add(25 * time.Hour), Real: real.Add(-time.Minute), Scale: 1}) {
		t.Fatal("a stored clock ahead was not restored")
	}
	if want := t0.Add(25*time.Hour + time.Minute); !c.Now().Equal(want) {
		t.Errorf("restored: %v, want %v", c.Now(), want)
	}
	real = real.Add(time.Second)
	if want := t0.Add(25*time.Hour + time.Minute + 2*time.Second); !c.Now().Equal(want) {
		t.Errorf("a second later at this clock's scale 2: %v, want %v", c.Now(), want)
	}
}

// TestKeepStoresEveryJumpFirst: Keep stores the anchor at once and each
// jump's before it happens; a jump the store refuses does not happen.
func TestKeepStoresEveryJumpFirst(t *testing.T) {
	c := NewFake(t0)
	var saved []Anchor
	fail := false
	save := func(a Anchor) error {
		if fail {
			return errors.New("disk full")
		}
		saved = append(saved, a)
		return nil
	}
	if err := c.Keep(save); err != nil || len(saved) != 1 || !saved[0].Virtual.Equal(t0) {
		t.Fatalf("keep: %v %+v", err, saved)
	}
	c.Advance(time.Hour)
	if _, err := c.TryAdvance(24 * time.Hour); err != nil {
		t.Fatal(err)
	}
	if len(saved) != 3 || !saved[2].Virtual.Equal(t0.Add(25*time.Hour)) || !saved[2].Virtual.Equal(c.Now()) {
		t.Fatalf("saved %+v, now %v", saved, c.Now())
	}
	fail = true
	if now, err := c.TryAdvance(time.Hour); err == nil || !now.Equal(t0.Add(25*time.Hour)) {
		t.Errorf("a refused save: %v %v", now, err)
	}
	if now := c.Advance(time.Hour); !now.Equal(t0.Add(25 * time.Hour)) {
		t.Errorf("Advance past a refused save: %v", now)
	}
	if err := c.Keep(nil); err != nil {
		t.Fatal(err)
	}
	if now := c.Advance(time.Hour); !now.Equal(t0.Add(26 * time.Hour)) {
		t.Errorf("after Keep(nil): %v", now)
	}
}
