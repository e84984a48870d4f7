package instance_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mockpay/mockpay/payment"
)

// queueCopy queues a copy of a trade's notification aimed at u, straight
// into the outbox: what an order whose notify_url slipped past the
// order-time check would have queued.
func (e *env) queueCopy(tradeNo, u string) int64 {
	e.t.Helper()
	ctx := context.Background()
	ns, err := e.app.DB.NotificationsOfTrade(ctx, tradeNo)
	if err != nil || len(ns) == 0 {
		e.t.Fatalf("notifications of %s: %v %v", tradeNo, err, ns)
	}
	n := *ns[0]
	n.ID, n.URL, n.Status, n.Attempts, n.Redeliveries = 0, u, payment.NotifyPending, 0, 0
	n.NotifyID += "x" + strconv.Itoa(int(time.Now().UnixNano()%1e6))
	n.NextAttemptAt, n.AckedAt = e.clock.Now(), time.Time{}
	if err := e.app.DB.Tx(ctx, func(tx payment.Tx) error { return tx.InsertNotification(&n) }); err != nil {
		e.t.Fatal(err)
	}
	return n.ID
}

// notification reads one notification through the control API.
func (e *env) notification(id int64) map[string]any {
	e.t.Helper()
	var n map[string]any
	if code := e.api("GET", "/notifications/"+strconv.FormatInt(id, 10), nil, &n); code != http.StatusOK {
		e.t.Fatalf("notification %d: %d %v", id, code, n)
	}
	return n
}

// TestNotificationsToMockpayItselfAreNotSent (issue 8, item 2): a
// notify_url at mockpay's own /_mockpay/api/reset, at its address by the
// name localhost or as 0.0.0.0, and two notifications aimed at each other's redeliver
// endpoint: nothing is sent, the sandbox is not wiped, every attempt says
// why, and the schedule runs out as for an unreachable shop.
func TestNotificationsToMockpayItselfAreNotSent(t *testing.T) {
	e := newEnv(t)
	ret := e.pay("SELF-1", "1.00")
	e.shop.next(t)
	tradeNo := ret.Get("trade_no")
	port := e.app.Addr.String()[strings.LastIndex(e.app.Addr.String(), ":")+1:]
	reset := e.queueCopy(tradeNo, e.app.URL+"/_mockpay/api/reset")
	byName := e.queueCopy(tradeNo, "http://localhost:"+port+"/notify")
	unspecified := e.queueCopy(tradeNo, "http://0.0.0.0:"+port+"/notify") // reaches a loopback listener
	redeliver := func(id int64) string {
		return e.app.URL + "/_mockpay/api/notifications/" + strconv.FormatInt(id, 10) + "/redeliver"
	}
	a := e.queueCopy(tradeNo, redeliver(unspecified+2)) // b's id: ids are handed out in order
	b := e.queueCopy(tradeNo, redeliver(a))
	if b != unspecified+2 {
		t.Fatalf("ids %d, %d after %d: a does not point at b", a, b, unspecified)
	}
	ids := []int64{reset, byName, unspecified, a, b}
	e.settle()
	for _, id := range ids {
		n := e.notification(id)
		attempts := n["attempts"].([]any)
		if len(attempts) != 1 {
			t.Fatalf("notification %d: %d attempts, want 1", id, len(attempts))
		}
		at := attempts[0].(map[string]any)
		if !strings.HasPrefix(at["verdict"].(string), "not sent: points at mockpay itself") || at["status_code"].(float64) != 0 {
			t.Errorf("notification %d (%s): verdict %q, status %v", id, n["url"], at["verdict"], at["status_code"])
		}
		if n["status"] != "pending" || n["next_attempt_at"] != "2026-05-01T10:04:00+08:00" {
			t.Errorf("notification %d: a refused attempt follows the schedule: %s, next %v", id, n["status"], n["next_attempt_at"])
		}
	}
	var ts []map[string]any
	if e.api("GET", "/trades", nil, &ts); len(ts) != 1 {
		t.Fatalf("the sandbox was wiped: %d trades", len(ts))
	}
	e.clock.Advance(48 * time.Hour)
	e.settle()
	for _, id := range ids {
		n := e.notification(id)
		if n["status"] != "gave_up" || n["attempt_count"].(float64) != 8 || n["redeliveries"].(float64) != 0 {
			t.Errorf("notification %d after the schedule: %s, %v attempts, %v redeliveries", id, n["status"], n["attempt_count"], n["redeliveries"])
		}
	}
	if html := e.page("/_mockpay/trades/" + tradeNo); !strings.Contains(html, "not sent: points at mockpay itself") {
		t.Error("the dashboard does not say why the attempts were not sent")
	}
	e.shop.none(t, e)
}

// TestRedeliveriesAreCapped (issue 8, item 2): payment.MaxRedeliveries
// redeliveries of one notification through the control API, then 409
// redelivery_limit_reached, on the API and the dashboard's button alike.
func TestRedeliveriesAreCapped(t *testing.T) {
	e := newEnv(t)
	ret := e.pay("CAP-1", "1.00")
	e.shop.next(t)
	id := e.notificationID(ret.Get("trade_no"))
	for i := 1; i <= payment.MaxRedeliveries; i++ {
		var n map[string]any
		if code := e.api("POST", "/notifications/"+id+"/redeliver", nil, &n); code != http.StatusAccepted {
			t.Fatalf("redelivery %d: %d %v", i, code, n)
		}
	}
	var apiErr map[string]any
	if code := e.api("POST", "/notifications/"+id+"/redeliver", nil, &apiErr); code != http.StatusConflict ||
		apiErr["code"] != "redelivery_limit_reached" || !strings.Contains(apiErr["message"].(string), "20 times") {
		t.Errorf("redelivery over the cap: %d %v", code, apiErr)
	}
	resp, body := e.dashboard(http.MethodPost, "/_mockpay/notifications/"+id+"/redeliver", nil, "Origin", e.app.URL)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "redelivery_limit_reached") || !strings.Contains(body, "20 times") {
		t.Errorf("the dashboard's button over the cap: %d %s", resp.StatusCode, body)
	}
	e.settle()
	n := e.notifications(ret.Get("trade_no"))[0]
	if n["redeliveries"].(float64) != payment.MaxRedeliveries || n["status"] != "acked" {
		t.Errorf("after the redeliveries: %v", n)
	}
}
