package instance_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/mockpay/mockpay/internal/merchant"
)

// api calls mockpay's control API and decodes the JSON answer.
func (e *env) api(method, path string, body any, out any) int {
	e.t.Helper()
	var rd *bytes.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	} else {
		rd = bytes.NewReader(nil)
	}
	req, _ := http.NewRequest(method, e.app.URL+"/_mockpay/api"+path, rd)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	raw := readAll(e.t.(*testing.T), resp)
	if !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		e.t.Fatalf("%s %s: content type %q: %s", method, path, resp.Header.Get("Content-Type"), raw)
	}
	if out != nil {
		if err := json.Unmarshal([]byte(raw), out); err != nil {
			e.t.Fatalf("%s %s: %v: %s", method, path, err, raw)
		}
	}
	return resp.StatusCode
}

type actionResult struct {
	Trade        map[string]any    `json:"trade"`
	RedirectURL  string            `json:"redirect_url"`
	ReturnParams map[string]string `json:"return_params"`
	Message      string            `json:"message"`
}

// TestPayThroughControlAPI: CI pays without a browser. The order reached the
// gateway (the shop's page.pay), the control API enters the cashier and pays
// through the same code as the button, and returns the signed return.
func TestPayThroughControlAPI(t *testing.T) {
	e := newEnv(t)
	resp, _ := e.get(e.m.PageURL("alipay.trade.page.pay", pageBiz("API-1", "12.00"), e.urls()))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("gateway: %d", resp.StatusCode)
	}
	var res actionResult
	if code := e.api("POST", "/apps/2021000122600001/orders/API-1/pay", nil, &res); code != 200 {
		t.Fatalf("pay: %d %+v", code, res)
	}
	ret := url.Values{}
	for k, v := range res.ReturnParams {
		ret.Set(k, v)
	}
	if err := e.m.VerifyParams(ret); err != nil || ret.Get("out_trade_no") != "API-1" || !strings.HasPrefix(res.RedirectURL, e.shop.URL+"/return?") {
		t.Fatalf("return through the API: %v %+v", err, res)
	}
	if res.Trade["status"] != "TRADE_SUCCESS" {
		t.Errorf("trade: %v", res.Trade)
	}
	n := e.shop.next(t)
	if e.m.VerifyParams(n) != nil {
		t.Error("notification does not verify")
	}
	var note map[string]any
	if code := e.api("GET", "/notifications/wait?app_id=2021000122600001&out_trade_no=API-1&status=acked&timeout=5s", nil, &note); code != 200 || note["status"] != "acked" {
		t.Fatalf("wait for ack: %d %v", code, note)
	}
	// A second pay is refused with the domain's code.
	var apiErr map[string]string
	if code := e.api("POST", "/trades/"+ret.Get("trade_no")+"/pay", nil, &apiErr); code != http.StatusConflict || apiErr["code"] != "trade_has_success" || apiErr["message"] == "" {
		t.Errorf("second pay: %d %v", code, apiErr)
	}
	if code := e.api("POST", "/trades/"+ret.Get("trade_no")+"/dance", nil, &apiErr); code != http.StatusBadRequest {
		t.Errorf("unknown action: %d %v", code, apiErr)
	}
	if code := e.api("POST", "/apps/2021000122600001/orders/NO-SUCH/pay", nil, &apiErr); code != http.StatusNotFound {
		t.Errorf("order that never reached the gateway: %d %v", code, apiErr)
	}
	// The trade's detail carries its history and its notification.
	var tr map[string]any
	e.settle()
	e.api("GET", "/trades/"+ret.Get("trade_no"), nil, &tr)
	hist := tr["history"].([]any)
	if len(hist) != 2 || hist[0].(map[string]any)["status"] != "WAIT_BUYER_PAY" || hist[1].(map[string]any)["status"] != "TRADE_SUCCESS" {
		t.Errorf("history: %v", hist)
	}
	if ns := tr["notifications"].([]any); len(ns) != 1 {
		t.Errorf("notifications in detail: %v", ns)
	}
}

