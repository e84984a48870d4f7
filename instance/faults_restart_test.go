package instance_test

import (
	"net/http"
	"testing"

	"github.com/mockpay/mockpay/clock"
	"github.com/mockpay/mockpay/controlapi"
	"github.com/mockpay/mockpay/instance"
)

// The faults chosen for an app outlive a restart on the same database, with
// what their counted steps have left; they win over the fixtures' faults,
// a chosen "none" included; reset clears them and the fixtures' apply again.
func TestFaultsSurviveARestart(t *testing.T) {
	const app = "2021000122600001"
	dir := fixturesWithFaults(t, map[string]string{app: "duplicate"})
	e := newEnvWithConfig(t, clock.NewFake(start), func(c *instance.Config) { c.Fixtures = dir })
	e.pay("F-KEPT", "10.00")
	e.shop.next(t)
	e.shop.next(t) // the fixtures' duplicate
	e.setFaults(app, "busy:alipay.trade.query:2")
	query := func() string {
		t.Helper()
		r, err := e.m.Call("alipay.trade.query", map[string]any{"out_trade_no": "F-KEPT"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return r.Code()
	}
	if got := query(); got != "20000" {
		t.Fatalf("first query answered %s, want the busy 20000", got)
	}

	e.restart()
	f := e.appFaults(app)
	if f.Plan != "busy:alipay.trade.query:2" || len(f.Steps) != 1 || f.Steps[0].Calls == nil || *f.Steps[0].Calls != 1 {
		t.Fatalf("faults after a restart: %+v (want the chosen busy step with 1 call left, not the fixtures' duplicate)", f)
	}
	if got := query(); got != "20000" {
		t.Fatalf("second query answered %s, want the busy 20000", got)
	}
	if got := query(); got != "10000" {
		t.Fatalf("third query answered %s: the step was spent", got)
	}

	e.setFaults(app, "")
	e.restart()
	if f := e.appFaults(app); f.Plan != "" {
		t.Fatalf("a chosen none came back as %q after a restart", f.Plan)
	}

	var out map[string]any
	if code := e.api("POST", "/reset", nil, &out); code != http.StatusOK {
		t.Fatalf("reset: %d %v", code, out)
	}
	if f := e.appFaults(app); f.Plan != "duplicate" {
		t.Fatalf("after reset the fixtures' faults apply again; got %q", f.Plan)
	}
	e.restart()
	if f := e.appFaults(app); f.Plan != "duplicate" {
		t.Fatalf("after reset and a restart: %q", f.Plan)
	}
}

// appFaults reads GET /_mockpay/api/apps/{app_id}/faults.
func (e *env) appFaults(appID string) controlapi.AppFaults {
	e.t.Helper()
	var out controlapi.AppFaults
	if code := e.api("GET", "/apps/"+appID+"/faults", nil, &out); code != http.StatusOK {
		e.t.Fatalf("GET faults: %d", code)
	}
	return out
}
