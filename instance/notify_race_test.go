package instance_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mockpay/mockpay/clock"
	"github.com/mockpay/mockpay/instance"
)

// holdFirst makes the shop's first notification wait, inside its handler,
// until the returned proceed is closed; entered is closed when it arrives.
func (s *shop) holdFirst() (entered, proceed chan struct{}) {
	entered, proceed = make(chan struct{}), make(chan struct{})
	s.setAnswer(func(n int) (int, string) {
		if n == 1 {
			close(entered)
			<-proceed
		}
		return 200, "success"
	})
	return entered, proceed
}

func arrived(t *testing.T, entered chan struct{}) {
	t.Helper()
	select {
	case <-entered:
	case <-time.After(10 * time.Second):
		t.Fatal("the first notification never reached the shop")
	}
}

// TestRedeliveryDuringAnAttemptIsKept (issue 8, item 4): a redelivery asked
// for while the first attempt is in flight is made after it, although that
// attempt was acknowledged.
func TestRedeliveryDuringAnAttemptIsKept(t *testing.T) {
	e := newEnv(t)
	entered, proceed := e.shop.holdFirst()
	ret := e.pay("RACE-REDELIVER", "1.00")
	arrived(t, entered)
	ns, err := e.app.DB.NotificationsOfTrade(context.Background(), ret.Get("trade_no")) // not e.notifications: it settles
	if err != nil || len(ns) != 1 {
		t.Fatalf("notifications: %v %v", err, ns)
	}
	id := itoa(int(ns[0].ID))
	var n map[string]any
	if code := e.api("POST", "/notifications/"+id+"/redeliver", nil, &n); code != http.StatusAccepted {
		t.Fatalf("redeliver: %d %v", code, n)
	}
	close(proceed)
	first, second := e.shop.next(t), e.shop.next(t)
	if first.Get("notify_id") != second.Get("notify_id") {
		t.Errorf("two notify_ids: %s %s", first.Get("notify_id"), second.Get("notify_id"))
	}
	got := e.notifications(ret.Get("trade_no"))[0]
	if got["attempt_count"].(float64) != 2 || got["redeliveries"].(float64) != 1 || got["status"] != "acked" {
		t.Errorf("after the race: %v", got)
	}
	for _, a := range got["attempts"].([]any) {
		if a := a.(map[string]any); a["acked"] != true {
			t.Errorf("attempt %v: %v", a["number"], a["verdict"])
		}
	}
	if logs := e.logs.String(); logs != "" {
		t.Errorf("logged: %s", logs)
	}
}

// TestResetDuringAnAttempt (issue 8, item 4): a reset while an attempt is
// in flight leaves nothing to record and nothing to complain about; the
// sandbox goes on delivering.
func TestResetDuringAnAttempt(t *testing.T) {
	e := newEnv(t)
	entered, proceed := e.shop.holdFirst()
	e.pay("RACE-RESET", "1.00")
	arrived(t, entered)
	if code := e.api("POST", "/reset", nil, nil); code != http.StatusOK {
		t.Fatalf("reset: %d", code)
	}
	close(proceed)
	e.shop.next(t)
	e.settle()
	var ns []map[string]any
	if e.api("GET", "/notifications", nil, &ns); len(ns) != 0 {
		t.Errorf("after reset: %v", ns)
	}
	if logs := e.logs.String(); strings.Contains(logs, "FOREIGN KEY") || strings.Contains(logs, "level=ERROR") {
		t.Errorf("logged: %s", logs)
	}
	ret := e.pay("AFTER-RESET", "1.00")
	if e.shop.next(t).Get("out_trade_no") != "AFTER-RESET" || e.notifications(ret.Get("trade_no"))[0]["status"] != "acked" {
		t.Error("no delivery after the reset")
	}
}

// TestCloseCancelsHangingAttemptsAtItsBound (issue 8, item 7): Close with
// a deadline returns while a shop still hangs (its handler is released only
// at the end of the test, and the attempt timeout is a minute); the attempt
// is not recorded, so after a restart on the same database the notification
// goes out again and is acknowledged as attempt 1.
func TestCloseCancelsHangingAttemptsAtItsBound(t *testing.T) {
	const attemptTimeout = time.Minute
	e := newEnvWithConfig(t, clock.NewFake(start), func(c *instance.Config) { c.NotifyTimeout = attemptTimeout })
	entered, proceed := e.shop.holdFirst()
	t.Cleanup(func() { close(proceed) }) // before the shop closes: it waits for its handlers
	ret := e.pay("SHUTDOWN-1", "1.00")
	arrived(t, entered)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	began := time.Now()
	if err := e.app.Close(ctx); err != nil {
		t.Fatalf("close: %v", err)
	}
	if waited := time.Since(began); waited >= attemptTimeout {
		t.Fatalf("Close waited %v: for the attempt, not its bound", waited)
	}
	e.restart()
	again := e.shop.next(t)
	if again.Get("out_trade_no") != "SHUTDOWN-1" || again.Get("notify_time") != "2026-05-01 10:00:00" {
		t.Errorf("after restart: %v", again)
	}
	n := e.notifications(ret.Get("trade_no"))[0]
	if n["status"] != "acked" || n["attempt_count"].(float64) != 1 {
		t.Errorf("after restart: %v", n)
	}
	if logs := e.logs.String(); !strings.Contains(logs, "abandoned at shutdown") {
		t.Errorf("no word of the abandoned attempt in the log: %q", logs)
	}
}

// TestDashboardRedeliverDuringAnAttempt: the button pressed while an
// attempt is under way returns once its own attempt, the second, is
// recorded, not the one that was already running.
func TestDashboardRedeliverDuringAnAttempt(t *testing.T) {
	e := newEnv(t)
	entered, proceed := e.shop.holdFirst()
	ret := e.pay("RACE-BUTTON", "1.00")
	arrived(t, entered)
	ns, err := e.app.DB.NotificationsOfTrade(context.Background(), ret.Get("trade_no"))
	if err != nil || len(ns) != 1 {
		t.Fatalf("notifications: %v %v", err, ns)
	}
	req, _ := http.NewRequest(http.MethodPost, e.app.URL+"/_mockpay/notifications/"+itoa(int(ns[0].ID))+"/redeliver", nil)
	req.Header.Set("Origin", e.app.URL)
	pressed := make(chan *http.Response, 1)
	go func() {
		resp, err := e.m.HTTP.Do(req) // does not follow the redirect
		if err != nil {
			t.Error(err)
			resp = &http.Response{}
		} else {
			resp.Body.Close()
		}
		pressed <- resp
	}()
	deadline := time.After(10 * time.Second)
	for {
		changed := e.app.Changes.Changed()
		if n, err := e.app.DB.Notification(context.Background(), ns[0].ID); err == nil && n.Redeliveries == 1 {
			break
		}
		select {
		case <-changed:
		case <-deadline:
			t.Fatal("the button never redelivered")
		}
	}
	close(proceed)
	resp := <-pressed
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !strings.Contains(loc, "done=redelivered") {
		t.Fatalf("button: %d %s", resp.StatusCode, loc)
	}
	if got := attemptsIn(e.page("/_mockpay/trades/" + ret.Get("trade_no"))); got != "1,2" {
		t.Errorf("when the button returned: attempts %q, want 1,2", got)
	}
}
