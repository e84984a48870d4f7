package instance_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

var (
	legacyNotifyID = regexp.MustCompile(`^[0-9a-f]{32}[0-9a-z]{2}$`)
	legacyTradeNo  = regexp.MustCompile(`^2026050121[0-9]{18}$`)
)

// TestLegacyDirectPayLoop: create_direct_pay_by_user → the same cashier →
// pay → signed sync return (§1.4) whose notify_id verifies for a minute of
// virtual time → the notification (§1.5), which the shop checks with
// notify_verify from inside its notify handler before answering success.
func TestLegacyDirectPayLoop(t *testing.T) {
	e := newEnv(t)
	l := e.partner(md5PID)
	verdicts := make(chan string, 10)
	e.shop.setAnswer(func(n int) (int, string) {
		// The seed's notify pages: check the sign, then ask the gateway,
		// and only then print success.
		note := e.shop.noteAt(n)
		if err := l.Verify(note); err != nil {
			verdicts <- "sign: " + err.Error()
			return 200, "fail"
		}
		got, err := l.NotifyVerify(e.verifyPaths()["gateway"], note.Get("notify_id"))
		if err != nil {
			got = err.Error()
		}
		verdicts <- got
		if got != "true" {
			return 200, "fail"
		}
		return 200, "success"
	})

	p := e.directPay(md5PID, "LEGACY-1", "88.8")
	p["body"] = "two mugs"
	p["extra_common_param"] = "order-42"
	p["show_url"] = "http://shop.example/item/1"
	cashier, html := e.openCashier(l.PageURL("create_direct_pay_by_user", p))
	for _, want := range []string{"Legacy order", "two mugs", "88.80", "mockpay legacy MD5 shop"} {
		if !strings.Contains(html, want) {
			t.Errorf("cashier page lacks %q", want)
		}
	}
	tradeNo := tradeNoOf(t, html)
	if !legacyTradeNo.MatchString(tradeNo) {
		t.Errorf("legacy trade_no %q: want yyyyMMdd + 21 + 18 digits (§4.6)", tradeNo)
	}

	resp, _ := e.press(cashier, "pay")
	ret := mustQuery(t, resp.Header.Get("Location"))
	if err := l.Verify(ret); err != nil {
		t.Fatalf("return does not verify: %v (%v)", err, ret)
	}
	for k, want := range map[string]string{
		"is_success": "T", "exterface": "create_direct_pay_by_user", "out_trade_no": "LEGACY-1", "trade_no": tradeNo,
		"subject": "Legacy order", "body": "two mugs", "total_fee": "88.80", "payment_type": "1",
		"trade_status": "TRADE_SUCCESS", "notify_type": "trade_status_sync", "notify_time": "2026-05-01 10:00:00",
		"seller_id": md5PID, "seller_email": "seller-md5@sandbox.mockpay.local", "buyer_id": "2088102177846880",
		"buyer_email": "buy***@sandbox.com", "extra_common_param": "order-42", "sign_type": "MD5",
	} {
		if got := ret.Get(k); got != want {
			t.Errorf("return %s = %q, want %q", k, got, want)
		}
	}
	if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(ret.Get("sign")) {
		t.Errorf("sign %q: want 32 lower-case hex digits (§1.2 item 6)", ret.Get("sign"))
	}
	returnID := ret.Get("notify_id")
	if !legacyNotifyID.MatchString(returnID) {
		t.Errorf("return notify_id %q is not URL-safe 34 characters", returnID)
	}

	// The notification: delivered at once; its handler saw notify_verify
	// answer true while the delivery was still under way.
	n := e.shop.next(t)
	if v := <-verdicts; v != "true" {
		t.Fatalf("notify_verify inside the notify handler answered %q, want true", v)
	}
	for k, want := range map[string]string{
		"notify_type": "trade_status_sync", "trade_status": "TRADE_SUCCESS", "out_trade_no": "LEGACY-1",
		"trade_no": tradeNo, "total_fee": "88.80", "price": "88.80", "quantity": "1", "discount": "0.00",
		"subject": "Legacy order", "body": "two mugs", "payment_type": "1", "is_total_fee_adjust": "N",
		"use_coupon": "N", "gmt_create": "2026-05-01 10:00:00", "gmt_payment": "2026-05-01 10:00:00",
		"notify_time": "2026-05-01 10:00:00", "seller_id": md5PID, "buyer_id": "2088102177846880",
		"extra_common_param": "order-42", "sign_type": "MD5",
	} {
		if got := n.Get(k); got != want {
			t.Errorf("notification %s = %q, want %q", k, got, want)
		}
	}
	if id := n.Get("notify_id"); !legacyNotifyID.MatchString(id) || id == returnID {
		t.Errorf("notification notify_id %q: 34 URL-safe characters, not the return's", id)
	}
	for k, vs := range n {
		if len(vs) != 1 || vs[0] == "" {
			t.Errorf("notification field %s = %q: one non-empty value", k, vs)
		}
	}
	ns := e.notifications(tradeNo)
	if len(ns) != 1 || ns[0]["status"] != "acked" || ns[0]["attempt_count"].(float64) != 1 {
		t.Fatalf("inspector: %v", ns)
	}
	// Acknowledged: the notification's id no longer verifies.
	if got := e.notifyVerify(l, n.Get("notify_id")); got != "false" {
		t.Errorf("notify_verify after success = %q, want false", got)
	}

	// The return's notify_id verifies on all three paths for about a
	// minute of virtual time (§1.4, §1.6).
	for name, u := range e.verifyPaths() {
		if got, err := l.NotifyVerify(u, returnID); err != nil || got != "true" {
			t.Errorf("%s: return notify_id = %q, %v; want true", name, got, err)
		}
	}
	e.clock.Advance(59 * time.Second)
	if got := e.notifyVerify(l, returnID); got != "true" {
		t.Errorf("return notify_id after 59s = %q, want true", got)
	}
	e.clock.Advance(2 * time.Second)
	for name, u := range e.verifyPaths() {
		if got, _ := l.NotifyVerify(u, returnID); got != "false" {
			t.Errorf("%s: return notify_id after 61s = %q, want false", name, got)
		}
	}

	// single_trade_query: signed XML of the trade (§1.8).
	r, err := l.Call("single_trade_query", map[string]string{"out_trade_no": "LEGACY-1"})
	if err != nil || r.IsSuccess != "T" || r.Node != "trade" {
		t.Fatalf("single_trade_query: %v %s", err, r.Raw)
	}
	if err := l.VerifyXML(r); err != nil {
		t.Errorf("query answer does not verify: %v\n%s", err, r.Raw)
	}
	for k, want := range map[string]string{
		"trade_no": tradeNo, "out_trade_no": "LEGACY-1", "trade_status": "TRADE_SUCCESS", "total_fee": "88.80",
		"subject": "Legacy order", "body": "two mugs", "seller_id": md5PID, "buyer_id": "2088102177846880",
		"gmt_payment": "2026-05-01 10:00:00", "price": "88.80", "quantity": "1",
	} {
		if got := r.Fields[k]; got != want {
			t.Errorf("query %s = %q, want %q", k, got, want)
		}
	}
	if r.Request["service"] != "single_trade_query" || r.Request["out_trade_no"] != "LEGACY-1" {
		t.Errorf("request echo: %v", r.Request)
	}
	if !strings.HasPrefix(string(r.Raw), `<?xml version="1.0" encoding="utf-8"?><alipay><is_success>T</is_success><request>`) {
		t.Errorf("XML shape: %s", r.Raw)
	}
	// The same trade by trade_no, signed with... the same key.
	if r, err := l.Call("single_trade_query", map[string]string{"trade_no": tradeNo}); err != nil || r.Fields["out_trade_no"] != "LEGACY-1" {
		t.Errorf("query by trade_no: %v %s", err, r.Raw)
	}
	e.shop.none(t, e)
}

