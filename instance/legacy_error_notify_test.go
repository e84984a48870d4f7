package instance_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestLegacyErrorNotifyURL: a signed page-service order the gateway refuses
// shows the error page and posts the refusal to error_notify_url, signed
// with the partner's key, delivered and acknowledged like any notification
// (issue 12 item 7; alipay-protocol.md §1.10). An order whose signature
// does not verify, or whose error_notify_url is mockpay itself, posts
// nothing.
func TestLegacyErrorNotifyURL(t *testing.T) {
	e := newEnv(t)
	l := e.partner(md5PID)
	order := e.directPay(md5PID, "ERRN-1", "not-a-fee")
	order["buyer_id"] = "2088102177846880"
	order["error_notify_url"] = e.shop.URL + "/notify"

	_, page := e.get(l.PageURL("create_direct_pay_by_user", order))
	if !strings.Contains(page, "ILLEGAL_FEE_PARAM") {
		t.Fatalf("error page: %s", page)
	}
	v := e.shop.next(t)
	if err := l.Verify(v); err != nil {
		t.Errorf("error notification does not verify with the partner's key: %v %v", err, v)
	}
	want := map[string]string{
		"partner": md5PID, "out_trade_no": "ERRN-1", "error_code": "ILLEGAL_FEE_PARAM",
		"buyer_id": "2088102177846880", "seller_id": md5PID, "sign_type": "MD5",
	}
	for k, w := range want {
		if v.Get(k) != w {
			t.Errorf("%s = %q, want %q (%v)", k, v.Get(k), w, v)
		}
	}
	for _, k := range []string{"notify_id", "notify_time", "sign"} {
		if v.Get(k) == "" {
			t.Errorf("%s missing: %v", k, v)
		}
	}
	if len(v) != len(want)+3 {
		t.Errorf("fields beyond §1.10's list: %v", v)
	}
	e.settle()
	var ns []map[string]any
	if code := e.api("GET", "/notifications?app_id="+md5PID, nil, &ns); code != http.StatusOK || len(ns) != 1 || ns[0]["status"] != "acked" || ns[0]["trade_no"] != "" {
		t.Errorf("outbox: %d %v", code, ns)
	}

	// Not signed by the partner: no report.
	tampered := l.Params("create_direct_pay_by_user", order)
	tampered.Set("total_fee", "also-not-a-fee")
	if _, page := e.get(l.Gateway + "?" + tampered.Encode()); !strings.Contains(page, "ILLEGAL_SIGN") {
		t.Fatalf("tampered: %s", page)
	}
	e.shop.none(t, e)

	// Aimed at mockpay itself: selfguard refuses it at once, nothing is queued.
	order["error_notify_url"] = e.app.URL + "/_mockpay/api/reset"
	order["out_trade_no"] = "ERRN-2"
	if _, page := e.get(l.PageURL("create_direct_pay_by_user", order)); !strings.Contains(page, "ILLEGAL_FEE_PARAM") {
		t.Fatalf("self: %s", page)
	}
	e.shop.none(t, e)
	if code := e.api("GET", "/notifications?app_id="+md5PID, nil, &ns); code != http.StatusOK || len(ns) != 1 {
		t.Errorf("a report to mockpay itself was queued: %v", ns)
	}

	// A valid order with an error_notify_url pays as usual, with no report.
	ok := e.directPay(md5PID, "ERRN-3", "1.00")
	ok["error_notify_url"] = e.shop.URL + "/notify"
	e.legacyPay(l.PageURL("create_direct_pay_by_user", ok))
	if n := e.shop.next(t); n.Get("trade_status") != "TRADE_SUCCESS" || n.Get("error_code") != "" {
		t.Errorf("paid order's notification: %v", n)
	}
}
