package instance_test

import (
	"net/http"

	"strings"
	"testing"
	"time"

	"github.com/mockpay/mockpay/clock"
	"github.com/mockpay/mockpay/payment"
)

// TestRetryScheduleFollowsVirtualTime: a shop that never acknowledges gets
// 8 attempts at 0, +4m, +14m, +24m, +1h24m, +3h24m, +9h24m, +24h24m
// (alipay-protocol.md §3.5), each carrying its own notify_time and the same
// notify_id; then delivery stops.
func TestRetryScheduleFollowsVirtualTime(t *testing.T) {
	e := newEnv(t)
	e.shop.setAnswer(func(int) (int, string) { return 200, "fail" })
	ret := e.pay("RETRY-1", "1.00")
	offsets := []time.Duration{0, 4 * time.Minute, 14 * time.Minute, 24 * time.Minute,
		84 * time.Minute, 204 * time.Minute, 564 * time.Minute, 1464 * time.Minute}

	first := e.shop.next(t)
	notifyID := first.Get("notify_id")
	// Step the clock to just before, then exactly onto, the second attempt.
	e.clock.Advance(4*time.Minute - time.Second)
	e.shop.none(t, e)
	e.clock.Advance(time.Second)
	got := []map[string][]string{first, e.shop.next(t)}
	// Jump a whole day: the rest arrive in order, with the platform's times.
	e.clock.Advance(48 * time.Hour)
	for len(got) < len(offsets) {
		got = append(got, e.shop.next(t))
	}
	for i, n := range got {
		want := start.Add(offsets[i]).Format("2006-01-02 15:04:05")
		if nt := n["notify_time"][0]; nt != want {
			t.Errorf("attempt %d notify_time %s, want %s", i+1, nt, want)
		}
		if n["notify_id"][0] != notifyID {
			t.Errorf("attempt %d notify_id changed", i+1)
		}
	}
	e.clock.Advance(72 * time.Hour)
	e.shop.none(t, e)

	ns := e.notifications(ret.Get("trade_no"))
	if len(ns) != 1 || ns[0]["status"] != "gave_up" || ns[0]["attempt_count"].(float64) != 8 {
		t.Fatalf("inspector after the schedule: %v", ns)
	}
	attempts := ns[0]["attempts"].([]any)
	last := attempts[7].(map[string]any)
	if last["status_code"].(float64) != 200 || last["answer"] != "fail" || last["acked"] != false ||
		!strings.Contains(last["verdict"].(string), `exactly "success"`) {
		t.Errorf("last attempt: %v", last)
	}
}

// TestRetryScheduleOnScaledClock: with --time-scale the whole day of
// retries runs by itself, and every attempt still carries its exact virtual
// time. 200000x turns 24h24m into under half a real second.
func TestRetryScheduleOnScaledClock(t *testing.T) {
	e := newEnvWithClock(t, clock.NewScaled(start, 200000))
	e.shop.setAnswer(func(int) (int, string) { return 200, "fail" })
	ret := e.pay("SCALED-1", "1.00")
	offsets := []time.Duration{0, 4 * time.Minute, 14 * time.Minute, 24 * time.Minute,
		84 * time.Minute, 204 * time.Minute, 564 * time.Minute, 1464 * time.Minute}
	var paid time.Time
	for i, off := range offsets {
		n := e.shop.next(t)
		got, _ := time.ParseInLocation("2006-01-02 15:04:05", n.Get("notify_time"), payment.CST)
		if i == 0 {
			// The first attempt goes out the moment the payment commits.
			paid, _ = time.ParseInLocation("2006-01-02 15:04:05", n.Get("gmt_payment"), payment.CST)
		}
		if want := paid.Add(off); !got.Equal(want) {
			t.Errorf("attempt %d at %s, want %s", i+1, got.Format(time.TimeOnly), want.Format(time.TimeOnly))
		}
	}
	ns := e.notifications(ret.Get("trade_no"))
	if ns[0]["status"] != "gave_up" {
		t.Errorf("after the schedule: %v", ns[0]["status"])
	}
}

