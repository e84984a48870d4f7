package dashboard

import (
	"math"
	"strings"
	"time"

	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/controlapi"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/server/views"
)

// ladder is a notification's retry schedule drawn as slots on a time axis
// (issue 11 item 2): every attempt the platform's schedule allows, at its
// offset from the first (+4m, +14m, … for Alipay, §3.2), the ones made with
// their verdicts, the next one highlighted and the rest greyed; manual
// redeliveries, which take no slot, apart on the same axis.
type ladder struct {
	Slots  []slot
	Manual []manualMark
	Span   string // the schedule's whole span, "+24h58m"
}

// slot is one attempt of the schedule.
type slot struct {
	N       int
	Offset  string  // from the first attempt, nominal: "+0", "+4m"
	At      string  // the attempt's scheduled time (made or projected), as views.Stamp
	Pos     float64 // 0-100 along the axis
	State   string  // ok, failed, next, later, unneeded
	Attempt *controlapi.Attempt
}

type manualMark struct {
	Pos     float64
	Attempt controlapi.Attempt
}

// buildLadder draws n's schedule s with its attempts as. The axis is
// logarithmic in the offset, so that minutes and hours both show.
func buildLadder(n *payment.Notification, as []controlapi.Attempt, s channel.Schedule) ladder {
	var l ladder
	offsets := []time.Duration{0}
	for _, d := range s {
		offsets = append(offsets, offsets[len(offsets)-1]+d)
	}
	span := offsets[len(offsets)-1]
	l.Span = "+" + short(span)
	pos := func(d time.Duration) float64 {
		if span <= 0 {
			return 0
		}
		return math.Round(1000*math.Log1p(max(d, 0).Minutes())/math.Log1p(span.Minutes())) / 10
	}
	var scheduled []controlapi.Attempt
	for _, a := range as {
		if !a.Manual {
			scheduled = append(scheduled, a)
		}
	}
	first := n.CreatedAt
	if len(scheduled) > 0 {
		if t, err := time.Parse(time.RFC3339, scheduled[0].ScheduledAt); err == nil {
			first = t
		}
	}
	// Where the schedule goes on: its next slot's time.
	next := time.Time{}
	if n.Status == payment.NotifyPending {
		next = n.NextAttemptAt
		if n.ManualDue && n.Resume != nil {
			next = n.Resume.NextAttemptAt
			if n.Resume.Status != payment.NotifyPending {
				next = time.Time{}
			}
		}
	}
	var at time.Time
	for i, off := range offsets {
		sl := slot{N: i + 1, Offset: "+" + short(off), Pos: pos(off), State: "later"}
		switch {
		case i < len(scheduled):
			a := scheduled[i]
			sl.Attempt, sl.At, sl.State = &a, a.ScheduledAt, "failed"
			if a.Acked {
				sl.State = "ok"
			}
			at, _ = time.Parse(time.RFC3339, a.ScheduledAt)
		case i == len(scheduled) && !next.IsZero():
			sl.State, at = "next", next
			sl.At = views.Stamp(at)
		case next.IsZero():
			sl.State = "unneeded" // acknowledged or given up: never sent
		default:
			at = at.Add(s[i-1])
			sl.At = views.Stamp(at)
		}
		l.Slots = append(l.Slots, sl)
	}
	for _, a := range as {
		if a.Manual {
			t, err := time.Parse(time.RFC3339, a.StartedAt)
			if err != nil {
				continue
			}
			l.Manual = append(l.Manual, manualMark{Pos: min(100, pos(t.Sub(first))), Attempt: a})
		}
	}
	return l
}

// short is a span as the ladder labels it: 0, 4m, 14m, 1h24m, 2h, 30s.
func short(d time.Duration) string {
	if d == 0 {
		return "0"
	}
	s := d.Round(time.Second).String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
