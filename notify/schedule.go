// Package notify delivers outbox notifications to shops: on schedule, at
// least once, judging each answer by the platform's acknowledgement rule.
package notify

import "time"

// Schedule is the wait after each failed attempt before the next one. After
// the last entry the platform gives up. Schedules are data, not code.
type Schedule []time.Duration

// AlipaySchedule is Alipay's: 8 attempts within about 25 hours, waiting 4m,
// 10m, 10m, 1h, 2h, 6h and 15h after each failed one (alipay-protocol.md §3.5).
var AlipaySchedule = Schedule{
	4 * time.Minute, 10 * time.Minute, 10 * time.Minute,
	time.Hour, 2 * time.Hour, 6 * time.Hour, 15 * time.Hour,
}

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
