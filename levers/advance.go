package levers

import (
	"strconv"
	"strings"
	"time"
)

// Advance jumps virtual time forward by d; whatever falls due (retries,
// expiries) then happens at once, in due order, with its own virtual
// timestamps. A jump past the clock's maximum is refused and time stays.
func (l *Levers) Advance(d time.Duration) (time.Time, error) {
	return l.Clock.TryAdvance(d)
}

// ParseSpan reads a forward jump as people type it: Go durations ("6h",
// "90m", "1h30m") plus whole days ("2d").
func ParseSpan(v string) (time.Duration, error) {
	v = strings.TrimSpace(v)
	var d time.Duration
	var err error
	if days, ok := strings.CutSuffix(v, "d"); ok {
		var n int
		n, err = strconv.Atoi(days)
		d = time.Duration(n) * 24 * time.Hour
		if n > 3650 {
			err = strconv.ErrRange
		}
	} else {
		d, err = time.ParseDuration(v)
	}
	if err != nil || d <= 0 {
		return 0, errSpan(v)
	}
	return d, nil
}

type errSpan string

func (e errSpan) Error() string {
	return "\"" + string(e) + "\" is not a positive span such as 6h, 90m or 2d"
}
