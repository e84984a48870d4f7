package instance_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/mockpay/mockpay/controlapi"
)

func (e *env) check(req controlapi.CheckRequest) (int, controlapi.CheckReport, string) {
	e.t.Helper()
	b, _ := json.Marshal(req)
	resp, err := http.Post(e.app.URL+"/_mockpay/api/check", "application/json", bytes.NewReader(b))
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var rep controlapi.CheckReport
	_ = json.Unmarshal(raw, &rep)
	return resp.StatusCode, rep, string(raw)
}

// The suite catches a shop that accepts everything: every broken
// notification is a failed check, every genuine one a passed one.
func TestCheckCatchesAShopThatAcceptsEverything(t *testing.T) {
	e := newEnv(t)
	e.pay("CHK-1", "12.00")
	e.shop.next(t)
	status, rep, raw := e.check(controlapi.CheckRequest{NotifyURL: e.shop.URL + "/notify", AppID: "2021000122600001"})
	if status != http.StatusOK || rep.Passed || rep.OutTradeNo != "CHK-1" {
		t.Fatalf("check: %d %s", status, raw)
	}
	want := map[string]bool{"genuine": true, "duplicate_sequential": true, "duplicate_simultaneous": true,
		"forged": false, "unsigned": false, "tampered": false, "wrong_key": false, "out_of_order": true, "stale": true, "oversized": false}
	if len(rep.Checks) != len(want) {
		t.Fatalf("checks = %+v", rep.Checks)
	}
	for _, c := range rep.Checks {
		if pass, ok := want[c.Name]; !ok || c.Passed != pass || c.Expected == "" || c.Got == "" {
			t.Errorf("check %s: passed %v, want %v (expected %q, got %q)", c.Name, c.Passed, want[c.Name], c.Expected, c.Got)
		}
	}
}

// A correct shop passes every check.
func TestCheckPassesACorrectShop(t *testing.T) {
	e := newEnv(t)
	good := newVerifyingShop(t, e.m)
	e.pay("CHK-2", "12.00")
	e.shop.next(t)
	// A refund: out_of_order sends its notification before the payment one.
	if r, err := e.m.Call("alipay.trade.refund", map[string]any{"out_trade_no": "CHK-2", "refund_amount": "2.00"}, nil); err != nil || r.Code() != "10000" {
		t.Fatalf("refund: %v", err)
	}
	e.shop.next(t)
	status, rep, raw := e.check(controlapi.CheckRequest{NotifyURL: good.URL + "/notify", AppID: "2021000122600001", OutTradeNo: "CHK-2"})
	if status != http.StatusOK || !rep.Passed {
		t.Fatalf("check: %d %s", status, raw)
	}
	for _, c := range rep.Checks {
		if c.Skipped || (c.Name == "out_of_order" && !strings.HasPrefix(c.Got, "the later state first: HTTP 200")) {
			t.Errorf("check %s: %s", c.Name, c.Got)
		}
	}
	// What the shop verified, in order: the refund notification came
	// before the payment one in out_of_order.
	var order []string
	for len(good.got) > 0 {
		v := <-good.got
		order = append(order, v.Get("trade_status")+"/"+v.Get("refund_fee"))
	}
	if !strings.Contains(strings.Join(order, " "), "TRADE_SUCCESS/2.00 TRADE_SUCCESS/") {
		t.Errorf("notifications the shop verified: %v", order)
	}
}

// The suite refuses what it cannot run, in the control API's error form.
func TestCheckRefusals(t *testing.T) {
	e := newEnv(t)
	for _, c := range []struct {
		req  controlapi.CheckRequest
		code string
	}{
		{controlapi.CheckRequest{AppID: "2021000122600001"}, "missing_parameter"},
		{controlapi.CheckRequest{NotifyURL: "ftp://x/notify", AppID: "2021000122600001"}, "invalid_parameter"},
		{controlapi.CheckRequest{NotifyURL: e.shop.URL, AppID: "2021000199999999"}, "invalid_app_id"},
		{controlapi.CheckRequest{NotifyURL: e.shop.URL, AppID: "2021000122600001"}, "trade_not_exist"},
		{controlapi.CheckRequest{NotifyURL: e.app.URL + "/notify", AppID: "2021000122600001"}, "invalid_parameter"},
	} {
		status, _, raw := e.check(c.req)
		var er controlapi.Error
		_ = json.Unmarshal([]byte(raw), &er)
		if status < 400 || er.Code != c.code {
			t.Errorf("%+v: %d %s, want code %s", c.req, status, raw, c.code)
		}
	}
}
