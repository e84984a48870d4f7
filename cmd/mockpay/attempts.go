package main

import (
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/mockpay/mockpay/controlapi"
	"github.com/mockpay/mockpay/faults"
	"github.com/mockpay/mockpay/web"
)

// attemptLine is one delivery attempt, arrow style, as `notifications
// --follow` and `trades show` print it:
//
//	10:04:00  #3 attempt 2 → http://127.0.0.1:8080/notify  500  12ms  "down"  ✗ failed · next retry 10:14:00
//	10:14:00  #3 attempt 3 → http://127.0.0.1:8080/notify  500  9ms  2h5m late  "down"  ✗ failed · next retry 10:24:00
//
// An attempt sent a second or more after its time says how late (the
// dispatcher was busy, or the clock jumped over it).
//
// Times are virtual: when the platform meant to send the attempt (its
// notify_time), so after a clock jump the retries still read as Alipay's
// schedule even though they went out together.
//
// ref is the time of the line printed before (an API time; "" for none):
// when the attempt falls on another day, its date is printed too, so a tail
// that crosses midnight stays readable.
func attemptLine(notificationID int64, a controlapi.Attempt, outcome, ref string) string {
	status, answer := strconv.Itoa(a.StatusCode), quoteAnswer(a.Answer)
	if a.StatusCode == 0 { // no HTTP answer: the verdict says what happened
		status, answer = "---", quoteAnswer(a.Verdict)
	}
	late := ""
	if a.LagMS >= 1000 { // below a second it is the time taken to prepare it
		late = "  " + web.Lag(a.LagMS) + " late"
	}
	manual := ""
	if a.Manual { // a redelivery asked for: outside the schedule
		manual = " (manual)"
	}
	return fmt.Sprintf("%s  #%d attempt %d%s → %s  %s  %dms%s  %s  %s",
		clockTime(sentAt(a), ref), notificationID, a.Number, manual, a.URL, status, a.LatencyMS, late, answer, outcome)
}

// outcome is an attempt's verdict and what happens next. next is the
// scheduled time of the notification's following attempt when known (a
// later attempt already made); otherwise the notification's state says.
func outcome(a controlapi.Attempt, next, status, nextAttemptAt string) string {
	if a.Acked {
		return "✓ acked"
	}
	failed := "✗ failed"
	switch {
	case a.Failure == faults.CanaryAccepted:
		// The shop acknowledged a notification mockpay forged: the one line
		// of the tail a team must not miss.
		failed = "‼ CANARY FAILED: the shop acknowledged a forged notification (" + a.Verdict + ")"
	case faults.CanaryVerdict(a.Verdict):
		failed = "· " + a.Verdict
	case a.StatusCode == 200:
		// 200 without exactly "success": the verdict says why it does not count.
		failed += " (" + a.Verdict + ")"
	}
	switch {
	case next != "":
		return failed + " · next retry " + clockTime(next, sentAt(a))
	case status == "pending" && nextAttemptAt != "":
		return failed + " · next retry " + clockTime(nextAttemptAt, sentAt(a))
	case status == "gave_up" && !a.Manual: // a redelivery gives nothing up
		return "✗ gave up"
	}
	return failed
}

// quoteAnswer shows the first bytes of an answer, quoted, cut at 40 runes.
func quoteAnswer(s string) string {
	if utf8.RuneCountInString(s) > 40 {
		r := []rune(s)
		return strconv.Quote(string(r[:40])) + "…"
	}
	return strconv.Quote(s)
}

// sentAt is the attempt's virtual time: scheduled, or started when the API
// did not say.
func sentAt(a controlapi.Attempt) string {
	if a.ScheduledAt != "" {
		return a.ScheduledAt
	}
	return a.StartedAt
}