// TestLegacyPostFormAndRetries: the demo's auto-submitting POST form, with
// _input_charset in the action's query and in the body, counted once; and
// a shop that fails twice gets the same notify_id on every retry, which
// verifies until the success answer (§1.5, §3.5).
func TestLegacyPostFormAndRetries(t *testing.T) {
	e := newEnv(t)
	l := e.partner(md5PID)
	e.shop.setAnswer(func(n int) (int, string) {
		if n < 3 {
			return 200, "fail"
		}
		return 200, "success"
	})
	p := e.directPay(md5PID, "LEGACY-POST", "1.00")
	p["price"], p["quantity"] = "", "" // empty values are not signed (§1.2)
	resp, err := l.HTTP.PostForm(l.Gateway+"?_input_charset=utf-8", l.Params("create_direct_pay_by_user", p))
	if err != nil {
		t.Fatal(err)
	}
	if body := readAll(t, resp); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST form: %d %s", resp.StatusCode, body)
	}
	cashier := e.abs(resp.Header.Get("Location"))
	e.get(cashier) // entering the cashier creates the trade
	resp, _ = e.press(cashier, "pay")
	ret := mustQuery(t, resp.Header.Get("Location"))
	first := e.shop.next(t)
	id := first.Get("notify_id")
	if got := e.notifyVerify(l, id); got != "true" {
		t.Errorf("notify_id of a pending notification = %q, want true", got)
	}
	e.clock.Advance(4 * time.Minute)
	second := e.shop.next(t)
	e.clock.Advance(10 * time.Minute)
	third := e.shop.next(t)
	for i, n := range []url.Values{second, third} {
		if n.Get("notify_id") != id || l.Verify(n) != nil {
			t.Errorf("retry %d: notify_id %q (want %q), verify %v", i+2, n.Get("notify_id"), id, l.Verify(n))
		}
	}
	if second.Get("notify_time") != "2026-05-01 10:04:00" {
		t.Errorf("retry notify_time %s", second.Get("notify_time"))
	}
	e.settle()
	if got := e.notifyVerify(l, id); got != "false" {
		t.Errorf("notify_id after success = %q, want false", got)
	}
	ns := e.notifications(ret.Get("trade_no"))
	if ns[0]["status"] != "acked" || ns[0]["attempt_count"].(float64) != 3 {
		t.Errorf("inspector: %v", ns)
	}
}

// TestLegacyPriceAndQuantity: price and quantity instead of total_fee.
func TestLegacyPriceAndQuantity(t *testing.T) {
	e := newEnv(t)
	l := e.partner(md5PID)
	p := e.directPay(md5PID, "LEGACY-PQ", "")
	p["price"], p["quantity"] = "2.50", "3"
	ret := e.legacyPay(l.PageURL("create_direct_pay_by_user", p))
	if ret.Get("total_fee") != "7.50" || l.Verify(ret) != nil {
		t.Errorf("return: %v", ret)
	}
	n := e.shop.next(t)
	if n.Get("price") != "2.50" || n.Get("quantity") != "3" || n.Get("total_fee") != "7.50" {
		t.Errorf("notification: %v", n)
	}
}
