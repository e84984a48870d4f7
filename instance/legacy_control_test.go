package instance_test

import (
	"net/http"
	"net/url"
	"testing"
)

// TestLegacyPayThroughControlAPI: CI pays a legacy order without a browser,
// by partner id and out_trade_no, and gets the legacy sync return.
func TestLegacyPayThroughControlAPI(t *testing.T) {
	e := newEnv(t)
	l := e.partner(md5PID)
	if resp, body := e.get(l.PageURL("create_direct_pay_by_user", e.directPay(md5PID, "LEGACY-API", "6.00"))); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("gateway: %d %s", resp.StatusCode, body)
	}
	var res actionResult
	if code := e.api("POST", "/apps/"+md5PID+"/orders/LEGACY-API/pay", nil, &res); code != 200 {
		t.Fatalf("pay: %d %+v", code, res)
	}
	ret := url.Values{}
	for k, v := range res.ReturnParams {
		ret.Set(k, v)
	}
	if err := l.Verify(ret); err != nil || ret.Get("is_success") != "T" || ret.Get("trade_status") != "TRADE_SUCCESS" {
		t.Fatalf("legacy return through the API: %v %+v", err, res)
	}
	if got := e.notifyVerify(l, ret.Get("notify_id")); got != "true" {
		t.Errorf("the return's notify_id = %q", got)
	}
	if n := e.shop.next(t); l.Verify(n) != nil || n.Get("out_trade_no") != "LEGACY-API" {
		t.Errorf("notification: %v", n)
	}
}
