package instance_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

func TestPagePayLoop(t *testing.T) {
	e := newEnv(t)
	biz := pageBiz("ORDER-1", "88.8")
	biz["body"] = "two mugs"
	biz["passback_params"] = "merchant%3Dx"
	cashier, html := e.openCashier(e.m.PageURL("alipay.trade.page.pay", biz, e.urls()))
	for _, want := range []string{"Test order", "two mugs", "88.80", "mockpay demo shop", `data-testid="fail"`, `data-testid="cancel"`} {
		if !strings.Contains(html, want) {
			t.Errorf("cashier page lacks %q", want)
		}
	}
	tradeNo := tradeNoOf(t, html)

	// The trade exists once the cashier was opened.
	r, err := e.m.Call("alipay.trade.query", map[string]string{"out_trade_no": "ORDER-1"}, nil)
	if err != nil || !r.Verified || r.Str("trade_status") != "WAIT_BUYER_PAY" || r.Str("trade_no") != tradeNo {
		t.Fatalf("query of an opened order: %v %s", err, r.Raw)
	}
	if r.Str("buyer_pay_amount") != "0.00" || r.Str("total_amount") != "88.80" {
		t.Errorf("unpaid amounts: %s", r.Raw)
	}

	resp, _ := e.press(cashier, "pay")
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("pay answered %d", resp.StatusCode)
	}
	loc := resp.Header.Get("Location")
	if !strings.HasPrefix(loc, e.shop.URL+"/return?") {
		t.Fatalf("pay redirected to %s", loc)
	}
	ret := mustQuery(t, loc)
	if err := e.m.VerifyParams(ret); err != nil {
		t.Fatalf("return params do not verify: %v (%v)", err, ret)
	}
	for k, want := range map[string]string{
		"method": "alipay.trade.page.pay.return", "out_trade_no": "ORDER-1", "trade_no": tradeNo,
		"total_amount": "88.80", "app_id": "2021000122600001", "auth_app_id": "2021000122600001",
		"seller_id": "2088102100000001", "sign_type": "RSA2", "charset": "utf-8", "version": "1.0",
		"timestamp": "2026-05-01 10:00:00",
	} {
		if got := ret.Get(k); got != want {
			t.Errorf("return %s = %q, want %q", k, got, want)
		}
	}
	for _, absent := range []string{"passback_params", "trade_status"} {
		if ret.Has(absent) {
			t.Errorf("return carries %s; only the notification does (§3.6)", absent)
		}
	}

	n := e.shop.next(t)
	if err := e.m.VerifyParams(n); err != nil {
		t.Fatalf("notification does not verify: %v (%v)", err, n)
	}
	for k, want := range map[string]string{
		"notify_type": "trade_status_sync", "trade_status": "TRADE_SUCCESS", "out_trade_no": "ORDER-1",
		"trade_no": tradeNo, "total_amount": "88.80", "receipt_amount": "88.80", "buyer_pay_amount": "88.80",
		"passback_params": "merchant%3Dx", "subject": "Test order", "body": "two mugs",
		"gmt_payment": "2026-05-01 10:00:00", "notify_time": "2026-05-01 10:00:00",
		"fund_bill_list": `[{"amount":"88.80","fundChannel":"ALIPAYACCOUNT"}]`, "buyer_id": "2088102177846880",
	} {
		if got := n.Get(k); got != want {
			t.Errorf("notification %s = %q, want %q", k, got, want)
		}
	}
	if !regexp.MustCompile(`^20260501\d{26}$`).MatchString(n.Get("notify_id")) {
		t.Errorf("notify_id %q is not 34 digits starting with the date", n.Get("notify_id"))
	}
	for k, vs := range n {
		if len(vs) != 1 || vs[0] == "" {
			t.Errorf("notification field %s = %q: Alipay sends one non-empty value", k, vs)
		}
	}

	r, err = e.m.Call("alipay.trade.query", map[string]string{"trade_no": tradeNo}, nil)
	if err != nil || r.Str("trade_status") != "TRADE_SUCCESS" || r.Str("send_pay_date") != "2026-05-01 10:00:00" {
		t.Fatalf("query after pay: %v %s", err, r.Raw)
	}
	if !strings.Contains(string(r.Raw), `"fund_bill_list":[{"fund_channel":"ALIPAYACCOUNT","amount":"88.80"}]`) {
		t.Errorf("fund_bill_list is not an array of objects: %s", r.Raw)
	}

	ns := e.notifications(tradeNo)
	if len(ns) != 1 || ns[0]["status"] != "acked" || len(ns[0]["attempts"].([]any)) != 1 {
		t.Errorf("inspector: %v", ns)
	}
	e.shop.none(t, e)
}

