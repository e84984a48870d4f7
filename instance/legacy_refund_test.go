package instance_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/mockpay/mockpay/internal/merchant"
)

// refundBatch is a refund_fastpay_by_platform_* request: today's batch_no
// on the virtual clock (2026-05-01) and its records.
func (e *env) refundBatch(pid, serial string, records ...string) map[string]string {
	return map[string]string{
		"batch_no": "20260501" + serial, "batch_num": strconv.Itoa(len(records)), "detail_data": strings.Join(records, "#"),
		"refund_date": "2026-05-01 10:00:00", "notify_url": e.shop.URL + "/notify", "seller_user_id": pid,
	}
}

// paidLegacyTrade pays an order and consumes its notification.
func (e *env) paidLegacyTrade(l *merchant.Legacy, pid, outTradeNo, fee string) string {
	e.t.Helper()
	ret := e.legacyPay(l.PageURL("create_direct_pay_by_user", e.directPay(pid, outTradeNo, fee)))
	e.shop.next(e.t)
	return ret.Get("trade_no")
}

// notesByKind reads n notifications and indexes them by notify_type and,
// for trade notifications, trade_no.
func (e *env) notesByKind(n int) map[string]url.Values {
	e.t.Helper()
	out := map[string]url.Values{}
	for range n {
		v := e.shop.next(e.t)
		key := v.Get("notify_type")
		if key == "trade_status_sync" {
			key += ":" + v.Get("trade_no")
		}
		out[key] = v
	}
	return out
}

// TestLegacyRefundNoPwd: refund_fastpay_by_platform_nopwd refunds through
// the refund domain; the answer only accepts the batch; each record's
// outcome comes in batch_refund_notify, and each refunded trade sends its
// own notification with refund_status (§1.5, §1.9).
func TestLegacyRefundNoPwd(t *testing.T) {
	e := newEnv(t)
	l := e.partner(md5PID)
	a := e.paidLegacyTrade(l, md5PID, "REFUND-A", "10.00")
	b := e.paidLegacyTrade(l, md5PID, "REFUND-B", "5.00")

	r, err := l.Call("refund_fastpay_by_platform_nopwd", e.refundBatch(md5PID, "001", a+"^3.00^协商退款", b+"^5.00^full"))
	if err != nil || string(r.Raw) != `<?xml version="1.0" encoding="utf-8"?><alipay><is_success>T</is_success></alipay>` {
		t.Fatalf("nopwd: %v %s", err, r.Raw)
	}
	notes := e.notesByKind(3)
	batch := notes["batch_refund_notify"]
	if err := l.Verify(batch); err != nil {
		t.Fatalf("batch notification does not verify: %v (%v)", err, batch)
	}
	for k, want := range map[string]string{
		"batch_no": "20260501001", "success_num": "2", "result_details": a + "^3.00^SUCCESS#" + b + "^5.00^SUCCESS",
		"notify_time": "2026-05-01 10:00:00", "sign_type": "MD5",
	} {
		if got := batch.Get(k); got != want {
			t.Errorf("batch notification %s = %q, want %q", k, got, want)
		}
	}
	if !legacyNotifyID.MatchString(batch.Get("notify_id")) {
		t.Errorf("batch notify_id %q", batch.Get("notify_id"))
	}
	partial, full := notes["trade_status_sync:"+a], notes["trade_status_sync:"+b]
	for name, c := range map[string]struct {
		n      url.Values
		status string
	}{"partial": {partial, "TRADE_SUCCESS"}, "full": {full, "TRADE_CLOSED"}} {
		if l.Verify(c.n) != nil || c.n.Get("trade_status") != c.status || c.n.Get("refund_status") != "REFUND_SUCCESS" || c.n.Get("gmt_refund") != "2026-05-01 10:00:00" {
			t.Errorf("%s refund's trade notification: %v", name, c.n)
		}
	}
	if full.Get("gmt_close") != "2026-05-01 10:00:00" {
		t.Errorf("a full refund closes the trade: %v", full)
	}
	q, _ := l.Call("single_trade_query", map[string]string{"trade_no": a})
	if q.Fields["trade_status"] != "TRADE_SUCCESS" {
		t.Errorf("after a partial refund: %s", q.Raw)
	}
	q, _ = l.Call("single_trade_query", map[string]string{"trade_no": b})
	if q.Fields["trade_status"] != "TRADE_CLOSED" {
		t.Errorf("after a full refund: %s", q.Raw)
	}

	// Records fail one by one; the batch is still accepted.
	other := e.partner(rsaPID)
	foreign := e.paidLegacyTrade(other, rsaPID, "REFUND-FOREIGN", "1.00")
	_, html := e.openCashier(l.PageURL("create_direct_pay_by_user", e.directPay(md5PID, "REFUND-UNPAID", "1.00")))
	unpaid := tradeNoOf(t, html)
	r, err = l.Call("refund_fastpay_by_platform_nopwd", e.refundBatch(md5PID, "002",
		a+"^7.01^too much", b+"^1.00^closed", "2026050121999999999999999999^1.00^unknown", foreign+"^1.00^foreign", unpaid+"^1.00^unpaid"))
	if err != nil || r.IsSuccess != "T" {
		t.Fatalf("nopwd with failing records: %v %s", err, r.Raw)
	}
	batch = e.shop.next(t)
	want := strings.Join([]string{
		a + "^7.01^REASON_TRADE_REFUND_FEE_ERR", b + "^1.00^TRADE_HAS_CLOSED", "2026050121999999999999999999^1.00^TRADE_NOT_EXISTS",
		foreign + "^1.00^NOT_THIS_PARTNERS_TRADE", unpaid + "^1.00^TRADE_STATUS_ERROR",
	}, "#")
	if batch.Get("notify_type") != "batch_refund_notify" || batch.Get("success_num") != "0" || batch.Get("result_details") != want {
		t.Errorf("failing records: %v\nwant result_details %s", batch, want)
	}
	e.shop.none(t, e) // no record refunded, so no trade notification
	// The remaining 7.00 of trade A is refundable.
	if r, err := l.Call("refund_fastpay_by_platform_nopwd", e.refundBatch(md5PID, "003", a+"^7.00^rest")); err != nil || r.IsSuccess != "T" {
		t.Fatalf("rest of A: %v %s", err, r.Raw)
	}
	if notes := e.notesByKind(2); notes["batch_refund_notify"].Get("success_num") != "1" || notes["trade_status_sync:"+a].Get("trade_status") != "TRADE_CLOSED" {
		t.Errorf("refunding the rest: %v", notes)
	}
}

