package instance_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// appOrderStr signs an alipay.trade.app.pay order string the way the
// merchant's server hands it to the mobile SDK: sorted query encoding.
func (e *env) appOrderStr(outTradeNo, amount string) string {
	biz := map[string]any{"out_trade_no": outTradeNo, "total_amount": amount, "subject": "App order one", "product_code": "QUICK_MSECURITY_PAY"}
	return e.m.Params("alipay.trade.app.pay", biz, map[string]string{"notify_url": e.shop.URL + "/notify"}).Encode()
}

func (e *env) appPay(orderStr, action string) (int, map[string]string) {
	e.t.Helper()
	body, _ := json.Marshal(map[string]string{"order_str": orderStr, "action": action})
	resp, err := e.m.HTTP.Post(e.app.URL+"/_mockpay/api/app-pay", "application/json", strings.NewReader(string(body)))
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	out := map[string]string{}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		e.t.Fatal(err)
	}
	return resp.StatusCode, out
}

// TestAppPayRoute: the control API plays the Alipay app: it verifies the
// order string, pays, and answers the mobile SDK's result (§2.7).
func TestAppPayRoute(t *testing.T) {
	e := newEnv(t)
	orderStr := e.appOrderStr("APP-1", "9.9")
	if !strings.Contains(orderStr, "subject%22%3A%22App+order+one") {
		t.Fatalf("the order string should carry + for spaces: %s", orderStr)
	}
	status, res := e.appPay(orderStr, "")
	if status != http.StatusOK || res["resultStatus"] != "9000" || res["out_trade_no"] != "APP-1" {
		t.Fatalf("app pay: %d %v", status, res)
	}
	r, err := e.m.Decode("alipay.trade.app.pay", []byte(res["result"]))
	if err != nil || !r.Verified || r.Code() != "10000" || r.Str("out_trade_no") != "APP-1" || r.Str("total_amount") != "9.90" ||
		r.Str("trade_no") != res["trade_no"] || r.Str("seller_id") != "2088102100000001" || r.Str("app_id") != "2021000122600001" {
		t.Errorf("result string: %v %s", err, res["result"])
	}
	if !strings.HasSuffix(res["result"], `,"sign_type":"RSA2"}`) {
		t.Errorf("result string lacks sign_type: %s", res["result"])
	}
	if n := e.shop.next(t); n.Get("trade_status") != "TRADE_SUCCESS" || n.Get("out_trade_no") != "APP-1" || e.m.VerifyParams(n) != nil {
		t.Errorf("notification: %v", n)
	}
	if _, res := e.appPay(orderStr, "pay"); res["resultStatus"] != "5000" {
		t.Errorf("paying the same order again: %v", res)
	}

	// %20 for spaces, as the Node SDK's sdkExecute writes it.
	spaced := strings.ReplaceAll(e.appOrderStr("APP-2", "1"), "+", "%20")
	if _, res := e.appPay(spaced, "cancel"); res["resultStatus"] != "6001" || res["result"] != "" {
		t.Errorf("cancel: %v", res)
	}
	if _, res := e.appPay(spaced, "fail"); res["resultStatus"] != "4000" || !strings.Contains(res["memo"], "余额不足") {
		t.Errorf("fail: %v", res)
	}
	q, _ := e.m.Call("alipay.trade.query", map[string]string{"out_trade_no": "APP-2"}, nil)
	if q.Str("trade_status") != "WAIT_BUYER_PAY" {
		t.Errorf("after cancel and fail: %s", q.Raw)
	}

	tampered := strings.Replace(e.appOrderStr("APP-3", "1"), "total_amount%22%3A%221%22", "total_amount%22%3A%220.01%22", 1)
	if status, res := e.appPay(tampered, ""); status != http.StatusBadRequest || res["code"] != "isv.invalid-signature" {
		t.Errorf("tampered order string: %d %v", status, res)
	}
	if status, res := e.appPay(e.appOrderStr("APP-5", "1"), "dance"); status != http.StatusBadRequest || res["code"] != "ACQ.INVALID_PARAMETER" {
		t.Errorf("an unknown action: %d %v", status, res)
	}
	if q, _ := e.m.Call("alipay.trade.query", map[string]string{"out_trade_no": "APP-5"}, nil); q.SubCode() != "ACQ.TRADE_NOT_EXIST" {
		t.Errorf("an unknown action created the trade: %s", q.Raw)
	}
	if status, res := e.appPay("", ""); status != http.StatusBadRequest || res["code"] != "bad_request" {
		t.Errorf("no order string: %d %v", status, res)
	}
	notApp := e.m.Params("alipay.trade.query", map[string]string{"out_trade_no": "APP-1"}, nil).Encode()
	if status, res := e.appPay(notApp, ""); status != http.StatusBadRequest || res["code"] != "isv.invalid-method" {
		t.Errorf("an order string of another method: %d %v", status, res)
	}
	gw, _ := e.m.Call("alipay.trade.app.pay", map[string]string{"out_trade_no": "APP-4", "total_amount": "1", "subject": "s"}, nil)
	if gw.SubCode() != "isv.invalid-method" || !gw.Verified {
		t.Errorf("app.pay posted to the gateway: %s", gw.Raw)
	}
}

// TestAppPayCashier: the same through pages: paste, open, pay, result.
func TestAppPayCashier(t *testing.T) {
	e := newEnv(t)
	resp, html := e.get(e.app.URL + "/cashier/app")
	if resp.StatusCode != http.StatusOK || !strings.Contains(html, `name="order_str"`) {
		t.Fatalf("app cashier form: %d %s", resp.StatusCode, html)
	}
	orderStr := e.appOrderStr("APP-PAGE", "2")
	resp, html = e.postForm(e.app.URL+"/cashier/app", url.Values{"order_str": {orderStr}})
	if resp.StatusCode != http.StatusOK || !strings.Contains(html, `data-testid="pay"`) || !strings.Contains(html, `name="order_str"`) {
		t.Fatalf("app cashier: %d %s", resp.StatusCode, html)
	}
	tradeNo := tradeNoOf(t, html)
	resp, html = e.postForm(e.app.URL+"/cashier/app", url.Values{"order_str": {orderStr}, "action": {"pay"}})
	if resp.StatusCode != http.StatusOK || !strings.Contains(html, "9000") || !strings.Contains(html, tradeNo) {
		t.Errorf("app cashier pay: %d %s", resp.StatusCode, html)
	}
	e.shop.next(t)
	resp, html = e.postForm(e.app.URL+"/cashier/app", url.Values{"order_str": {"app_id=1&sign=x"}})
	if resp.StatusCode != http.StatusOK || !strings.Contains(html, "isv.invalid-app-id") {
		t.Errorf("app cashier with a bad order: %d %s", resp.StatusCode, html)
	}
}
