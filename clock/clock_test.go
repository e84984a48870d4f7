package clock

import (
	"errors"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)

func TestFakeClockMovesOnlyOnAdvance(t *testing.T) {
	c := NewFake(t0)
	if !c.Now().Equal(t0) {
		t.Fatal(c.Now())
	}
	ch, stop := c.Until(t0.Add(time.Hour))
	defer stop()
	select {
	case <-ch:
		t.Fatal("fired before its time")
	default:
	}
	c.Advance(59 * time.Minute)
	select {
	case <-ch:
		t.Fatal("fired a minute early")
	default:
	}
	c.Advance(-time.Hour) // ignored: time never runs backwards
	if got := c.Now(); !got.Equal(t0.Add(59 * time.Minute)) {
		t.Fatalf("now = %v", got)
	}
	c.Advance(time.Minute)
	select {
	case <-ch:
	case <-time.After(time.Second):
		t.Fatal("did not fire when due")
	}
	past, stop2 := c.Until(t0)
	defer stop2()
	select {
	case <-past:
	default:
		t.Fatal("a past instant must fire at once")
	}
}

func TestScaledClockRunsFaster(t *testing.T) {
	c := NewScaled(t0, 3600) // an hour a second
	ch, stop := c.Until(t0.Add(30 * time.Minute))
	defer stop()
	select {
	case <-ch:
	case <-time.After(5 * time.Second):
		t.Fatal("a scaled clock did not reach +30m within 5 real seconds")
	}
	if c.Now().Before(t0.Add(30 * time.Minute)) {
		t.Error("fired before virtual time reached the instant")
	}
}

func TestAdvanceWakesScaledWaiters(t *testing.T) {
	c := NewScaled(t0, 1)
	ch, stop := c.Until(t0.Add(24 * time.Hour))
	defer stop()
	c.Advance(25 * time.Hour)
	select {
	case <-ch:
	case <-time.After(time.Second):
		t.Fatal("a jump past the instant did not wake the waiter")
	}
}

func TestStopReleasesWaiter(t *testing.T) {
	c := NewFake(t0)
	_, stop := c.Until(t0.Add(time.Hour))
	stop()
	stop() // twice is harmless
	if n := len(c.waiters); n != 0 {
		t.Errorf("%d waiters left", n)
	}
}

// TestTimeStopsAtMax: a jump past Max is refused and changes nothing; a
// plain Advance stops at Max; a scaled clock running past it stands at Max.
func TestTimeStopsAtMax(t *testing.T) {
	c := NewFake(t0)
	now, err := c.TryAdvance(2562047 * time.Hour) // time.Duration's maximum, as `clock advance 2562047h`
	if !errors.Is(err, ErrPastMax) || !now.Equal(t0) || !c.Now().Equal(t0) {
		t.Fatalf("TryAdvance past Max: %v %v, now %v", now, err, c.Now())
	}
	if !strings.Contains(err.Error(), "2200-01-01T00:00:00Z") {
		t.Errorf("the refusal does not say where time stops: %v", err)
	}
	if now, err := c.TryAdvance(Max.Sub(t0)); err != nil || !now.Equal(Max) {
		t.Errorf("TryAdvance to exactly Max: %v %v", now, err)
	}
	if _, err := c.TryAdvance(time.Nanosecond); !errors.Is(err, ErrPastMax) {
		t.Errorf("TryAdvance beyond Max: %v", err)
	}
	if got := NewFake(t0).Advance(2562047 * time.Hour); !got.Equal(Max) {
		t.Errorf("Advance past Max = %v", got)
	}
	if got := NewFake(Max.AddDate(100, 0, 0)).Now(); !got.Equal(Max) {
		t.Errorf("a start beyond Max reads %v", got)
	}

	// A scaled clock whose elapsed virtual time would overflow a Duration.
	real := t0
	s := NewScaled(Max.Add(-time.Hour), 1e12)
	s.realNow = func() time.Time { return real }
	s.realStart = real
	real = real.Add(time.Hour)
	if got := s.Now(); !got.Equal(Max) {
		t.Errorf("fast scaled clock reads %v, want Max", got)
	}
	if got := s.Now().UnixNano(); got != Max.UnixNano() || got <= 0 {
		t.Errorf("Max as Unix nanoseconds: %d", got)
	}
	ch, stop := s.Until(Max.Add(time.Nanosecond))
	defer stop()
	select {
	case <-ch:
		t.Error("a waiter beyond Max fired")
	default:
	}
}
