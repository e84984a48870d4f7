package instance_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestLegacyCashierSpeaksLegacy: an error on a legacy trade's cashier page
// (cancelling a trade already paid) is worded with the legacy gateway's
// codes (§1.10), and an OpenAPI trade's with the ACQ.* ones (§2.6).
func TestLegacyCashierSpeaksLegacy(t *testing.T) {
	e := newEnv(t)
	l := e.partner(md5PID)
	cashier, _ := e.openCashier(l.PageURL("create_direct_pay_by_user", e.directPay(md5PID, "LEGACY-TWICE", "1.00")))
	if resp, body := e.press(cashier, "pay"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("first pay: %d %s", resp.StatusCode, body)
	}
	resp, body := e.press(cashier, "cancel")
	wantErrorPage(t, resp, body, "TRADE_HAS_SUCCESS")
	if strings.Contains(body, "ACQ.") {
		t.Errorf("a legacy trade's page shows an OpenAPI code: %s", body)
	}

	openapi, _ := e.openCashier(e.m.PageURL("alipay.trade.page.pay", pageBiz("OPENAPI-TWICE", "1.00"), e.urls()))
	e.press(openapi, "pay")
	resp, body = e.press(openapi, "cancel")
	wantErrorPage(t, resp, body, "ACQ.TRADE_HAS_SUCCESS")
	e.shop.next(t)
	e.shop.next(t)
}
