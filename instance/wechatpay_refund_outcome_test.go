package instance_test

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

// wxRefundShop is a shop's notify endpoint that acknowledges every
// notification and hands its body over.
func wxRefundShop(t *testing.T) (*httptest.Server, chan string) {
	got := make(chan string, 10)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- string(b)
		w.WriteHeader(204)
	}))
	t.Cleanup(srv.Close)
	return srv, got
}

// nextBody waits for the shop's next notification.
func nextBody(t *testing.T, got chan string) string {
	t.Helper()
	select {
	case b := <-got:
		return b
	case <-time.After(5 * time.Second):
		t.Fatal("no notification")
		return ""
	}
}

// decryptV3 opens an APIv3 notification: its event_type and resource.
func decryptV3(t *testing.T, m wxMerchant, body string) (string, map[string]any) {
	t.Helper()
	var env struct {
		EventType string `json:"event_type"`
		Resource  struct {
			Ciphertext     string `json:"ciphertext"`
			AssociatedData string `json:"associated_data"`
			Nonce          string `json:"nonce"`
		} `json:"resource"`
	}
	if err := json.Unmarshal([]byte(body), &env); err != nil {
		t.Fatalf("envelope: %v %s", err, body)
	}
	block, _ := aes.NewCipher([]byte(m.APIv3Key))
	gcm, _ := cipher.NewGCM(block)
	ct, _ := base64.StdEncoding.DecodeString(env.Resource.Ciphertext)
	plain, err := gcm.Open(nil, []byte(env.Resource.Nonce), ct, []byte(env.Resource.AssociatedData))
	if err != nil {
		t.Fatalf("decrypt: %v %s", err, body)
	}
	var res map[string]any
	json.Unmarshal(plain, &res)
	return env.EventType, res
}

// refundIDOf is the control API's id of a trade's refund out_refund_no.
func (e *env) refundIDOf(t *testing.T, tradeNo, outRefundNo string) string {
	t.Helper()
	var rs []struct {
		ID           int64  `json:"id"`
		OutRequestNo string `json:"out_request_no"`
		Status       string `json:"status"`
	}
	e.api("GET", "/trades/"+tradeNo+"/refunds", nil, &rs)
	for _, r := range rs {
		if r.OutRequestNo == outRefundNo {
			return strconv.FormatInt(r.ID, 10)
		}
	}
	t.Fatalf("no refund %s of %s: %v", outRefundNo, tradeNo, rs)
	return ""
}