// TestAckedNotificationIsNotRetried: acknowledging on the third attempt ends
// delivery for good.
func TestAckedNotificationIsNotRetried(t *testing.T) {
	e := newEnv(t)
	e.shop.setAnswer(func(n int) (int, string) {
		if n < 3 {
			return 200, "success\n" // not exact: a failed attempt
		}
		return 200, "success"
	})
	ret := e.pay("ACK-3", "1.00")
	e.shop.next(t)
	e.clock.Advance(time.Hour)
	e.shop.next(t)
	e.shop.next(t)
	e.clock.Advance(72 * time.Hour)
	e.shop.none(t, e)
	ns := e.notifications(ret.Get("trade_no"))
	if ns[0]["status"] != "acked" || ns[0]["attempt_count"].(float64) != 3 {
		t.Errorf("after ack: %v", ns)
	}
}

// TestRedirectIsNotFollowed: a 3xx answer is a failed attempt, and the
// platform never goes to a host the merchant did not name.
func TestRedirectIsNotFollowed(t *testing.T) {
	e := newEnv(t)
	elsewhere := newShop(t)
	e.shop.setAnswer(func(int) (int, string) { return 200, "" })
	e.shop.Config.Handler = http.RedirectHandler(elsewhere.URL+"/notify", http.StatusFound)
	ret := e.pay("REDIR-1", "1.00")
	e.clock.Advance(time.Minute)
	e.shop.none(t, e)
	elsewhere.none(t, e)
	ns := e.notifications(ret.Get("trade_no"))
	attempts := ns[0]["attempts"].([]any)
	if len(attempts) != 1 || !strings.Contains(attempts[0].(map[string]any)["verdict"].(string), "redirects are not followed") {
		t.Errorf("redirect attempt: %v", ns)
	}
}

// TestPendingNotificationSurvivesRestart: the outbox is in SQLite, so a
// notification that failed before a restart is retried after it, on
// schedule, with the same notify_id.
func TestPendingNotificationSurvivesRestart(t *testing.T) {
	e := newEnv(t)
	e.shop.setAnswer(func(int) (int, string) { return 500, "down" })
	ret := e.pay("RESTART-1", "3.00")
	first := e.shop.next(t)
	e.restart()
	e.shop.setAnswer(func(int) (int, string) { return 200, "success" })
	e.clock.Advance(4 * time.Minute)
	second := e.shop.next(t)
	if second.Get("notify_id") != first.Get("notify_id") || second.Get("notify_time") != "2026-05-01 10:04:00" {
		t.Errorf("after restart: %v", second)
	}
	if err := e.m.VerifyParams(second); err != nil {
		t.Error(err)
	}
	ns := e.notifications(ret.Get("trade_no"))
	if ns[0]["status"] != "acked" || ns[0]["attempt_count"].(float64) != 2 {
		t.Errorf("inspector after restart: %v", ns)
	}
	// The trade itself survived too.
	r, err := e.m.Call("alipay.trade.query", map[string]string{"out_trade_no": "RESTART-1"}, nil)
	if err != nil || r.Str("trade_status") != "TRADE_SUCCESS" {
		t.Errorf("query after restart: %v %s", err, r.Raw)
	}
}

// TestNoNotifyURLNoNotification: without notify_url nothing is queued.
func TestNoNotifyURLNoNotification(t *testing.T) {
	e := newEnv(t)
	cashier, _ := e.openCashier(e.m.PageURL("alipay.trade.page.pay", pageBiz("QUIET-1", "1"), map[string]string{"return_url": e.shop.URL + "/return"}))
	resp, _ := e.press(cashier, "pay")
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("pay: %d", resp.StatusCode)
	}
	e.shop.none(t, e)
	if ns := e.notifications(mustQuery(t, resp.Header.Get("Location")).Get("trade_no")); len(ns) != 0 {
		t.Errorf("notifications: %v", ns)
	}
}