// TestLegacyRefundRequestErrors: a malformed batch is refused at once with
// the §1.9 code, and nothing is refunded.
func TestLegacyRefundRequestErrors(t *testing.T) {
	e := newEnv(t)
	l := e.partner(md5PID)
	a := e.paidLegacyTrade(l, md5PID, "REFUND-ERR", "10.00")
	if r, err := l.Call("refund_fastpay_by_platform_nopwd", e.refundBatch(md5PID, "001", a+"^1.00^first")); err != nil || r.IsSuccess != "T" {
		t.Fatalf("first batch: %v %s", err, r.Raw)
	}
	e.notesByKind(2)
	with := func(p map[string]string, kv ...string) map[string]string {
		for i := 0; i < len(kv); i += 2 {
			p[kv[i]] = kv[i+1]
		}
		return p
	}
	ok := func(serial string) map[string]string { return e.refundBatch(md5PID, serial, a+"^1.00^r") }
	cases := []struct {
		name   string
		params map[string]string
		code   string
	}{
		{"batch_no used before", ok("001"), "DUPLICATE_BATCH_NO"},
		{"batch_no of yesterday", with(ok(""), "batch_no", "20260430002"), "BATCH_NO_FORMAT_ERROR"},
		{"serial 000", ok("000"), "BATCH_NO_FORMAT_ERROR"},
		{"serial too short", ok("02"), "BATCH_NO_FORMAT_ERROR"},
		{"serial with a dash", ok("0-2"), "BATCH_NO_FORMAT_ERROR"},
		{"batch_num not a number", with(ok("004"), "batch_num", "one"), "BATCH_NUM_ERROR"},
		{"batch_num above 1000", with(ok("005"), "batch_num", "1001"), "BATCH_NUM_EXCEED_LIMIT"},
		{"batch_num not the records", with(ok("006"), "batch_num", "2"), "BATCH_NUM_NOT_EQUAL_TOTAL"},
		{"record without reason", with(ok("007"), "detail_data", a+"^1.00"), "DETAIL_DATA_FORMAT_ERROR"},
		{"record amount malformed", with(ok("008"), "detail_data", a+"^1.001^r"), "DETAIL_DATA_FORMAT_ERROR"},
		{"reason with |", with(ok("009"), "detail_data", a+"^1.00^a|b"), "DETAIL_DATA_FORMAT_ERROR"},
		{"reason over 256 bytes", with(ok("010"), "detail_data", a+"^1.00^"+strings.Repeat("退", 86)), "DETAIL_DATA_FORMAT_ERROR"},
		{"no detail_data", with(ok("011"), "detail_data", ""), "DETAIL_DATA_FORMAT_ERROR"},
		{"a trade twice", with(ok("012"), "batch_num", "2", "detail_data", a+"^1.00^r#"+a+"^2.00^r"), "DUBL_TRADE_NO_IN_SAME_BATCH"},
		{"refund_date malformed", with(ok("013"), "refund_date", "2026/05/01"), "REFUND_DATE_ERROR"},
		{"another seller", with(ok("014"), "seller_user_id", rsaPID), "SELLER_NOT_EXIST"},
		{"seller_user_id wins over seller_email", with(ok("015"), "seller_email", "nobody@example.com"), ""},
		{"notify_url relative", with(ok("016"), "notify_url", "/notify"), "ILLEGAL_ARGUMENT"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := l.Call("refund_fastpay_by_platform_nopwd", c.params)
			if c.code == "" {
				if err != nil || r.IsSuccess != "T" {
					t.Errorf("want T: %v %s", err, r.Raw)
				}
				e.notesByKind(2)
				return
			}
			wantXMLError(t, r, err, c.code)
		})
	}
	v := l.Params("refund_fastpay_by_platform_nopwd", ok("020"))
	v.Set("detail_data", a+"^9.00^r")
	r, err := l.Post(v)
	wantXMLError(t, r, err, "ILLEGAL_SIGN")
	e.shop.none(t, e)
	q, _ := l.Call("single_trade_query", map[string]string{"trade_no": a})
	if q.Fields["trade_status"] != "TRADE_SUCCESS" {
		t.Errorf("after refused batches: %s", q.Raw)
	}
}

