package main

import (
	"context"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mockpay/mockpay/controlapi"
)

// follow runs "mockpay notifications --follow" until the returned stop is
// called; stop returns run's result.
func (s *sandbox) follow(args ...string) (*lines, func() error) {
	out := newLines()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"notifications", "--follow", "--server", s.base}, args...), envFunc(nil), out.w, io.Discard)
		out.w.Close()
	}()
	stop := func() error { cancel(); return <-done }
	s.t.Cleanup(func() { cancel() })
	return out, stop
}

var attemptRE = regexp.MustCompile(`^(?:\d{4}-\d\d-\d\d )?(\d\d:\d\d:\d\d)  #(\d+) attempt (\d)(?: \(manual\))? → (\S+)  (\d+|---)  \d+ms(?:  \S+ late)?  (".*")  (.*)$`)

func parseAttempt(t *testing.T, line string) []string {
	t.Helper()
	m := attemptRE.FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("not an attempt line: %q", line)
	}
	return m
}

// virtual reads an API time.
func virtual(t *testing.T, stamp string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, stamp)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestNotificationsFollow: the live tail prints one line per attempt as it
// happens: the failed first attempt with its next retry, the retry that a
// clock advance makes due, and a redelivery of the acknowledged
// notification; Ctrl-C (the context) ends it cleanly.
func TestNotificationsFollow(t *testing.T) {
	s := newSandbox(t)
	s.shop.answer("500 down", "200 success")
	s.order("FOLLOW-1", "9.99")
	out, stop := s.follow()
	jsonOut, stopJSON := s.follow("--json")

	s.mustCLI("pay", "--app", fixtureApp, "--out-trade-no", "FOLLOW-1")
	tradeNo := s.tradeNo("FOLLOW-1")
	first, skipped := out.next(t, ` attempt 1 → `)
	if len(skipped) != 0 {
		t.Errorf("lines before the first attempt: %q", skipped)
	}
	m := parseAttempt(t, first)
	// --json: the feed's own objects, one a line.
	if line, _ := jsonOut.next(t, `.`); !strings.HasPrefix(line, `{"feed_id":`) || !strings.Contains(line, `"number":1,`) || !strings.Contains(line, `"status_code":500`) {
		t.Errorf("--follow --json line: %s", line)
	}
	if err := stopJSON(); err != nil {
		t.Error(err)
	}
	var ns []controlapi.Notification
	s.api("/notifications?trade_no="+tradeNo, &ns)
	if len(ns) != 1 {
		t.Fatalf("notifications: %+v", ns)
	}
	n := ns[0]
	sched := virtual(t, n.Attempts[0].ScheduledAt)
	next := virtual(t, n.NextAttemptAt)
	if next.Sub(sched) != 4*time.Minute {
		t.Fatalf("the API's next attempt is %s after the first", next.Sub(sched))
	}
	wantFailed := `"down"  ✗ failed · next retry ` + next.Format("15:04:05")
	if m[1] != sched.Format("15:04:05") || m[2] != strconv.FormatInt(n.ID, 10) || m[4] != s.shop.URL+"/notify" || m[5] != "500" ||
		!strings.HasSuffix(first, wantFailed) {
		t.Errorf("first attempt line:\n %q\nwant time %s, #%d, %s/notify, 500, ending %q", first, sched.Format("15:04:05"), n.ID, s.shop.URL, wantFailed)
	}

	// Nothing more until virtual time reaches the retry.
	s.mustCLI("clock", "advance", "4m")
	second, skipped := out.next(t, ` attempt 2 → `)
	if len(skipped) != 0 {
		t.Errorf("lines between the attempts: %q", skipped)
	}
	m = parseAttempt(t, second)
	if m[1] != next.Format("15:04:05") || m[5] != "200" || m[6] != `"success"` || m[7] != "✓ acked" {
		t.Errorf("retry line: %q (want it at %s, acked)", second, next.Format("15:04:05"))
	}

	// A redelivery of the acknowledged notification is a third attempt,
	// marked manual.
	redo := s.mustCLI("redeliver", strconv.FormatInt(n.ID, 10))
	if !strings.Contains(redo, "notification #"+strconv.FormatInt(n.ID, 10)) || !strings.Contains(redo, n.NotifyID) {
		t.Errorf("redeliver printed %q", redo)
	}
	third, _ := out.next(t, ` attempt 3 \(manual\) → `)
	if m = parseAttempt(t, third); m[7] != "✓ acked" {
		t.Errorf("redelivery line: %q", third)
	}
	if got := <-s.shop.received; got == "" {
		t.Error("empty notification body")
	}

	if err := stop(); err != nil {
		t.Errorf("follow ended with %v, want a clean exit on interrupt", err)
	}
}

