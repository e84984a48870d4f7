package instance_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// notificationID is the id of a trade's only notification, as the control
// API lists it.
func (e *env) notificationID(tradeNo string) string {
	e.t.Helper()
	ns := e.notifications(tradeNo)
	if len(ns) != 1 {
		e.t.Fatalf("%d notifications, want 1", len(ns))
	}
	return itoa(int(ns[0]["id"].(float64)))
}

// TestDashboardRedeliver: the button redelivers (also an acknowledged
// notification), and the trade page it returns to shows the new attempt.
func TestDashboardRedeliver(t *testing.T) {
	e := newEnv(t)
	ret := e.pay("DASH-REDELIVER", "1.00")
	first := e.shop.next(t)
	tradeNo := ret.Get("trade_no")
	id := e.notificationID(tradeNo)
	if got := attemptsIn(e.page("/_mockpay/trades/" + tradeNo)); got != "1" {
		t.Fatalf("before: attempts %q", got)
	}
	resp, body := e.dashboard(http.MethodPost, "/_mockpay/notifications/"+id+"/redeliver", nil, "Origin", e.app.URL)
	want := "/_mockpay/trades/" + tradeNo + "?done=redelivered#notification-" + id
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want {
		t.Fatalf("redeliver: %d %q, want 303 to %s: %s", resp.StatusCode, resp.Header.Get("Location"), want, body)
	}
	if again := e.shop.next(t); again.Get("notify_id") != first.Get("notify_id") {
		t.Errorf("redelivered notify_id %s, want %s", again.Get("notify_id"), first.Get("notify_id"))
	}
	html := e.page(strings.Split(want, "#")[0]) // no settle: the button waited for the attempt
	if got := attemptsIn(html); got != "1,2" {
		t.Errorf("after: attempts %q, want 1,2", got)
	}
	if !strings.Contains(html, `data-testid="flash">Redelivered`) || !strings.Contains(html, "(1 redeliveries asked for, outside the schedule)") {
		t.Error("no word of the redelivery on the page")
	}
	resp, body = e.dashboard(http.MethodPost, "/_mockpay/notifications/99999/redeliver", nil)
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(body, "notification_not_found") {
		t.Errorf("unknown notification: %d %s", resp.StatusCode, body)
	}
}

