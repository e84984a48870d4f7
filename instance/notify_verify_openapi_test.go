package instance_test

import (
	"testing"
	"time"

	"github.com/mockpay/mockpay/internal/merchant"
)

// TestNotifyVerifyOpenAPINotification: notify_verify on the MAPI gateway
// answers for an OpenAPI notification's notify_id too, asked with the app's
// pid, with the legacy lifetime: true while the notification is
// unacknowledged, false once the shop answered success; another pid's
// check is false (§1.6, issue 12 item 2).
func TestNotifyVerifyOpenAPINotification(t *testing.T) {
	e := newEnv(t)
	const pid = "2088102100000001" // the fixture app 2021000122600001's pid
	e.shop.setAnswer(func(n int) (int, string) {
		if n == 1 {
			return 200, "fail"
		}
		return 200, "success"
	})
	e.pay("NV-OPENAPI-1", "1.00")
	first := e.shop.next(t)
	id := first.Get("notify_id")
	if id == "" || first.Get("app_id") != "2021000122600001" {
		t.Fatalf("notification: %v", first)
	}
	asPID := func(p string) *merchant.Legacy { return merchant.NewLegacy(e.app.URL+"/gateway.do", p, "") }
	for name, path := range e.verifyPaths() {
		got, err := asPID(pid).NotifyVerify(path, id)
		if err != nil || got != "true" {
			t.Errorf("%s: unacknowledged OpenAPI notify_id: %q %v, want true", name, got, err)
		}
		if got, _ := asPID("2088102100000002").NotifyVerify(path, id); got != "false" {
			t.Errorf("%s: another app's pid: %q, want false", name, got)
		}
		if got, _ := asPID("2021000122600001").NotifyVerify(path, id); got != "invalid" {
			t.Errorf("%s: an app id is no partner: %q, want invalid", name, got)
		}
	}

	// The retry carries the same notify_id; once acknowledged it is spent.
	e.clock.Advance(4 * time.Minute)
	e.settle()
	second := e.shop.next(t)
	if second.Get("notify_id") != id {
		t.Fatalf("retry notify_id %q, want %q", second.Get("notify_id"), id)
	}
	e.settle()
	if got, _ := asPID(pid).NotifyVerify(e.verifyPaths()["http"], id); got != "false" {
		t.Errorf("acknowledged OpenAPI notify_id: %q, want false", got)
	}
}