// TestFollowShowsTheScheduleToGivingUp: a shop that never acknowledges
// sees Alipay's 8 attempts; after one advance of 25h the tail prints each
// at its own virtual time with the next retry, and the last as gave up.
func TestFollowShowsTheScheduleToGivingUp(t *testing.T) {
	s := newSandbox(t)
	s.shop.answer("500 down")
	s.order("GIVEUP-1", "1.00")
	s.order("OTHER-1", "1.00")
	s.mustCLI("pay", "--app", fixtureApp, "--out-trade-no", "GIVEUP-1")
	tradeNo := s.tradeNo("GIVEUP-1")
	out, stop := s.follow("--trade", tradeNo)
	s.mustCLI("pay", "--app", fixtureApp, "--out-trade-no", "OTHER-1") // not this trade: not shown
	first, _ := out.next(t, ` attempt 1 → `)
	t0, err := time.Parse("15:04:05", parseAttempt(t, first)[1])
	if err != nil {
		t.Fatal(err)
	}
	s.mustCLI("clock", "advance", "25h")
	offsets := []time.Duration{0, 4 * time.Minute, 14 * time.Minute, 24 * time.Minute, 84 * time.Minute,
		204 * time.Minute, 564 * time.Minute, 1464 * time.Minute} // §3.5
	lines := []string{first}
	for k := 2; k <= 8; k++ {
		line, skipped := out.next(t, ` attempt `+strconv.Itoa(k)+` → `)
		if len(skipped) != 0 {
			t.Errorf("unexpected lines: %q", skipped)
		}
		lines = append(lines, line)
	}
	for k, line := range lines {
		m := parseAttempt(t, line)
		// A line on another day than the line before carries its date (each
		// gap is under a day, so a time of day below the previous one is a
		// new day); the others only the time.
		if k > 0 {
			prev := parseAttempt(t, lines[k-1])[1]
			if dated, newDay := line[4] == '-', m[1] < prev; dated != newDay {
				t.Errorf("attempt %d: date shown %v, new day %v: %q", k+1, dated, newDay, line)
			}
		}
		if want := t0.Add(offsets[k]).Format("15:04:05"); m[1] != want {
			t.Errorf("attempt %d at %s, want %s: %q", k+1, m[1], want, line)
		}
		if k == 7 {
			if m[7] != "✗ gave up" {
				t.Errorf("last attempt: %q", line)
			}
			continue
		}
		nextAt := t0.Add(offsets[k+1])
		if !strings.HasPrefix(m[7], "✗ failed · next retry ") || !strings.HasSuffix(m[7], nextAt.Format("15:04:05")) {
			t.Errorf("attempt %d outcome %q, want a retry at %s", k+1, m[7], nextAt.Format("15:04:05"))
		}
	}
	if err := stop(); err != nil {
		t.Error(err)
	}
}

func TestNotificationsList(t *testing.T) {
	s := newSandbox(t)
	s.order("LIST-1", "1.00")
	s.mustCLI("pay", "--app", fixtureApp, "--out-trade-no", "LIST-1")
	<-s.shop.received
	tradeNo := s.tradeNo("LIST-1")
	var n controlapi.Notification
	if s.api("/notifications/wait?trade_no="+tradeNo+"&status=acked&timeout=10s", &n); n.Status != "acked" {
		t.Fatalf("not acknowledged: %+v", n)
	}
	out := s.mustCLI("notifications", "--app", fixtureApp)
	rows := strings.Split(strings.TrimSpace(out), "\n")
	if len(rows) != 2 || !strings.HasPrefix(rows[0], "ID ") {
		t.Fatalf("table: %q", out)
	}
	if f := strings.Fields(rows[1]); len(f) != 8 || f[0] != strconv.FormatInt(n.ID, 10) || f[1] != tradeNo || f[2] != "LIST-1" ||
		f[3] != "TRADE_SUCCESS" || f[4] != "acked" || f[5] != "1" || f[6] != "-" || f[7] != s.shop.URL+"/notify" {
		t.Errorf("row: %q", rows[1])
	}
	if out := s.mustCLI("notifications", "--app", "2021000122600002"); strings.Count(out, "\n") != 1 {
		t.Errorf("another app's notifications: %q", out)
	}
	raw := s.mustCLI("notifications", "--trade", tradeNo, "--json")
	if !strings.HasPrefix(raw, `[{"id":`) || !strings.Contains(raw, `"attempts":[{`) {
		t.Errorf("--json: %s", raw)
	}
	if _, err := s.cli("notifications", "--follow", "--status", "acked"); exitCode(err) != 2 {
		t.Errorf("--status with --follow: %v", err)
	}
	if _, err := s.cli("redeliver", "999999"); err == nil || err.Error() != "notification_not_found: no notification 999999" {
		t.Errorf("redeliver of an unknown id: %v", err)
	}
}