func TestFailAndCancelThroughControlAPI(t *testing.T) {
	e := newEnv(t)
	_, html := e.openCashier(e.m.PageURL("alipay.trade.page.pay", pageBiz("API-2", "1"), e.urls()))
	tradeNo := tradeNoOf(t, html)
	var res actionResult
	if code := e.api("POST", "/trades/"+tradeNo+"/fail", nil, &res); code != 200 || res.Trade["status"] != "WAIT_BUYER_PAY" || !strings.Contains(res.Message, "余额不足") {
		t.Errorf("fail: %d %+v", code, res)
	}
	if code := e.api("POST", "/trades/"+tradeNo+"/cancel", nil, &res); code != 200 || res.RedirectURL != e.shop.URL+"/" {
		t.Errorf("cancel: %d %+v", code, res)
	}
	e.shop.none(t, e)
}

// TestRedeliverAcknowledged: redelivery sends an acknowledged notification
// again, same notify_id, to test a shop's idempotency; nothing else retries.
func TestRedeliverAcknowledged(t *testing.T) {
	e := newEnv(t)
	ret := e.pay("REDELIVER-1", "1.00")
	first := e.shop.next(t)
	ns := e.notifications(ret.Get("trade_no"))
	id := int(ns[0]["id"].(float64))
	var n map[string]any
	if code := e.api("POST", "/notifications/"+itoa(id)+"/redeliver", nil, &n); code != http.StatusAccepted {
		t.Fatalf("redeliver: %d %v", code, n)
	}
	second := e.shop.next(t)
	if second.Get("notify_id") != first.Get("notify_id") || e.m.VerifyParams(second) != nil {
		t.Errorf("redelivered: %v", second)
	}
	e.clock.Advance(48 * time.Hour)
	e.shop.none(t, e)
	e.api("GET", "/notifications/"+itoa(id), nil, &n)
	if n["status"] != "acked" || n["attempt_count"].(float64) != 2 || n["redeliveries"].(float64) != 1 {
		t.Errorf("after redelivery: %v", n)
	}
	var apiErr map[string]string
	if code := e.api("POST", "/notifications/999999/redeliver", nil, &apiErr); code != http.StatusNotFound || apiErr["code"] != "notification_not_found" {
		t.Errorf("unknown notification: %d %v", code, apiErr)
	}
}

func TestClockAPI(t *testing.T) {
	e := newEnv(t)
	var c map[string]any
	if e.api("GET", "/clock", nil, &c); c["now"] != "2026-05-01T10:00:00+08:00" || c["scale"].(float64) != 0 {
		t.Errorf("clock: %v", c)
	}
	if code := e.api("POST", "/clock/advance", map[string]string{"by": "6h"}, &c); code != 200 || c["now"] != "2026-05-01T16:00:00+08:00" {
		t.Errorf("advance 6h: %d %v", code, c)
	}
	if e.api("POST", "/clock/advance", map[string]string{"by": "2d"}, &c); c["now"] != "2026-05-03T16:00:00+08:00" {
		t.Errorf("advance 2d: %v", c)
	}
	for _, bad := range []string{"", "-1h", "soon", "0s"} {
		var apiErr map[string]string
		if code := e.api("POST", "/clock/advance", map[string]string{"by": bad}, &apiErr); code != 400 || apiErr["code"] != "invalid_parameter" {
			t.Errorf("advance %q: %d %v", bad, code, apiErr)
		}
	}
	var apiErr map[string]string
	if code := e.api("POST", "/clock/advance", map[string]any{"by": "1h", "extra": 1}, &apiErr); code != 400 {
		t.Errorf("unknown field: %d", code)
	}
}

