package instance_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/mockpay/mockpay/controlapi"
	"github.com/mockpay/mockpay/internal/merchant"
)

// setFaults selects an app's scenarios through the control API.
func (e *env) setFaults(appID, plan string) controlapi.AppFaults {
	e.t.Helper()
	b, _ := json.Marshal(controlapi.SetFaults{Plan: plan})
	req, _ := http.NewRequest(http.MethodPut, e.app.URL+"/_mockpay/api/apps/"+appID+"/faults", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		e.t.Fatalf("PUT faults %q: %d %s", plan, resp.StatusCode, raw)
	}
	var out controlapi.AppFaults
	if err := json.Unmarshal(raw, &out); err != nil {
		e.t.Fatal(err)
	}
	return out
}

// verdicts reads GET /_mockpay/api/verdicts.
func (e *env) verdicts() controlapi.Verdicts {
	e.t.Helper()
	e.settle()
	_, body := e.get(e.app.URL + "/_mockpay/api/verdicts")
	var v controlapi.Verdicts
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		e.t.Fatalf("%v: %s", err, body)
	}
	return v
}

// payWith runs page.pay with extra biz fields → cashier → pay, and returns
// the trade_no.
func (e *env) payWith(outTradeNo, amount string, extra map[string]any) string {
	e.t.Helper()
	biz := pageBiz(outTradeNo, amount)
	for k, v := range extra {
		biz[k] = v
	}
	cashier, html := e.openCashier(e.m.PageURL("alipay.trade.page.pay", biz, e.urls()))
	if resp, body := e.press(cashier, "pay"); resp.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("pay answered %d: %s", resp.StatusCode, body)
	}
	return tradeNoOf(e.t.(*testing.T), html)
}

// attempts are a trade's first notification's attempts as the API shows
// them.
func (e *env) attempts(tradeNo string) []map[string]any {
	e.t.Helper()
	ns := e.notifications(tradeNo)
	if len(ns) == 0 {
		e.t.Fatalf("trade %s has no notification", tradeNo)
	}
	var out []map[string]any
	for _, a := range ns[0]["attempts"].([]any) {
		out = append(out, a.(map[string]any))
	}
	return out
}

// verifyingShop is a correct shop: it verifies each notification with the
// platform's public key and acknowledges only what verifies, once per
// notify_id.
type verifyingShop struct {
	*httptest.Server
	got chan url.Values
}

func newVerifyingShop(t *testing.T, m *merchant.Client) *verifyingShop {
	s := &verifyingShop{got: make(chan url.Values, 100)}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		b, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, "too large", http.StatusRequestEntityTooLarge)
			return
		}
		v, _ := url.ParseQuery(string(b))
		if err := m.VerifyParams(v); err != nil {
			http.Error(w, "bad signature", http.StatusBadRequest)
			return
		}
		s.got <- v
		w.Write([]byte("success"))
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *verifyingShop) next(t *testing.T) url.Values {
	t.Helper()
	select {
	case v := <-s.got:
		return v
	case <-time.After(10 * time.Second):
		t.Fatal("no verified notification arrived")
		return nil
	}
}