func TestAttemptLineOutcomes(t *testing.T) {
	a := controlapi.Attempt{Number: 2, ScheduledAt: "2026-05-01T10:04:00+08:00", StartedAt: "2026-05-01T10:04:00+08:00",
		URL: "http://127.0.0.1:8080/notify", StatusCode: 500, LatencyMS: 12, Answer: "down"}
	cases := []struct {
		name                string
		mod                 func(*controlapi.Attempt)
		next, status, nextN string
		want                string
	}{
		{"failed, retry known from the notification", nil, "", "pending", "2026-05-01T10:14:00+08:00",
			`10:04:00  #3 attempt 2 → http://127.0.0.1:8080/notify  500  12ms  "down"  ✗ failed · next retry 10:14:00`},
		{"failed, retry known from a later attempt", nil, "2026-05-01T10:14:00+08:00", "gave_up", "",
			`10:04:00  #3 attempt 2 → http://127.0.0.1:8080/notify  500  12ms  "down"  ✗ failed · next retry 10:14:00`},
		{"retry on another day shows the date", nil, "", "pending", "2026-05-02T01:24:00+08:00",
			`10:04:00  #3 attempt 2 → http://127.0.0.1:8080/notify  500  12ms  "down"  ✗ failed · next retry 2026-05-02 01:24:00`},
		{"acked", func(a *controlapi.Attempt) { a.StatusCode, a.Answer, a.Acked, a.LatencyMS = 200, "success", true, 3 }, "", "acked", "",
			`10:04:00  #3 attempt 2 → http://127.0.0.1:8080/notify  200  3ms  "success"  ✓ acked`},
		{"the last attempt", func(a *controlapi.Attempt) { a.Number = 8 }, "", "gave_up", "",
			`10:04:00  #3 attempt 8 → http://127.0.0.1:8080/notify  500  12ms  "down"  ✗ gave up`},
		{"200 without exactly success says why", func(a *controlapi.Attempt) {
			a.StatusCode, a.Answer, a.Verdict = 200, "success\n", `the answer must be exactly "success", with nothing around it; got "success\n"`
		}, "", "pending", "2026-05-01T10:14:00+08:00",
			`10:04:00  #3 attempt 2 → http://127.0.0.1:8080/notify  200  12ms  "success\n"  ✗ failed (the answer must be exactly "success", with nothing around it; got "success\n") · next retry 10:14:00`},
		{"a late attempt says how late", func(a *controlapi.Attempt) { a.LagMS = (2*time.Hour + 5*time.Minute).Milliseconds() }, "", "pending", "2026-05-01T10:14:00+08:00",
			`10:04:00  #3 attempt 2 → http://127.0.0.1:8080/notify  500  12ms  2h5m late  "down"  ✗ failed · next retry 10:14:00`},
		{"under a second late is not worth a word", func(a *controlapi.Attempt) { a.LagMS = 999 }, "", "pending", "2026-05-01T10:14:00+08:00",
			`10:04:00  #3 attempt 2 → http://127.0.0.1:8080/notify  500  12ms  "down"  ✗ failed · next retry 10:14:00`},
		{"no answer shows the verdict", func(a *controlapi.Attempt) {
			a.StatusCode, a.Answer, a.Verdict = 0, "", "no answer: connection refused"
		}, "", "pending", "2026-05-01T10:14:00+08:00",
			`10:04:00  #3 attempt 2 → http://127.0.0.1:8080/notify  ---  12ms  "no answer: connection refused"  ✗ failed · next retry 10:14:00`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := a
			if c.mod != nil {
				c.mod(&a)
			}
			if got := attemptLine(3, a, outcome(a, c.next, c.status, c.nextN), "2026-05-01T09:00:00+08:00"); got != c.want {
				t.Errorf("\n got %s\nwant %s", got, c.want)
			}
		})
	}
	// After midnight, the line after one of the day before carries its date;
	// a redelivery says it is manual.
	a.ScheduledAt, a.Manual = "2026-05-02T00:10:00+08:00", true
	want := `2026-05-02 00:10:00  #3 attempt 2 (manual) → http://127.0.0.1:8080/notify  500  12ms  "down"  ✗ failed`
	if got := attemptLine(3, a, outcome(a, "", "gave_up", ""), "2026-05-01T23:50:00+08:00"); got != want {
		t.Errorf("across midnight:\n got %s\nwant %s", got, want)
	}
}