// TestExpiryClosesUnpaidTradeOnTime: timeout_express runs on the virtual
// clock; the trade closes the moment it runs out, with no query needed.
func TestExpiryClosesUnpaidTradeOnTime(t *testing.T) {
	e := newEnv(t)
	biz := pageBiz("EXPIRE-1", "1")
	biz["timeout_express"] = "30m"
	_, html := e.openCashier(e.m.PageURL("alipay.trade.page.pay", biz, e.urls()))
	tradeNo := tradeNoOf(t, html)
	e.clock.Advance(29 * time.Minute)
	var tr map[string]any
	if code := e.api("GET", "/trades/wait?trade_no="+tradeNo+"&status=TRADE_CLOSED&timeout=50ms", nil, &tr); code != http.StatusRequestTimeout {
		t.Fatalf("closed a minute early: %d %v", code, tr)
	}
	e.clock.Advance(time.Minute)
	if code := e.api("GET", "/trades/wait?trade_no="+tradeNo+"&status=TRADE_CLOSED&timeout=5s", nil, &tr); code != 200 {
		t.Fatalf("not closed at its deadline: %d %v", code, tr)
	}
	if tr["closed_at"] != "2026-05-01T10:30:00+08:00" {
		t.Errorf("closed at %v", tr["closed_at"])
	}
	hist := tr["history"].([]any)
	if last := hist[len(hist)-1].(map[string]any); last["status"] != "TRADE_CLOSED" || last["at"] != "2026-05-01T10:30:00+08:00" {
		t.Errorf("history: %v", hist)
	}
	r, _ := e.m.Call("alipay.trade.query", map[string]string{"trade_no": tradeNo}, nil)
	if r.Str("trade_status") != "TRADE_CLOSED" {
		t.Errorf("query: %s", r.Raw)
	}
	e.shop.none(t, e) // expiry sends no notification by default (§3.4)
}

// TestCreatedAppsAreIsolated: an app created through the API works with its
// generated keys, and its trades are its own.
func TestCreatedAppsAreIsolated(t *testing.T) {
	e := newEnv(t)
	var a, b map[string]string
	if code := e.api("POST", "/apps", map[string]string{"name": "suite A"}, &a); code != http.StatusCreated {
		t.Fatalf("create: %d %v", code, a)
	}
	e.api("POST", "/apps", map[string]string{"name": "suite B", "sign_type": "RSA"}, &b)
	if a["app_id"] == b["app_id"] || a["pid"] == b["pid"] || len(a["app_id"]) != 16 || !strings.HasPrefix(a["pid"], "2088") || b["sign_type"] != "RSA" {
		t.Fatalf("created apps: %v %v", a, b)
	}
	for _, app := range []map[string]string{a, b} {
		m, err := merchant.New(e.app.URL+"/gateway.do", app["app_id"], app["app_private_key_pem"], app["alipay_public_key_pem"], app["sign_type"])
		if err != nil {
			t.Fatal(err)
		}
		m.Now = e.clock.Now
		resp, _ := e.get(m.PageURL("alipay.trade.page.pay", pageBiz("SAME-NO", "1"), e.urls()))
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("page.pay with a created app: %d", resp.StatusCode)
		}
		var res actionResult
		if code := e.api("POST", "/apps/"+app["app_id"]+"/orders/SAME-NO/pay", nil, &res); code != 200 {
			t.Fatalf("pay: %d %+v", code, res)
		}
		r, err := m.Call("alipay.trade.query", map[string]string{"out_trade_no": "SAME-NO"}, nil)
		if err != nil || r.Str("trade_no") != res.Trade["trade_no"] {
			t.Errorf("each app sees its own SAME-NO: %v %v", err, r)
		}
		e.shop.next(t)
	}
	var ts []map[string]any
	e.api("GET", "/trades?app_id="+a["app_id"], nil, &ts)
	if len(ts) != 1 || ts[0]["app_id"] != a["app_id"] {
		t.Errorf("app A's trades: %v", ts)
	}
	// An app with the merchant's own key: mockpay holds no private key.
	own := e.app.Fixtures.Apps[0].AppPublicKeyPEM
	var c map[string]string
	if code := e.api("POST", "/apps", map[string]string{"app_public_key_pem": own}, &c); code != http.StatusCreated || c["app_private_key_pem"] != "" {
		t.Errorf("own key: %d %v", code, c)
	}
	var apiErr map[string]string
	if code := e.api("POST", "/apps", map[string]string{"app_public_key_pem": "nope"}, &apiErr); code != 400 {
		t.Errorf("bad key: %d %v", code, apiErr)
	}
	if code := e.api("POST", "/apps", map[string]string{"sign_type": "MD5"}, &apiErr); code != 400 {
		t.Errorf("bad sign_type: %d %v", code, apiErr)
	}
	// Created apps survive a restart.
	e.restart()
	if code := e.api("GET", "/apps/"+a["app_id"], nil, &c); code != 200 || c["app_private_key_pem"] != a["app_private_key_pem"] {
		t.Errorf("after restart: %d", code)
	}
}