func TestCloseAndTradeNotExist(t *testing.T) {
	e := newEnv(t)
	// Signed but never opened in the cashier: no trade yet (§2.7).
	_, _ = e.get(e.m.PageURL("alipay.trade.page.pay", pageBiz("NEVER-OPENED", "1"), e.urls()))
	for _, method := range []string{"alipay.trade.query", "alipay.trade.close"} {
		r, err := e.m.Call(method, map[string]string{"out_trade_no": "NEVER-OPENED"}, nil)
		if err != nil || r.Code() != "40004" || r.SubCode() != "ACQ.TRADE_NOT_EXIST" || !r.Verified {
			t.Errorf("%s before the cashier: %v %s", method, err, r.Raw)
		}
		if r.Str("out_trade_no") != "NEVER-OPENED" {
			t.Errorf("%s error node does not echo out_trade_no: %s", method, r.Raw)
		}
	}

	_, html := e.openCashier(e.m.PageURL("alipay.trade.page.pay", pageBiz("TO-CLOSE", "1"), e.urls()))
	tradeNo := tradeNoOf(t, html)
	r, err := e.m.Call("alipay.trade.close", map[string]string{"out_trade_no": "TO-CLOSE"}, nil)
	if err != nil || r.Code() != "10000" || r.Str("trade_no") != tradeNo || r.Str("out_trade_no") != "TO-CLOSE" {
		t.Fatalf("close: %v %s", err, r.Raw)
	}
	r, _ = e.m.Call("alipay.trade.query", map[string]string{"out_trade_no": "TO-CLOSE"}, nil)
	if r.Str("trade_status") != "TRADE_CLOSED" {
		t.Errorf("after close: %s", r.Raw)
	}
	r, _ = e.m.Call("alipay.trade.close", map[string]string{"trade_no": tradeNo}, nil)
	if r.SubCode() != "ACQ.TRADE_STATUS_ERROR" {
		t.Errorf("second close: %s", r.Raw)
	}
	// The closed trade cannot be reopened or paid.
	resp, body := e.get(e.m.PageURL("alipay.trade.page.pay", pageBiz("TO-CLOSE", "1"), e.urls()))
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "ACQ.TRADE_HAS_CLOSE") || strings.Contains(body, `data-testid="pay"`) {
		t.Errorf("reopening a closed trade: %d %s", resp.StatusCode, body)
	}
	// Paid trades cannot be closed.
	ret := e.pay("PAID-1", "2.00")
	r, _ = e.m.Call("alipay.trade.close", map[string]string{"out_trade_no": "PAID-1"}, nil)
	if r.SubCode() != "ACQ.TRADE_STATUS_ERROR" || r.Str("trade_no") != ret.Get("trade_no") {
		t.Errorf("close of a paid trade: %s", r.Raw)
	}
	e.shop.next(t)
}

