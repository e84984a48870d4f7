package smartwalle

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"
	"time"
)

// The reserved amount 13579.13 sends four canaries (tamper, wrongkey,
// forge, nosign) before the genuine notification: the real SDK's
// DecodeNotification refuses each, and verifies the genuine one after them
// (README: Fault injection).
func TestFaultCanariesRefusedBySDK(t *testing.T) {
	c := mustSDKClient(t, app.AppPrivateKeyPEM)
	o := newOrder("CANARY", "13579.13", "13579.13")
	b := newBrowser(t)
	cs := b.openPayURL(t, pagePayURL(t, c, o))
	q := checkReturn(t, c, cs.pay(t, b), o, "alipay.trade.page.pay.return")
	deadline := time.Now().Add(15 * time.Second)
	for len(theShop.notifications(o.OutTradeNo)) < 5 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	ns := theShop.notifications(o.OutTradeNo)
	if len(ns) != 5 {
		t.Fatalf("got %d notifications, want 4 canaries and the genuine one", len(ns))
	}
	for i, n := range ns[:4] {
		if n.VerifyErr == nil || n.Answer != "fail" {
			t.Errorf("canary %d accepted by the SDK: %v\n%s", i+1, n.Decoded, dumpValues(n.Form))
		}
	}
	if ns[4].VerifyErr != nil || ns[4].Decoded.TradeNo != q.Get("trade_no") || ns[4].Answer != "success" {
		t.Errorf("genuine notification after the canaries: %v %v", ns[4].VerifyErr, ns[4].Decoded)
	}
}

// mockpay check against a shop that verifies with the real SDK: every
// check passes.
func TestCheckPassesTheSDKShop(t *testing.T) {
	c := mustSDKClient(t, app.AppPrivateKeyPEM)
	o := newOrder("CHECK", "7.7", "7.70")
	b := newBrowser(t)
	cs := b.openPayURL(t, pagePayURL(t, c, o))
	checkReturn(t, c, cs.pay(t, b), o, "alipay.trade.page.pay.return")
	theShop.waitNotification(t, o.OutTradeNo, 15*time.Second)
	body, _ := json.Marshal(map[string]string{"notify_url": theShop.notifyURL(), "app_id": app.AppID, "out_trade_no": o.OutTradeNo})
	resp, err := http.Post(baseURL+"/_mockpay/api/check", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var rep struct {
		Passed bool `json:"passed"`
		Checks []struct {
			Name, Got string
			Passed    bool
		} `json:"checks"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&rep); err != nil || resp.StatusCode != http.StatusOK || len(rep.Checks) != 10 {
		t.Fatalf("check: %d %v %+v", resp.StatusCode, err, rep)
	}
	for _, ck := range rep.Checks {
		if !ck.Passed {
			t.Errorf("check %s failed against the SDK shop: %s", ck.Name, ck.Got)
		}
	}
}