// TestWechatpayV3RefundOutcomes: a refund ended abnormal is notified as
// REFUND.ABNORMAL and queried ABNORMAL; one ended closed as REFUND.CLOSED,
// queried CLOSED, and its amount is refundable again (§2.6, §2.8). A
// settled refund takes no second outcome.
func TestWechatpayV3RefundOutcomes(t *testing.T) {
	e := newEnv(t)
	m := e.wxMerchant("public_key")
	srv, got := wxRefundShop(t)
	body := `{"appid":"` + m.AppID + `","mchid":"` + m.MchID + `","description":"outcomes","out_trade_no":"WIRE-RO","notify_url":"` + srv.URL + `/wx","amount":{"total":100}}`
	if rsp, b := e.wx(m, "POST", "/v3/pay/transactions/native", body, e.clock.Now().Unix(), nil); rsp.StatusCode != 200 {
		t.Fatalf("native: %d %s", rsp.StatusCode, b)
	}
	e.api("POST", "/apps/"+m.MchID+"/orders/WIRE-RO/pay", nil, nil)
	nextBody(t, got)
	var tr struct {
		TradeNo string `json:"trade_no"`
	}
	refund := func(no string, amount int) (int, string) {
		b := `{"out_trade_no":"WIRE-RO","out_refund_no":"` + no + `","notify_url":"` + srv.URL + `/refund","amount":{"refund":` + strconv.Itoa(amount) + `,"total":100,"currency":"CNY"}}`
		rsp, out := e.wx(m, "POST", "/v3/refund/domestic/refunds", b, e.clock.Now().Unix(), nil)
		return rsp.StatusCode, out
	}
	query := func(no string) map[string]any {
		rsp, out := e.wx(m, "GET", "/v3/refund/domestic/refunds/"+no, "", e.clock.Now().Unix(), nil)
		verifyWx(t, m, rsp.Header, out)
		var q map[string]any
		json.Unmarshal([]byte(out), &q)
		return q
	}
	if code, b := refund("R-AB", 30); code != 200 || !strings.Contains(b, `"status":"PROCESSING"`) {
		t.Fatalf("refund: %d %s", code, b)
	} else {
		var o map[string]any
		json.Unmarshal([]byte(b), &o)
		tr.TradeNo = o["transaction_id"].(string)
	}
	if ev, _ := decryptV3(t, m, nextBody(t, got)); ev != "REFUND.SUCCESS" {
		t.Errorf("the refund's first notification: %s", ev)
	}
	id := e.refundIDOf(t, tr.TradeNo, "R-AB")
	var after struct {
		Refunds []struct{ Status string } `json:"refunds"`
	}
	if code := e.api("POST", "/refunds/"+id+"/fail", nil, &after); code != 200 || len(after.Refunds) != 1 || after.Refunds[0].Status != "REFUND_ABNORMAL" {
		t.Fatalf("fail: %d %+v", code, after)
	}
	ev, res := decryptV3(t, m, nextBody(t, got))
	if ev != "REFUND.ABNORMAL" || res["refund_status"] != "ABNORMAL" || res["out_refund_no"] != "R-AB" || res["success_time"] != nil {
		t.Errorf("abnormal notification: %s %v", ev, res)
	}
	if q := query("R-AB"); q["status"] != "ABNORMAL" || q["success_time"] != nil {
		t.Errorf("query of an abnormal refund: %v", q)
	}
	if code := e.api("POST", "/refunds/"+id+"/close", nil, nil); code != 409 {
		t.Errorf("closing an abnormal refund: %d, want 409", code)
	}
	// Abnormal money stays refunded: 70 fen are left, not 100.
	if code, b := refund("R-BIG", 71); code != 400 || !strings.Contains(b, "INVALID_REQUEST") {
		t.Errorf("refunding 71 of the 70 left: %d %s", code, b)
	}

	if code, b := refund("R-CL", 70); code != 200 {
		t.Fatalf("full refund: %d %s", code, b)
	}
	nextBody(t, got)
	if code := e.api("POST", "/refunds/"+e.refundIDOf(t, tr.TradeNo, "R-CL")+"/close", nil, nil); code != 200 {
		t.Fatalf("close: %d", code)
	}
	ev, res = decryptV3(t, m, nextBody(t, got))
	if ev != "REFUND.CLOSED" || res["refund_status"] != "CLOSED" || res["out_refund_no"] != "R-CL" {
		t.Errorf("closed notification: %s %v", ev, res)
	}
	if q := query("R-CL"); q["status"] != "CLOSED" {
		t.Errorf("query of a closed refund: %v", q)
	}
	// The closed refund gave its 70 fen back: the trade is paid, not closed,
	// and a new refund of them succeeds.
	rsp, tb := e.wx(m, "GET", "/v3/pay/transactions/out-trade-no/WIRE-RO?mchid="+m.MchID, "", e.clock.Now().Unix(), nil)
	if rsp.StatusCode != 200 || !strings.Contains(tb, `"trade_state":"REFUND"`) {
		t.Errorf("trade after a closed refund: %d %s", rsp.StatusCode, tb)
	}
	if code, b := refund("R-AGAIN", 70); code != 200 || !strings.Contains(b, `"status":"PROCESSING"`) {
		t.Errorf("refund of the restored amount: %d %s", code, b)
	}
}