// TestDashboardAdvance: the clock form moves virtual time and returns to
// the page it was on; a bad span changes nothing.
func TestDashboardAdvance(t *testing.T) {
	e := newEnv(t)
	resp, body := e.dashboard(http.MethodPost, "/_mockpay/clock/advance",
		url.Values{"by": {"6h"}, "back": {"/_mockpay/trades?status=TRADE_SUCCESS"}}, "Referer", e.app.URL+"/_mockpay/trades?status=TRADE_SUCCESS")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/_mockpay/trades?done=advance&status=TRADE_SUCCESS" {
		t.Fatalf("advance: %d %q: %s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	if got := e.clock.Now(); !got.Equal(start.Add(6 * time.Hour)) {
		t.Errorf("clock at %v, want 6h on", got)
	}
	html := e.page(resp.Header.Get("Location"))
	if !strings.Contains(html, `data-testid="now">2026-05-01 16:00:00<`) || !strings.Contains(html, `data-testid="flash">Virtual clock advanced`) {
		t.Error("page after advance: no new time or no flash")
	}
	if !strings.Contains(html, `name="back" value="/_mockpay/trades?status=TRADE_SUCCESS"`) {
		t.Error("the form's way back keeps the flash or loses the filter")
	}
	for back, want := range map[string]string{
		"":                        "/_mockpay/?done=advance",
		"/_mockpay/trades/1#x":    "/_mockpay/trades/1?done=advance#x",
		"//evil.example/_mockpay": "/_mockpay/?done=advance", // never an open redirect
		"http://evil.example/":    "/_mockpay/?done=advance",
		"/_mockpay/api/reset":     "/_mockpay/?done=advance",
		"/elsewhere":              "/_mockpay/?done=advance",
	} {
		resp, _ := e.dashboard(http.MethodPost, "/_mockpay/clock/advance", url.Values{"by": {"1d"}, "back": {back}})
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != want {
			t.Errorf("back %q: %d %q, want %q", back, resp.StatusCode, loc, want)
		}
	}
	moved := e.clock.Now()
	for _, bad := range []string{"", "soon", "-1h", "0s"} {
		resp, body := e.dashboard(http.MethodPost, "/_mockpay/clock/advance", url.Values{"by": {bad}})
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "invalid_parameter") || !strings.Contains(body, "6h, 90m or 2d") {
			t.Errorf("advance by %q: %d %s", bad, resp.StatusCode, body)
		}
	}
	resp, body = e.dashboard(http.MethodPost, "/_mockpay/clock/advance", url.Values{"by": {"2562047h"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "would pass its maximum") || !strings.Contains(body, "2200-01-01") {
		t.Errorf("advance past the clock's maximum: %d %s", resp.StatusCode, body)
	}
	if !e.clock.Now().Equal(moved) {
		t.Error("a refused advance moved the clock")
	}
}

// TestDashboardBuyerButtons: pay, fail and cancel on a waiting trade, via
// the cashier's own code: fail and cancel leave it waiting, pay notifies.
func TestDashboardBuyerButtons(t *testing.T) {
	e := newEnv(t)
	_, html := e.openCashier(e.m.PageURL("alipay.trade.page.pay", pageBiz("DASH-BUY", "4.00"), e.urls()))
	tradeNo := tradeNoOf(t, html)
	page := e.page("/_mockpay/trades/" + tradeNo)
	for _, action := range []string{"pay", "fail", "cancel"} {
		if !strings.Contains(page, `action="/_mockpay/trades/`+tradeNo+`/`+action+`"`) {
			t.Errorf("no %s button on a waiting trade", action)
		}
	}
	for _, action := range []string{"fail", "cancel", "pay"} {
		resp, body := e.dashboard(http.MethodPost, "/_mockpay/trades/"+tradeNo+"/"+action, nil)
		if want := "/_mockpay/trades/" + tradeNo + "?done=" + action; resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want {
			t.Fatalf("%s: %d %q: %s", action, resp.StatusCode, resp.Header.Get("Location"), body)
		}
		var tr map[string]any
		e.api("GET", "/trades/"+tradeNo, nil, &tr)
		if want := map[string]string{"fail": "WAIT_BUYER_PAY", "cancel": "WAIT_BUYER_PAY", "pay": "TRADE_SUCCESS"}[action]; tr["status"] != want {
			t.Errorf("after %s: %v, want %s", action, tr["status"], want)
		}
	}
	if n := e.shop.next(t); n.Get("out_trade_no") != "DASH-BUY" || e.m.VerifyParams(n) != nil {
		t.Errorf("notification after the pay button: %v", n)
	}
	resp, body := e.dashboard(http.MethodPost, "/_mockpay/trades/"+tradeNo+"/pay", nil)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "trade_has_success") {
		t.Errorf("second pay: %d %s", resp.StatusCode, body)
	}
	resp, body = e.dashboard(http.MethodPost, "/_mockpay/trades/"+tradeNo+"/dance", nil)
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown action: %d %s", resp.StatusCode, body)
	}
}

// TestDashboardRefusesCrossSitePost: a form another site posts from the
// developer's browser changes nothing; the dashboard's own forms work.
func TestDashboardRefusesCrossSitePost(t *testing.T) {
	e := newEnv(t)
	_, html := e.openCashier(e.m.PageURL("alipay.trade.page.pay", pageBiz("DASH-CSRF", "1.00"), e.urls()))
	tradeNo := tradeNoOf(t, html)
	evil := [][]string{
		{"Origin", "http://evil.example"},
		{"Origin", "null"}, // a sender that hides itself
		{"Referer", "http://evil.example/page"},
		{"Origin", e.app.URL, "Referer", "http://evil.example/page"},
		{"Origin", "http://" + e.app.Addr.String() + ".evil.example"},
	}
	for _, h := range evil {
		for path, form := range map[string]url.Values{
			"/_mockpay/clock/advance":              {"by": {"6h"}},
			"/_mockpay/trades/" + tradeNo + "/pay": nil,
		} {
			resp, body := e.dashboard(http.MethodPost, path, form, h...)
			if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "cross_site_post") {
				t.Errorf("%v → %s: %d, want 403: %s", h, path, resp.StatusCode, body)
			}
		}
	}
	if !e.clock.Now().Equal(start) {
		t.Error("a refused post moved the clock")
	}
	var tr map[string]any
	if e.api("GET", "/trades/"+tradeNo, nil, &tr); tr["status"] != "WAIT_BUYER_PAY" {
		t.Errorf("a refused post paid the trade: %v", tr["status"])
	}
	e.shop.none(t, e)
	for _, h := range [][]string{{"Origin", e.app.URL}, {"Referer", e.app.URL + "/_mockpay/"}, nil} {
		resp, body := e.dashboard(http.MethodPost, "/_mockpay/clock/advance", url.Values{"by": {"1h"}}, h...)
		if resp.StatusCode != http.StatusSeeOther {
			t.Errorf("same-site post %v: %d %s", h, resp.StatusCode, body)
		}
	}
}
