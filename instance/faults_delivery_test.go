package instance_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mockpay/mockpay/faults"
)

// No scenario selected: one delivery, acknowledged, and the verdicts are
// clean.
func TestFaultsNoneSelectedIsThePlatform(t *testing.T) {
	e := newEnv(t)
	tradeNo := e.payWith("F-NONE", "9.99", nil)
	e.shop.next(t)
	e.shop.none(t, e)
	as := e.attempts(tradeNo)
	if len(as) != 1 || as[0]["acked"] != true || as[0]["failure"] != nil {
		t.Fatalf("attempts = %v", as)
	}
	if v := e.verdicts(); !v.OK || v.Attempts != 1 || v.Canaries != 0 {
		t.Fatalf("verdicts = %+v", v)
	}
}

// duplicate (per app): the shop gets the same notification twice, one
// after the other; simultaneous (per trade, by marker): twice at once.
func TestFaultsDuplicateSequentialAndSimultaneous(t *testing.T) {
	e := newEnv(t)
	e.setFaults("2021000122600001", "duplicate")
	tradeNo := e.payWith("F-DUP", "10.00", nil)
	a, b := e.shop.next(t), e.shop.next(t)
	if a.Get("notify_id") == "" || a.Get("notify_id") != b.Get("notify_id") || a.Get("sign") != b.Get("sign") {
		t.Fatalf("two copies differ: %v / %v", a, b)
	}
	e.shop.none(t, e)
	as := e.attempts(tradeNo)
	if len(as) != 1 || as[0]["acked"] != true || !strings.Contains(as[0]["verdict"].(string), "delivered twice by fault duplicate") {
		t.Fatalf("attempts = %v", as)
	}

	e.setFaults("2021000122600001", "")
	var mu sync.Mutex
	inFlight, most := 0, 0
	release := make(chan struct{})
	arrived := make(chan struct{}, 2)
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		inFlight++
		most = max(most, inFlight)
		mu.Unlock()
		arrived <- struct{}{}
		<-release
		mu.Lock()
		inFlight--
		mu.Unlock()
		w.Write([]byte("success"))
	}))
	defer slow.Close()
	biz := pageBiz("F-SIM", "10.00")
	biz["passback_params"] = "cart=7 " + faults.Marker + "simultaneous)"
	cashier, html := e.openCashier(e.m.PageURL("alipay.trade.page.pay", biz, map[string]string{"notify_url": slow.URL + "/notify"}))
	e.press(cashier, "pay")
	for range 2 {
		select {
		case <-arrived:
		case <-time.After(10 * time.Second):
			t.Fatal("the two simultaneous copies did not both arrive while neither was answered")
		}
	}
	close(release)
	e.settle()
	if most != 2 {
		t.Fatalf("at most %d copies in flight, want 2", most)
	}
	as = e.attempts(tradeNoOf(t, html))
	if len(as) != 1 || as[0]["acked"] != true || !strings.Contains(as[0]["verdict"].(string), "fault simultaneous") {
		t.Fatalf("attempts = %v", as)
	}
}

// drop:2 by magic amount: the first two attempts are lost, the third, on
// Alipay's schedule (4m, 10m), arrives.
func TestFaultsDropByMagicAmount(t *testing.T) {
	e := newEnv(t)
	tradeNo := e.payWith("F-DROP", "13579.04", nil)
	e.shop.none(t, e)
	e.clock.Advance(4 * time.Minute)
	e.shop.none(t, e)
	e.clock.Advance(10 * time.Minute)
	e.settle()
	v := e.shop.next(t)
	if v.Get("total_amount") != "13579.04" {
		t.Fatalf("notification = %v", v)
	}
	as := e.attempts(tradeNo)
	if len(as) != 3 || as[0]["status_code"].(float64) != 0 || !strings.Contains(as[1]["verdict"].(string), "lost on the way by fault drop:2 (2 of 2)") || as[2]["acked"] != true {
		t.Fatalf("attempts = %v", as)
	}
}

// delay: the notification goes out the given virtual time later; reorder:
// a refund made meanwhile overtakes the payment notification.
func TestFaultsDelayAndReorder(t *testing.T) {
	e := newEnv(t)
	e.setFaults("2021000122600001", "delay:30m")
	e.payWith("F-DELAY", "10.00", nil)
	e.shop.none(t, e)
	e.clock.Advance(29 * time.Minute)
	e.shop.none(t, e)
	e.clock.Advance(time.Minute)
	e.settle()
	if v := e.shop.next(t); v.Get("out_trade_no") != "F-DELAY" {
		t.Fatalf("notification = %v", v)
	}

	e.setFaults("2021000122600001", "reorder:10m")
	e.payWith("F-REORDER", "10.00", nil)
	e.shop.none(t, e)
	r, err := e.m.Call("alipay.trade.refund", map[string]any{"out_trade_no": "F-REORDER", "refund_amount": "10.00"}, nil)
	if err != nil || r.Code() != "10000" {
		t.Fatalf("refund: %v %s", err, r.Raw)
	}
	e.settle()
	first := e.shop.next(t)
	if first.Get("trade_status") != "TRADE_CLOSED" || first.Get("refund_fee") != "10.00" {
		t.Fatalf("first notification = %v, want the refund's TRADE_CLOSED", first)
	}
	e.clock.Advance(10 * time.Minute)
	e.settle()
	if second := e.shop.next(t); second.Get("trade_status") != "TRADE_SUCCESS" || second.Get("notify_id") == first.Get("notify_id") {
		t.Fatalf("second notification = %v, want the held-back payment", second)
	}
}