// TestRefundOutcomeRefusedWhenSynchronous: Alipay's refunds are
// synchronous (alipay-protocol.md §4.5), so the outcome levers refuse its
// refunds with unsupported_operation, and an unknown refund is 404.
func TestRefundOutcomeRefusedWhenSynchronous(t *testing.T) {
	e := newEnv(t)
	tradeNo := e.pay("SYNC-1", "10.00").Get("trade_no")
	if r, err := e.m.Call("alipay.trade.refund", map[string]any{"out_trade_no": "SYNC-1", "refund_amount": "1.00", "out_request_no": "RQ-1"}, nil); err != nil || r.Code() != "10000" {
		t.Fatalf("refund: %v %s", err, r.Raw)
	}
	var fail map[string]string
	if code := e.api("POST", "/refunds/"+e.refundIDOf(t, tradeNo, "RQ-1")+"/fail", nil, &fail); code != 400 || fail["code"] != "unsupported_operation" {
		t.Errorf("fail an Alipay refund: %d %v", code, fail)
	}
	if code := e.api("POST", "/refunds/999999/close", nil, nil); code != 404 {
		t.Errorf("close an unknown refund: %d", code)
	}
}

// TestDashboardRefundOutcomeButtons: a WeChat Pay trade's successful
// refund has Fail and Close buttons; Close ends it closed and returns to
// the trade, whose refund then shows REFUND_CLOSED and no buttons. An
// Alipay trade's refunds have none.
func TestDashboardRefundOutcomeButtons(t *testing.T) {
	e := newEnv(t)
	m := e.wxMerchant("certificate")
	srv, got := wxRefundShop(t)
	body := `{"appid":"` + m.AppID + `","mchid":"` + m.MchID + `","description":"dash","out_trade_no":"WIRE-RD","notify_url":"` + srv.URL + `/wx","amount":{"total":10}}`
	if rsp, b := e.wx(m, "POST", "/v3/pay/transactions/native", body, e.clock.Now().Unix(), nil); rsp.StatusCode != 200 {
		t.Fatalf("native: %d %s", rsp.StatusCode, b)
	}
	e.api("POST", "/apps/"+m.MchID+"/orders/WIRE-RD/pay", nil, nil)
	nextBody(t, got)
	rb := `{"out_trade_no":"WIRE-RD","out_refund_no":"R-RD","amount":{"refund":10,"total":10,"currency":"CNY"}}`
	rsp, out := e.wx(m, "POST", "/v3/refund/domestic/refunds", rb, e.clock.Now().Unix(), nil)
	if rsp.StatusCode != 200 {
		t.Fatalf("refund: %d %s", rsp.StatusCode, out)
	}
	var o map[string]any
	json.Unmarshal([]byte(out), &o)
	tradeNo := o["transaction_id"].(string)
	id := e.refundIDOf(t, tradeNo, "R-RD")
	if html := e.page("/_mockpay/trades/" + tradeNo); !strings.Contains(html, `action="/_mockpay/refunds/`+id+`/close"`) || !strings.Contains(html, `data-testid="refund-fail"`) {
		t.Fatalf("no outcome buttons on the trade page")
	}
	resp, b := e.dashboard(http.MethodPost, "/_mockpay/refunds/"+id+"/close", nil, "Origin", e.app.URL)
	want := "/_mockpay/trades/" + tradeNo + "?done=refund-close#refunds"
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want {
		t.Fatalf("close: %d %q, want 303 to %s: %s", resp.StatusCode, resp.Header.Get("Location"), want, b)
	}
	html := e.page(strings.Split(want, "#")[0])
	if !strings.Contains(html, "REFUND_CLOSED") || strings.Contains(html, `data-testid="refund-close"`) || !strings.Contains(html, "refundable again") {
		t.Errorf("trade page after the close lacks REFUND_CLOSED or still has buttons")
	}

	ali := e.pay("DASH-ALI", "1.00").Get("trade_no")
	if r, err := e.m.Call("alipay.trade.refund", map[string]any{"out_trade_no": "DASH-ALI", "refund_amount": "0.50", "out_request_no": "RQ-A"}, nil); err != nil || r.Code() != "10000" {
		t.Fatalf("alipay refund: %v", err)
	}
	if html := e.page("/_mockpay/trades/" + ali); strings.Contains(html, `data-testid="refund-fail"`) {
		t.Errorf("an Alipay refund has outcome buttons")
	}
}
