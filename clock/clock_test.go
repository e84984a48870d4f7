package clock

import (
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
