package instance_test

import (
	"net/url"
	"strings"
	"testing"
)

// A shop that accepts everything acknowledges the forged copy: the attempt
// says CANARY FAILED, the genuine notification follows at once, and
// GET /verdicts is not ok, naming the attempt.
func TestFaultsCanaryAcceptedIsAFailure(t *testing.T) {
	e := newEnv(t)
	e.setFaults("2021000122600001", "tamper")
	tradeNo := e.payWith("F-TAMPER", "25.00", nil)
	forged, genuine := e.shop.next(t), e.shop.next(t)
	if forged.Get("total_amount") != "250.00" || forged.Get("notify_id") != genuine.Get("notify_id") {
		t.Fatalf("forged copy = %v", forged)
	}
	if err := e.m.VerifyParams(forged); err == nil {
		t.Fatal("the tampered copy verifies under the platform key")
	}
	if err := e.m.VerifyParams(genuine); err != nil || genuine.Get("total_amount") != "25.00" {
		t.Fatalf("genuine copy %v: %v", genuine, err)
	}
	as := e.attempts(tradeNo)
	if len(as) != 2 || as[0]["acked"] != false || as[0]["failure"] != "canary_accepted" ||
		!strings.HasPrefix(as[0]["verdict"].(string), "CANARY FAILED (tamper)") || as[1]["acked"] != true {
		t.Fatalf("attempts = %v", as)
	}
	v := e.verdicts()
	if v.OK || v.Canaries != 1 || len(v.Failures) != 1 || v.Failures[0].Kind != "canary_accepted" ||
		v.Failures[0].TradeNo != tradeNo || v.Failures[0].Attempt != 1 || v.Failures[0].Answer != "success" {
		t.Fatalf("verdicts = %+v", v)
	}
}

// A shop that verifies refuses every canary of the chain, acknowledges the
// genuine notification, and the verdicts stay ok.
func TestFaultsCanariesRefusedByACorrectShop(t *testing.T) {
	e := newEnv(t)
	good := newVerifyingShop(t, e.m)
	e.setFaults("2021000122600001", "tamper,wrongkey,forge,nosign,signtest")
	biz := pageBiz("F-GOOD", "25.00")
	cashier, html := e.openCashier(e.m.PageURL("alipay.trade.page.pay", biz, map[string]string{"notify_url": good.URL + "/notify"}))
	e.press(cashier, "pay")
	e.settle()
	if v := good.next(t); v.Get("total_amount") != "25.00" {
		t.Fatalf("verified notification = %v", v)
	}
	as := e.attempts(tradeNoOf(t, html))
	// signtest is WeChat Pay's probe: Alipay has none, and says so.
	if len(as) != 6 || as[4]["status_code"].(float64) != 0 || !strings.Contains(as[4]["verdict"].(string), "has no signtest notification") ||
		as[5]["acked"] != true {
		t.Fatalf("attempts = %v", as)
	}
	for _, a := range as[:4] {
		if a["status_code"].(float64) != 400 || !strings.HasPrefix(a["verdict"].(string), "canary (") || a["failure"] != nil {
			t.Fatalf("canary attempt = %v", a)
		}
	}
	q, _ := url.ParseQuery(as[3]["request"].(string))
	if q.Get("sign") != "" || q.Get("notify_id") == "" {
		t.Fatalf("nosign copy = %v", q)
	}
	if v := e.verdicts(); !v.OK || v.Canaries != 4 {
		t.Fatalf("verdicts = %+v", v)
	}
}

// A genuine notification answered with anything but exactly "success" is a
// failure of its own (wrong_ack).
func TestFaultsWrongAckIsAFailure(t *testing.T) {
	e := newEnv(t)
	e.shop.setAnswer(func(int) (int, string) { return 200, "SUCCESS" })
	tradeNo := e.payWith("F-ACK", "5.00", nil)
	e.shop.next(t)
	v := e.verdicts()
	if v.OK || len(v.Failures) != 1 || v.Failures[0].Kind != "wrong_ack" || v.Failures[0].TradeNo != tradeNo ||
		!strings.Contains(v.Failures[0].Verdict, `exactly "success"`) {
		t.Fatalf("verdicts = %+v", v)
	}
	// Another app's suite sees none of it.
	_, body := e.get(e.app.URL + "/_mockpay/api/verdicts?app_id=2021000122600002")
	if !strings.HasPrefix(body, `{"ok":true,"attempts":0,"canaries":0,"failures":[]}`) {
		t.Fatalf("another app's verdicts: %s", body)
	}
	_, body = e.get(e.app.URL + "/_mockpay/api/verdicts?app_id=2021000122600001")
	if !strings.Contains(body, `"ok":false,"attempts":1`) {
		t.Fatalf("the app's verdicts: %s", body)
	}
}