// TestLegacyRefundPwd: refund_fastpay_by_platform_pwd sends the seller's
// browser to the platform's page; confirming applies the batch, once. In
// gbk, the batch notification is gbk too.
func TestLegacyRefundPwd(t *testing.T) {
	e := newEnv(t)
	l := e.partner(md5PID)
	l.Charset = "gbk"
	a := e.paidLegacyTrade(l, md5PID, "REFUND-PWD", "8.00")

	resp, body := e.get(l.PageURL("refund_fastpay_by_platform_pwd", e.refundBatch(md5PID, "101", a+"^8.00^质量问题", a+"^1.00^twice")))
	wantErrorPage(t, resp, body, "DUBL_TRADE_NO_IN_SAME_BATCH")

	resp, body = e.get(l.PageURL("refund_fastpay_by_platform_pwd", e.refundBatch(md5PID, "102", a+"^8.00^质量问题")))
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/cashier/refund/") {
		t.Fatalf("pwd: %d %s", resp.StatusCode, body)
	}
	page := e.abs(resp.Header.Get("Location"))
	resp, body = e.get(page)
	for _, want := range []string{"20260501102", a, "8.00", "质量问题", `data-testid="refund-confirm"`} {
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, want) {
			t.Errorf("seller page lacks %q: %s", want, body)
		}
	}
	e.shop.none(t, e) // nothing happens before the seller confirms
	resp, body = e.postForm(page, url.Values{"action": {"confirm"}})
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "1 of 1") {
		t.Fatalf("confirm: %d %s", resp.StatusCode, body)
	}
	notes := e.notesByKind(2)
	batch := notes["batch_refund_notify"]
	if l.Verify(batch) != nil || batch.Get("result_details") != a+"^8.00^SUCCESS" || batch.Get("success_num") != "1" {
		t.Errorf("gbk batch notification: %v %v", l.Verify(batch), batch)
	}
	if n := notes["trade_status_sync:"+a]; n.Get("trade_status") != "TRADE_CLOSED" || l.Verify(n) != nil {
		t.Errorf("trade notification: %v", n)
	}
	// Confirming again applies nothing.
	resp, body = e.postForm(page, url.Values{"action": {"confirm"}})
	if resp.StatusCode != http.StatusOK || strings.Contains(body, "refund-confirm") || !strings.Contains(body, "TRADE_NOT_EXIST") {
		t.Errorf("second confirm: %d %s", resp.StatusCode, body)
	}
	e.shop.none(t, e)
	// The batch_no is spent.
	r, err := l.Call("refund_fastpay_by_platform_nopwd", e.refundBatch(md5PID, "102", a+"^1.00^r"))
	wantXMLError(t, r, err, "DUPLICATE_BATCH_NO")
}

// TestLegacyResetForgetsBatchesAndTokens: the control API's reset deletes
// trades with their refunds, batches and notify_ids, so a suite can reuse
// its batch numbers after it.
func TestLegacyResetForgetsBatchesAndTokens(t *testing.T) {
	e := newEnv(t)
	l := e.partner(md5PID)
	ret := e.legacyPay(l.PageURL("create_direct_pay_by_user", e.directPay(md5PID, "RESET-1", "2.00")))
	e.shop.next(t)
	if r, err := l.Call("refund_fastpay_by_platform_nopwd", e.refundBatch(md5PID, "001", ret.Get("trade_no")+"^1.00^r")); err != nil || r.IsSuccess != "T" {
		t.Fatalf("refund: %v %s", err, r.Raw)
	}
	e.notesByKind(2)
	var out map[string]any
	if code := e.api("POST", "/reset", nil, &out); code != http.StatusOK {
		t.Fatalf("reset: %d %v", code, out)
	}
	if got := e.notifyVerify(l, ret.Get("notify_id")); got != "false" {
		t.Errorf("a return notify_id after reset = %q", got)
	}
	a := e.paidLegacyTrade(l, md5PID, "RESET-1", "2.00")
	if r, err := l.Call("refund_fastpay_by_platform_nopwd", e.refundBatch(md5PID, "001", a+"^1.00^r")); err != nil || r.IsSuccess != "T" {
		t.Errorf("batch_no 001 after reset: %v %s", err, r.Raw)
	}
}
