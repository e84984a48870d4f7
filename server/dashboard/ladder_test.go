package dashboard

import (
	"testing"
	"time"

	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/controlapi"
	"github.com/mockpay/mockpay/payment"
)

// alipay is Alipay's schedule (alipay-protocol.md §3.2): 4m 10m 10m 1h 2h 6h 15h.
var alipay = channel.Schedule{4 * time.Minute, 10 * time.Minute, 10 * time.Minute, time.Hour, 2 * time.Hour, 6 * time.Hour, 15 * time.Hour}

var t0 = time.Date(2026, 5, 1, 10, 0, 0, 0, payment.CST)

func stamp(d time.Duration) string { return t0.Add(d).Format(time.RFC3339) }

func TestLadder(t *testing.T) {
	// Attempt 1 refused at +0, a manual redelivery at +1m, attempt 2
	// refused at +4m; the schedule's third slot is next at +14m though a
	// second redelivery is due now.
	n := &payment.Notification{CreatedAt: t0, Status: payment.NotifyPending, NextAttemptAt: t0.Add(20 * time.Minute),
		ManualDue: true, Resume: &payment.Resume{Status: payment.NotifyPending, NextAttemptAt: t0.Add(14 * time.Minute)}}
	as := []controlapi.Attempt{
		{Number: 1, ScheduledAt: stamp(0), StartedAt: stamp(0), Verdict: "HTTP 500"},
		{Number: 2, ScheduledAt: stamp(time.Minute), StartedAt: stamp(time.Minute), Manual: true},
		{Number: 3, ScheduledAt: stamp(4 * time.Minute), StartedAt: stamp(4 * time.Minute)},
	}
	l := buildLadder(n, as, alipay)
	var offsets, states, ats []string
	for _, s := range l.Slots {
		offsets, states, ats = append(offsets, s.Offset), append(states, s.State), append(ats, s.At[11:16])
	}
	if got := join(offsets); got != "+0 +4m +14m +24m +1h24m +3h24m +9h24m +24h24m" {
		t.Errorf("offsets = %s", got)
	}
	if got := join(states); got != "failed failed next later later later later later" {
		t.Errorf("states = %s", got)
	}
	if got := join(ats); got != "10:00 10:04 10:14 10:24 11:24 13:24 19:24 10:24" {
		t.Errorf("times = %s", got)
	}
	if l.Span != "+24h24m" || l.Slots[0].Pos != 0 || l.Slots[7].Pos != 100 || len(l.Manual) != 1 || l.Manual[0].Attempt.Number != 2 {
		t.Errorf("ladder = %+v", l)
	}
	if !(l.Manual[0].Pos > l.Slots[0].Pos && l.Manual[0].Pos < l.Slots[1].Pos) {
		t.Errorf("the redelivery at +1m is drawn at %v, not between +0 and +4m", l.Manual[0].Pos)
	}

	// Acknowledged at the second slot: the rest are not needed.
	n = &payment.Notification{CreatedAt: t0, Status: payment.NotifyAcked}
	as = []controlapi.Attempt{{Number: 1, ScheduledAt: stamp(0)}, {Number: 2, ScheduledAt: stamp(4 * time.Minute), Acked: true}}
	l = buildLadder(n, as, alipay)
	if l.Slots[1].State != "ok" || l.Slots[2].State != "unneeded" || l.Slots[2].At != "" {
		t.Errorf("acked ladder = %+v", l.Slots[:3])
	}
}

func join(ss []string) string {
	out := ""
	for i, s := range ss {
		if i > 0 {
			out += " "
		}
		out += s
	}
	return out
}
