package instance_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// The dashboard sets an app's plan with its form, shows the canary the shop
// acknowledged in red on the trade page and on the faults page, and clears
// the plan again.
func TestDashboardFaults(t *testing.T) {
	e := newEnv(t)
	if body := e.page("/_mockpay/faults"); !strings.Contains(body, `data-testid="verdicts-summary" class="verdict-ok"`) ||
		!strings.Contains(body, "13579.06") || !strings.Contains(body, "mockpay-faults(") {
		t.Fatalf("faults page:\n%s", body)
	}
	resp, body := e.dashboard(http.MethodPost, "/_mockpay/apps/2021000122600001/faults", url.Values{"plan": {"forge"}}, "Origin", e.app.URL)
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "/_mockpay/faults?done=faults") {
		t.Fatalf("set faults: %d %s", resp.StatusCode, body)
	}
	if resp, _ := e.dashboard(http.MethodPost, "/_mockpay/apps/2021000122600001/faults", url.Values{"plan": {"drop:x"}}, "Origin", e.app.URL); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad plan: %d", resp.StatusCode)
	}
	tradeNo := e.payWith("F-DASH", "3.00", nil)
	e.shop.next(t)
	e.shop.next(t)
	e.settle()
	body = e.page("/_mockpay/trades/" + tradeNo)
	if !strings.Contains(body, `data-testid="attempt" class="failure"`) || !strings.Contains(body, `‼ canary_accepted`) {
		t.Fatalf("trade page without the failure:\n%s", body)
	}
	body = e.page("/_mockpay/faults")
	if !strings.Contains(body, `class="verdict-bad">✗ 1 failure the team must see`) || !strings.Contains(body, `<tr class="failure" data-testid="failure">`) ||
		!strings.Contains(body, `value="forge"`) {
		t.Fatalf("faults page after a canary:\n%s", body)
	}
	e.dashboard(http.MethodPost, "/_mockpay/apps/2021000122600001/faults", url.Values{"plan": {""}}, "Origin", e.app.URL)
	if p := e.app.Faults.App("2021000122600001"); p != nil {
		t.Fatalf("plan after clearing: %v", p)
	}
}
