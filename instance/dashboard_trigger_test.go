package instance_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// TestDashboardTriggerAndSend: the home page's trigger form makes a paid
// trade and lands on its page; the notification page's "Send to URL"
// delivers once to another URL and shows that URL's answer escaped; both
// refuse a cross-site post and change nothing then.
func TestDashboardTriggerAndSend(t *testing.T) {
	e := newEnv(t)
	if home := e.page("/_mockpay/"); !strings.Contains(home, `action="/_mockpay/trigger"`) || !strings.Contains(home, `<option value="2021000122600001">`) {
		t.Fatalf("the home page has no trigger form")
	}
	form := url.Values{"app_id": {"2021000122600001"}, "amount": {"7.70"}, "subject": {"<b>dash<b>"}, "notify_url": {e.shop.URL + "/notify"}, "outcome": {"paid"}}
	if resp, body := e.dashboard(http.MethodPost, "/_mockpay/trigger", form, "Origin", "http://evil.example"); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("a cross-site trigger: %d %s", resp.StatusCode, body)
	}
	resp, body := e.dashboard(http.MethodPost, "/_mockpay/trigger", form, "Origin", e.app.URL)
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/_mockpay/trades/") || !strings.Contains(loc, "done=triggered") {
		t.Fatalf("trigger: %d %s %s", resp.StatusCode, loc, body)
	}
	n := e.shop.next(t)
	if e.m.VerifyParams(n) != nil || n.Get("total_amount") != "7.70" || n.Get("subject") != "<b>dash<b>" {
		t.Errorf("the triggered notification: %v", n)
	}
	trade := e.page(loc)
	if !strings.Contains(trade, "Triggered:") || !strings.Contains(trade, "&lt;b&gt;dash&lt;b&gt;") || strings.Contains(trade, "<b>dash<b>") {
		t.Errorf("the trade page after the trigger lacks the flash or the escaped subject")
	}
	if resp, body := e.dashboard(http.MethodPost, "/_mockpay/trigger", url.Values{"app_id": {"2021000122600001"}, "amount": {"1"}, "outcome": {"exploded"}}, "Origin", e.app.URL); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "outcome") {
		t.Errorf("an unknown outcome: %d %s", resp.StatusCode, body)
	}

	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`<script>alert(1)</script>`))
	}))
	defer other.Close()
	to := other.URL + "/hook"
	e.settle()
	if resp, _ := e.dashboard(http.MethodPost, "/_mockpay/notifications/1/send", url.Values{"url": {to}}, "Origin", "http://evil.example"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a cross-site send: %d", resp.StatusCode)
	}
	resp, sent := e.dashboard(http.MethodPost, "/_mockpay/notifications/1/send", url.Values{"url": {to}}, "Origin", e.app.URL)
	if resp.StatusCode != http.StatusOK || !strings.Contains(sent, `data-testid="sent"`) || !strings.Contains(sent, "&lt;script&gt;alert(1)&lt;/script&gt;") ||
		strings.Contains(sent, "<script>alert") || !strings.Contains(sent, "✗ not acknowledged") || !strings.Contains(sent, `value="`+to+`"`) {
		t.Errorf("send: %d\n%s", resp.StatusCode, sent)
	}
	if !strings.Contains(sent, `name="back" value="/_mockpay/notifications/1"`) {
		t.Errorf("the page the send answers does not return its forms to the notification")
	}
	var ns []map[string]any
	e.api("GET", "/notifications?app_id=2021000122600001", nil, &ns)
	if len(ns) != 1 || ns[0]["attempt_count"].(float64) != 1 {
		t.Errorf("the send changed the notification's attempts: %v", ns)
	}
}
