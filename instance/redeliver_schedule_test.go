package instance_test

import (
	"net/http"
	"testing"
	"time"
)

// TestRedeliveryKeepsTheSchedule: a redelivery is one extra attempt, marked
// manual, that moves no retry of the platform's schedule (issue 11 item 5,
// README: "one more attempt now"): the shop refuses attempt 1 at 10:00, a
// redelivery at 10:01 is attempt 2 (manual), and the schedule's retry is
// still due at 10:04 (+4m, §3.2), then at 10:14.
func TestRedeliveryKeepsTheSchedule(t *testing.T) {
	e := newEnv(t)
	e.shop.setAnswer(func(int) (int, string) { return http.StatusInternalServerError, "down" })
	ret := e.pay("REDELIVER-SCHED", "1.00")
	e.shop.next(t)
	e.settle()
	id := itoa(int(e.notifications(ret.Get("trade_no"))[0]["id"].(float64)))
	var n map[string]any
	e.api("GET", "/notifications/"+id, nil, &n)
	if n["next_attempt_at"] != "2026-05-01T10:04:00+08:00" {
		t.Fatalf("after attempt 1: %v", n)
	}

	e.clock.Advance(time.Minute)
	if code := e.api("POST", "/notifications/"+id+"/redeliver", nil, &n); code != http.StatusAccepted {
		t.Fatalf("redeliver: %d %v", code, n)
	}
	e.shop.next(t)
	e.settle()
	e.api("GET", "/notifications/"+id, nil, &n)
	as := n["attempts"].([]any)
	if n["next_attempt_at"] != "2026-05-01T10:04:00+08:00" || n["status"] != "pending" || len(as) != 2 {
		t.Fatalf("after the redelivery: next %v status %v, %d attempts", n["next_attempt_at"], n["status"], len(as))
	}
	if as[0].(map[string]any)["manual"] != nil || as[1].(map[string]any)["manual"] != true {
		t.Errorf("manual marks: %v / %v", as[0], as[1])
	}

	e.clock.Advance(3 * time.Minute) // 10:04: the schedule's second attempt
	e.shop.next(t)
	e.settle()
	e.api("GET", "/notifications/"+id, nil, &n)
	if n["next_attempt_at"] != "2026-05-01T10:14:00+08:00" || n["attempt_count"].(float64) != 3 {
		t.Errorf("after the scheduled retry: %v", n)
	}

	// Acknowledged, then redelivered and refused: still acknowledged, and
	// nothing more is scheduled.
	e.shop.setAnswer(func(int) (int, string) { return http.StatusOK, "success" })
	e.clock.Advance(10 * time.Minute)
	e.shop.next(t)
	e.settle()
	e.shop.setAnswer(func(int) (int, string) { return http.StatusInternalServerError, "down" })
	e.api("POST", "/notifications/"+id+"/redeliver", nil, &n)
	e.shop.next(t)
	e.settle()
	e.clock.Advance(48 * time.Hour)
	e.shop.none(t, e)
	n = nil
	e.api("GET", "/notifications/"+id, nil, &n)
	if n["status"] != "acked" || n["attempt_count"].(float64) != 5 || n["next_attempt_at"] != nil {
		t.Errorf("acked, then a refused redelivery: %v", n)
	}
}
