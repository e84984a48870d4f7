package instance_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/clock"
	"github.com/mockpay/mockpay/instance"
)

// TestClockAdvancedBeforeARestartStaysAdvanced: advance 25h through the
// control API, restart on the same database with a new clock at the same
// start (a new process with the same flags), and virtual time is still 25h
// ahead: the retry due two days after the last attempt comes when it is
// due, not a day late.
func TestClockAdvancedBeforeARestartStaysAdvanced(t *testing.T) {
	e := newEnvWithConfig(t, clock.NewFake(start), func(c *instance.Config) {
		c.Schedule = channel.Schedule{4 * time.Minute, 48 * time.Hour}
	})
	e.shop.setAnswer(func(int) (int, string) { return 500, "down" })
	e.pay("CLOCK-RESTART-1", "3.00")
	if got := e.shop.next(t).Get("notify_time"); got != "2026-05-01 10:00:00" {
		t.Fatalf("first attempt at %s", got)
	}
	var c map[string]any
	if code := e.api("POST", "/clock/advance", map[string]string{"by": "25h"}, &c); code != http.StatusOK || c["now"] != "2026-05-02T11:00:00+08:00" {
		t.Fatalf("advance: %d %v", code, c)
	}
	if got := e.shop.next(t).Get("notify_time"); got != "2026-05-01 10:04:00" {
		t.Fatalf("second attempt at %s", got)
	}
	e.settle() // the third attempt is due at 2026-05-03 10:04

	e.clock = clock.NewFake(start)
	e.restart()
	if code := e.api("GET", "/clock", nil, &c); code != http.StatusOK || c["now"] != "2026-05-02T11:00:00+08:00" {
		t.Fatalf("clock after the restart: %d %v", code, c)
	}
	e.shop.none(t, e)
	e.shop.setAnswer(func(int) (int, string) { return 200, "success" })
	if code := e.api("POST", "/clock/advance", map[string]string{"by": "23h4m"}, &c); code != http.StatusOK {
		t.Fatalf("advance: %d %v", code, c)
	}
	if got := e.shop.next(t).Get("notify_time"); got != "2026-05-03 10:04:00" {
		t.Errorf("third attempt at %s", got)
	}
}

// TestLaterClockStartMovesTimeForward: a start later than the stored clock
// wins (time moves forward); an earlier one does not take time back.
func TestLaterClockStartMovesTimeForward(t *testing.T) {
	e := newEnvWithClock(t, clock.NewFake(start))
	e.clock = clock.NewFake(start.Add(72 * time.Hour))
	e.restart()
	var c map[string]any
	if e.api("GET", "/clock", nil, &c); c["now"] != "2026-05-04T10:00:00+08:00" {
		t.Errorf("clock after a later start: %v", c)
	}
	e.clock = clock.NewFake(start)
	e.restart()
	if e.api("GET", "/clock", nil, &c); c["now"] != "2026-05-04T10:00:00+08:00" {
		t.Errorf("clock after an earlier start: %v", c)
	}
}