func TestSameOutTradeNo(t *testing.T) {
	e := newEnv(t)
	first, html := e.openCashier(e.m.PageURL("alipay.trade.page.pay", pageBiz("SAME-1", "10.00"), e.urls()))
	tradeNo := tradeNoOf(t, html)

	// Same terms (amount written differently) reopen the same trade.
	_, html = e.openCashier(e.m.PageURL("alipay.trade.page.pay", pageBiz("SAME-1", "10"), e.urls()))
	if got := tradeNoOf(t, html); got != tradeNo {
		t.Errorf("same terms opened trade %s, want %s", got, tradeNo)
	}
	// Different terms are refused (§4.4).
	for name, biz := range map[string]map[string]any{
		"amount":  pageBiz("SAME-1", "10.01"),
		"subject": func() map[string]any { b := pageBiz("SAME-1", "10.00"); b["subject"] = "Other"; return b }(),
	} {
		resp, body := e.get(e.m.PageURL("alipay.trade.page.pay", biz, e.urls()))
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, "ACQ.CONTEXT_INCONSISTENT") || strings.Contains(body, `data-testid="pay"`) {
			t.Errorf("different %s: %d %s", name, resp.StatusCode, body)
		}
	}
	// After paying, the out_trade_no is spent.
	if resp, _ := e.press(first, "pay"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("pay: %d", resp.StatusCode)
	}
	e.shop.next(t)
	resp, body := e.get(e.m.PageURL("alipay.trade.page.pay", pageBiz("SAME-1", "10.00"), e.urls()))
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "ACQ.TRADE_HAS_SUCCESS") {
		t.Errorf("resubmitting a paid order: %d %s", resp.StatusCode, body)
	}
	// Reloading the cashier after paying shows the outcome, with no button.
	resp, body = e.get(first)
	if resp.StatusCode != http.StatusOK || strings.Contains(body, `data-testid="pay"`) || !strings.Contains(body, "TRADE_SUCCESS") {
		t.Errorf("cashier reload after pay: %d %s", resp.StatusCode, body)
	}
	// Paying twice shows the paid result again, with no second
	// notification (TestDoubleClickedPay has the details).
	resp, body = e.press(first, "pay")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), e.shop.URL+"/return?") {
		t.Errorf("second pay: %d %s", resp.StatusCode, body)
	}
	e.shop.none(t, e)
}

func TestFailAndCancel(t *testing.T) {
	e := newEnv(t)
	cashier, _ := e.openCashier(e.m.PageURL("alipay.trade.page.pay", pageBiz("FAIL-1", "5"), e.urls()))
	resp, body := e.press(cashier, "fail")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "余额不足") || !strings.Contains(body, `data-testid="pay"`) {
		t.Errorf("fail: %d %s", resp.StatusCode, body)
	}
	r, _ := e.m.Call("alipay.trade.query", map[string]string{"out_trade_no": "FAIL-1"}, nil)
	if r.Str("trade_status") != "WAIT_BUYER_PAY" {
		t.Errorf("after fail: %s", r.Raw)
	}
	resp, _ = e.press(cashier, "cancel")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != e.shop.URL+"/" {
		t.Errorf("page cancel: %d → %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	biz := pageBiz("WAP-1", "5")
	biz["product_code"] = "QUICK_WAP_WAY"
	biz["quit_url"] = e.shop.URL + "/quit"
	cashier, _ = e.openCashier(e.m.PageURL("alipay.trade.wap.pay", biz, e.urls()))
	resp, _ = e.press(cashier, "cancel")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != e.shop.URL+"/quit" {
		t.Errorf("wap cancel: %d → %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	r, _ = e.m.Call("alipay.trade.query", map[string]string{"out_trade_no": "WAP-1"}, nil)
	if r.Str("trade_status") != "WAIT_BUYER_PAY" {
		t.Errorf("after cancel: %s", r.Raw)
	}
	// wap pays and returns with its own method name.
	resp, _ = e.press(cashier, "pay")
	ret := mustQuery(t, resp.Header.Get("Location"))
	if ret.Get("method") != "alipay.trade.wap.pay.return" || e.m.VerifyParams(ret) != nil {
		t.Errorf("wap return: %v", ret)
	}
	e.shop.next(t)
	resp, body = e.press(cashier, "dance")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "ACQ.INVALID_PARAMETER") {
		t.Errorf("unknown action: %d %s", resp.StatusCode, body)
	}
	resp, body = e.get(e.app.URL + "/cashier/no-such-token")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "ACQ.TRADE_NOT_EXIST") {
		t.Errorf("unknown checkout: %d %s", resp.StatusCode, body)
	}
}