func TestResetKeepsApps(t *testing.T) {
	e := newEnv(t)
	e.pay("RESET-1", "1")
	e.shop.next(t)
	e.settle()
	var out map[string]string
	if code := e.api("POST", "/reset", nil, &out); code != 200 {
		t.Fatal(code)
	}
	var ts, ns, apps []map[string]any
	e.api("GET", "/trades", nil, &ts)
	e.api("GET", "/notifications", nil, &ns)
	e.api("GET", "/apps", nil, &apps)
	if len(ts) != 0 || len(ns) != 0 || len(apps) < 2 {
		t.Errorf("after reset: %d trades, %d notifications, %d apps", len(ts), len(ns), len(apps))
	}
	r, _ := e.m.Call("alipay.trade.query", map[string]string{"out_trade_no": "RESET-1"}, nil)
	if r.SubCode() != "ACQ.TRADE_NOT_EXIST" {
		t.Errorf("query after reset: %s", r.Raw)
	}
}

func TestAttemptsFeed(t *testing.T) {
	e := newEnv(t)
	e.shop.setAnswer(func(int) (int, string) { return 200, "no" })
	e.pay("FEED-1", "1")
	e.shop.next(t)
	var feed struct {
		Attempts []map[string]any `json:"attempts"`
		Next     int              `json:"next"`
	}
	e.api("GET", "/attempts?after=0&wait=5s", nil, &feed)
	if len(feed.Attempts) != 1 || feed.Attempts[0]["out_trade_no"] != "FEED-1" || feed.Attempts[0]["next_attempt_at"] != "2026-05-01T10:04:00+08:00" || feed.Next == 0 {
		t.Fatalf("feed: %+v", feed)
	}
	after := feed.Next
	e.api("GET", "/attempts?after="+itoa(after)+"&wait=20ms", nil, &feed)
	if len(feed.Attempts) != 0 || feed.Next != after {
		t.Errorf("nothing new: %+v", feed)
	}
	e.clock.Advance(4 * time.Minute)
	e.api("GET", "/attempts?after="+itoa(after)+"&wait=5s", nil, &feed)
	if len(feed.Attempts) != 1 || feed.Attempts[0]["number"].(float64) != 2 {
		t.Errorf("second attempt: %+v", feed)
	}
}

// TestAPIRefusesCrossSitePosts: a page on another site cannot drive the
// sandbox through the developer's browser (an empty form to /reset would
// wipe it); scripts, which send no Origin, can.
func TestAPIRefusesCrossSitePosts(t *testing.T) {
	e := newEnv(t)
	e.pay("CSRF-1", "1")
	e.shop.next(t)
	req, _ := http.NewRequest("POST", e.app.URL+"/_mockpay/api/reset", strings.NewReader(""))
	req.Header.Set("Origin", "http://evil.example")
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if body := readAll(t, resp); resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "cross_site_post") {
		t.Errorf("cross-site reset: %d %s", resp.StatusCode, body)
	}
	var ts []map[string]any
	if e.api("GET", "/trades", nil, &ts); len(ts) != 1 {
		t.Errorf("trades after the refused reset: %d", len(ts))
	}
	req, _ = http.NewRequest("GET", e.app.URL+"/_mockpay/api/trades", nil)
	req.Header.Set("Origin", "http://evil.example")
	if resp, _ := http.DefaultClient.Do(req); resp.StatusCode != 200 {
		t.Errorf("a cross-site read is harmless and allowed: %d", resp.StatusCode)
	}
}
