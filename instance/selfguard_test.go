package instance_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/mockpay/mockpay/payment"
)

// selfURLs are callback URLs that point at mockpay itself: its own
// listener by address and by the name localhost, and its reserved
// /_mockpay/ path on any host (a hostile page's way to reset the sandbox
// through the dispatcher, issue 8).
func (e *env) selfURLs() map[string]string {
	port := e.app.Addr.String()[strings.LastIndex(e.app.Addr.String(), ":")+1:]
	return map[string]string{
		"listener":      "http://127.0.0.1:" + port + "/notify",
		"localhost":     "http://localhost:" + port + "/notify",
		"control API":   "http://shop.example/_mockpay/api/reset",
		"redeliver":     "https://127.0.0.1:" + port + "/_mockpay/api/notifications/1/redeliver",
		"dotted prefix": "http://shop.example/./_mockpay/api/reset",
	}
}

// TestOpenAPIOrdersRefuseCallbacksToMockpay: every OpenAPI order that
// stores a callback URL refuses one aimed at mockpay with the gateway's
// invalid-parameter error (ACQ.INVALID_PARAMETER, as for any bad URL):
// the HTML error page for page methods, signed JSON for the others. No
// trade or code is left behind; the shop's own URLs, on loopback too, are
// accepted.
func TestOpenAPIOrdersRefuseCallbacksToMockpay(t *testing.T) {
	e := newEnv(t)
	for name, self := range e.selfURLs() {
		t.Run(name, func(t *testing.T) {
			for field, extra := range map[string]map[string]string{
				"notify_url": {"notify_url": self, "return_url": e.shop.URL + "/return"},
				"return_url": {"notify_url": e.shop.URL + "/notify", "return_url": self},
			} {
				resp, body := e.get(e.m.PageURL("alipay.trade.page.pay", pageBiz("SELF-PAGE", "1.00"), extra))
				wantErrorPage(t, resp, body, "ACQ.INVALID_PARAMETER")
				if !strings.Contains(body, field) {
					t.Errorf("page.pay error page does not name %s: %s", field, body)
				}
			}
			wap := pageBiz("SELF-WAP", "1.00")
			wap["product_code"], wap["quit_url"] = "QUICK_WAP_WAY", self
			resp, body := e.get(e.m.PageURL("alipay.trade.wap.pay", wap, e.urls()))
			wantErrorPage(t, resp, body, "ACQ.INVALID_PARAMETER")

			notify := map[string]string{"notify_url": self}
			for method, biz := range map[string]map[string]any{
				"alipay.trade.precreate": precreateBiz("SELF-QR", "1.00"),
				"alipay.trade.create":    createBiz("SELF-CREATE", "1.00"),
				"alipay.trade.pay": {"out_trade_no": "SELF-BAR", "total_amount": "1.00", "subject": "POS order",
					"scene": "bar_code", "auth_code": payment.AuthCodeSuccess},
			} {
				r, err := e.m.Call(method, biz, notify)
				if err != nil || !r.Verified || r.Code() != "40004" || r.SubCode() != "ACQ.INVALID_PARAMETER" {
					t.Errorf("%s with notify_url %s: %v %s", method, self, err, r.Raw)
				}
			}
			orderStr := e.m.Params("alipay.trade.app.pay", map[string]any{"out_trade_no": "SELF-APP", "total_amount": "1.00",
				"subject": "App order", "product_code": "QUICK_MSECURITY_PAY"}, notify).Encode()
			if status, res := e.appPay(orderStr, ""); status != http.StatusBadRequest || res["code"] != "ACQ.INVALID_PARAMETER" {
				t.Errorf("app pay with notify_url %s: %d %v", self, status, res)
			}
		})
	}
	for _, out := range []string{"SELF-CREATE", "SELF-BAR", "SELF-QR"} {
		if r, _ := e.m.Call("alipay.trade.query", map[string]string{"out_trade_no": out}, nil); r.SubCode() != "ACQ.TRADE_NOT_EXIST" {
			t.Errorf("a refused order left a trade: %s", r.Raw)
		}
	}

	// The shop's own URLs are fine, loopback and all.
	resp, body := e.get(e.m.PageURL("alipay.trade.page.pay", pageBiz("SHOP-PAGE", "1.00"), e.urls()))
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("page.pay to the shop: %d %s", resp.StatusCode, body)
	}
	for method, biz := range map[string]map[string]any{
		"alipay.trade.precreate": precreateBiz("SHOP-QR", "1.00"),
		"alipay.trade.create":    createBiz("SHOP-CREATE", "1.00"),
	} {
		r, err := e.m.Call(method, biz, map[string]string{"notify_url": e.shop.URL + "/notify"})
		if err != nil || r.Code() != "10000" {
			t.Errorf("%s to the shop: %v %s", method, err, r.Raw)
		}
	}
}

// TestLegacyOrdersRefuseCallbacksToMockpay: the legacy gateway refuses the
// same URLs with its own invalid-argument error (ILLEGAL_ARGUMENT, §1.10):
// create_direct_pay_by_user's notify_url, return_url and show_url on the
// error page, a batch refund's notify_url as XML (nopwd) or on the page
// (pwd). The batch is not applied: the trade keeps its money.
func TestLegacyOrdersRefuseCallbacksToMockpay(t *testing.T) {
	e := newEnv(t)
	l := e.partner(md5PID)
	paid := e.paidLegacyTrade(l, md5PID, "SELF-PAID", "10.00")
	serial := 100
	for name, self := range e.selfURLs() {
		t.Run(name, func(t *testing.T) {
			for _, field := range []string{"notify_url", "return_url", "show_url"} {
				order := e.directPay(md5PID, "SELF-LEGACY", "1.00")
				order[field] = self
				resp, body := e.get(l.PageURL("create_direct_pay_by_user", order))
				wantErrorPage(t, resp, body, "ILLEGAL_ARGUMENT")
			}
			serial++
			batch := e.refundBatch(md5PID, itoa(serial), paid+"^1.00^r")
			batch["notify_url"] = self
			r, err := l.Call("refund_fastpay_by_platform_nopwd", batch)
			wantXMLError(t, r, err, "ILLEGAL_ARGUMENT")
			serial++
			batch = e.refundBatch(md5PID, itoa(serial), paid+"^1.00^r")
			batch["notify_url"] = self
			resp, body := e.get(l.PageURL("refund_fastpay_by_platform_pwd", batch))
			wantErrorPage(t, resp, body, "ILLEGAL_ARGUMENT")
		})
	}
	e.shop.none(t, e)
	q, _ := l.Call("single_trade_query", map[string]string{"trade_no": paid})
	if q.Fields["trade_status"] != "TRADE_SUCCESS" || strings.Contains(string(q.Raw), "refund") {
		t.Errorf("after refused batches: %s", q.Raw)
	}
	// The shop's own URLs still go through.
	resp, body := e.get(l.PageURL("create_direct_pay_by_user", e.directPay(md5PID, "SHOP-LEGACY", "1.00")))
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("direct pay to the shop: %d %s", resp.StatusCode, body)
	}
	if r, err := l.Call("refund_fastpay_by_platform_nopwd", e.refundBatch(md5PID, "900", paid+"^1.00^r")); err != nil || r.IsSuccess != "T" {
		t.Errorf("batch to the shop: %v %s", err, r.Raw)
	}
}
