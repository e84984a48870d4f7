package channel

import "time"

// Schedule is the wait after each failed attempt before the next one. After
// the last entry the platform gives up. Schedules are data, not code.
type Schedule []time.Duration

// Attempts is how many attempts the schedule allows in all.
func (s Schedule) Attempts() int { return len(s) + 1 }

// After returns the wait after the given failed attempt (1-based), and false
// when no attempt follows it.
func (s Schedule) After(attempt int) (time.Duration, bool) {
	if attempt < 1 || attempt > len(s) {
		return 0, false
	}
	return s[attempt-1], true
}
