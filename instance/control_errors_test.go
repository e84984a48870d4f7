package instance_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestExpiredQRCodeIsGoneOnTheControlAPI: paying an unscanned precreate
// order after its code expired is the caller's problem, a 410 with the
// code, not a 500.
func TestExpiredQRCodeIsGoneOnTheControlAPI(t *testing.T) {
	e := newEnv(t)
	e.precreate("QR-GONE", "1.00")
	e.clock.Advance(2 * time.Hour)
	var res map[string]string
	if code := e.api("POST", "/apps/2021000122600001/orders/QR-GONE/pay", nil, &res); code != http.StatusGone || res["code"] != "qr_code_expired" {
		t.Errorf("pay an expired code: %d %v", code, res)
	}
}

// TestClockAdvanceStopsAtItsMaximum: a jump that would carry virtual time
// past 2200 (and the stored instants past what int64 nanoseconds hold) is a
// 400 that says where time stops; the clock does not move.
func TestClockAdvanceStopsAtItsMaximum(t *testing.T) {
	e := newEnv(t)
	for _, by := range []string{"2562047h", "1524000h"} {
		var res map[string]string
		if code := e.api("POST", "/clock/advance", map[string]string{"by": by}, &res); code != http.StatusBadRequest ||
			res["code"] != "invalid_parameter" || !strings.Contains(res["message"], "time stops at 2200-01-01T00:00:00Z") {
			t.Errorf("advance by %s: %d %v", by, code, res)
		}
	}
	if !e.clock.Now().Equal(start) {
		t.Errorf("a refused advance moved the clock to %v", e.clock.Now())
	}
	var clk map[string]any
	if code := e.api("POST", "/clock/advance", map[string]string{"by": "3650d"}, &clk); code != http.StatusOK {
		t.Errorf("a ten-year jump: %d %v", code, clk)
	}
}

// TestTimeExpireBeyondTheRuleIsRefused: an absolute time_expire more than
// 15 days ahead is an invalid parameter on every order method (year 9999
// would overflow the stored time); nothing is stored.
func TestTimeExpireBeyondTheRuleIsRefused(t *testing.T) {
	e := newEnv(t)
	for method, biz := range map[string]map[string]any{
		"alipay.trade.precreate": precreateBiz("FAR-QR", "1.00"),
		"alipay.trade.create":    createBiz("FAR-CREATE", "1.00"),
	} {
		for _, at := range []string{"9999-12-31 23:59:59", "2026-05-16 10:00:01"} {
			biz["time_expire"] = at
			r, err := e.m.Call(method, biz, nil)
			if err != nil || r.Code() != "40004" || r.SubCode() != "ACQ.INVALID_PARAMETER" {
				t.Errorf("%s time_expire %s: %v %s", method, at, err, r.Raw)
			}
		}
		biz["time_expire"] = "2026-05-16 10:00:00"
		if r, err := e.m.Call(method, biz, nil); err != nil || r.Code() != "10000" {
			t.Errorf("%s time_expire 15 days ahead: %v %s", method, err, r.Raw)
		}
	}
}

// quickAPI asks a long poll with ?timeout=120s (or wait=120s) under a
// client deadline far shorter: an answer at all means it did not wait.
func (e *env) quickAPI(path string) (int, map[string]any) {
	e.t.Helper()
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Get(e.app.URL + "/_mockpay/api" + path)
	if err != nil {
		e.t.Fatalf("GET %s did not answer at once: %v", path, err)
	}
	defer resp.Body.Close()
	out := map[string]any{}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		e.t.Fatalf("GET %s: %v", path, err)
	}
	return resp.StatusCode, out
}

// TestLongPollsRefuseWhatCanNeverHappenAtOnce: a malformed after=, status=
// or attempts= is a 400 naming the parameter and what it may be; a trade
// number or app that does not exist is a 404; neither waits out timeout=.
func TestLongPollsRefuseWhatCanNeverHappenAtOnce(t *testing.T) {
	e := newEnv(t)
	ret := e.pay("POLL-1", "1.00")
	tradeNo := ret.Get("trade_no")
	e.shop.next(t)
	e.settle() // the attempt the shop saw is recorded: the feed's last id is 1
	const app = "2021000122600001"
	long := "&timeout=120s"
	cases := []struct {
		path   string
		status int
		code   string
		says   string
	}{
		{"/trades/wait?trade_no=2026999999999999" + long, 404, "trade_not_exist", "2026999999999999"},
		{"/trades/wait?app_id=2021999999999999&out_trade_no=POLL-1" + long, 404, "invalid_app_id", "2021999999999999"},
		{"/trades/wait?trade_no=" + tradeNo + "&status=PAID" + long, 400, "invalid_parameter", "WAIT_BUYER_PAY, TRADE_SUCCESS, TRADE_FINISHED, TRADE_CLOSED"},
		{"/trades/wait?app_id=" + app + "&out_trade_no=POLL-1&status=trade_success" + long, 400, "invalid_parameter", `status "trade_success"`},
		{"/trades/wait?trade_no=" + tradeNo + "&timeout=forever", 400, "invalid_parameter", "timeout"},
		{"/notifications/wait?trade_no=2026999999999999" + long, 404, "trade_not_exist", "2026999999999999"},
		{"/notifications/wait?app_id=2021999999999999&out_trade_no=POLL-1" + long, 404, "invalid_app_id", "2021999999999999"},
		{"/notifications/wait?trade_no=" + tradeNo + "&status=delivered" + long, 400, "invalid_parameter", "pending, acked, gave_up"},
		{"/notifications/wait?trade_no=" + tradeNo + "&attempts=-1" + long, 400, "invalid_parameter", "attempts"},
		{"/notifications/wait?trade_no=" + tradeNo + "&attempts=many" + long, 400, "invalid_parameter", "attempts"},
		{"/attempts?after=latest&wait=120s", 400, "invalid_parameter", "after"},
		{"/attempts?after=-1&wait=120s", 400, "invalid_parameter", "after"},
		{"/attempts?after=999999&wait=120s", 400, "invalid_parameter", "the feed's last attempt is 1"},
	}
	for _, c := range cases {
		status, res := e.quickAPI(c.path)
		if msg, _ := res["message"].(string); status != c.status || res["code"] != c.code || !strings.Contains(msg, c.says) {
			t.Errorf("GET %s: %d %v, want %d %s saying %q", c.path, status, res, c.status, c.code, c.says)
		}
	}

	// What can still happen is waited for: the feed's own last position,
	// and an out_trade_no the buyer has not opened yet.
	if status, _ := e.quickAPI("/attempts?after=1&wait=20ms"); status != http.StatusOK {
		t.Errorf("feed at its last position: %d", status)
	}
	if status, res := e.quickAPI("/trades/wait?app_id=" + app + "&out_trade_no=NOT-YET&timeout=20ms"); status != http.StatusRequestTimeout {
		t.Errorf("wait for a trade not opened yet: %d %v", status, res)
	}
	if status, res := e.quickAPI("/notifications/wait?" + url.Values{"trade_no": {tradeNo}, "status": {"acked"}, "timeout": {"120s"}}.Encode()); status != http.StatusOK || res["status"] != "acked" {
		t.Errorf("wait for the acked notification: %d %v", status, res)
	}
}
