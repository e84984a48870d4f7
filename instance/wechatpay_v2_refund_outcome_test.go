package instance_test

import (
	"net/http"
	"testing"

	"github.com/mockpay/mockpay/channel/wechatpay/kit"
	"github.com/mockpay/mockpay/internal/merchant"
)

// TestWechatpayV2RefundOutcomes: APIv2 reports a refund ended abnormal as
// refund_status CHANGE and one ended closed as REFUNDCLOSE, in refundquery
// and in the refund notification's req_info (§1.8, §1.9); the closed
// refund's amount is refundable again.
func TestWechatpayV2RefundOutcomes(t *testing.T) {
	e := newEnv(t)
	c := e.wxV2(kit.ModePublicKey)
	e.shop.setAnswer(func(int) (int, string) {
		return 200, `<xml><return_code><![CDATA[SUCCESS]]></return_code><return_msg><![CDATA[OK]]></return_msg></xml>`
	})
	e.paidV2(c, "V2RO000001")
	e.shop.next(t)
	refund := func(no, fee string) merchant.V2Answer {
		t.Helper()
		a, err := c.Call("/secapi/pay/refund", "MD5", map[string]string{"out_trade_no": "V2RO000001", "out_refund_no": no,
			"total_fee": "300", "refund_fee": fee, "notify_url": e.shop.URL + "/notify"})
		if err != nil {
			t.Fatalf("refund %s: %v", no, err)
		}
		return a
	}
	// reqInfo is the req_info of the shop's latest notification.
	reqInfo := func() map[string]string {
		t.Helper()
		e.shop.next(t)
		e.shop.mu.Lock()
		body := e.shop.raw[len(e.shop.raw)-1]
		e.shop.mu.Unlock()
		f, err := merchant.V2Decode([]byte(body))
		if err != nil {
			t.Fatalf("notification: %v %s", err, body)
		}
		plain, err := merchant.V2DecryptReqInfo(f["req_info"], c.Key)
		if err != nil {
			t.Fatalf("req_info: %v %s", err, body)
		}
		info, _ := merchant.V2Decode(plain)
		return info
	}
	query := func() map[string]string {
		t.Helper()
		a, err := c.Call("/pay/refundquery", "MD5", map[string]string{"out_trade_no": "V2RO000001"})
		if err != nil || a.Code() != "" {
			t.Fatalf("refundquery: %v %s", err, a.Raw)
		}
		return a.Fields
	}
	if a := refund("V2RO-A", "100"); a.Code() != "" {
		t.Fatalf("refund: %s", a.Raw)
	}
	tradeNo := reqInfo()["transaction_id"]
	if code := e.api("POST", "/refunds/"+e.refundIDOf(t, tradeNo, "V2RO-A")+"/fail", nil, nil); code != http.StatusOK {
		t.Fatalf("fail: %d", code)
	}
	if info := reqInfo(); info["refund_status"] != "CHANGE" || info["out_refund_no"] != "V2RO-A" || info["success_time"] != "" {
		t.Errorf("abnormal req_info: %v", info)
	}
	if q := query(); q["refund_status_0"] != "CHANGE" || q["refund_success_time_0"] != "" {
		t.Errorf("refundquery of an abnormal refund: %v", q)
	}

	if a := refund("V2RO-C", "200"); a.Code() != "" {
		t.Fatalf("full refund: %s", a.Raw)
	}
	reqInfo()
	if code := e.api("POST", "/refunds/"+e.refundIDOf(t, tradeNo, "V2RO-C")+"/close", nil, nil); code != http.StatusOK {
		t.Fatalf("close: %d", code)
	}
	if info := reqInfo(); info["refund_status"] != "REFUNDCLOSE" || info["out_refund_no"] != "V2RO-C" {
		t.Errorf("closed req_info: %v", info)
	}
	if q := query(); q["refund_status_1"] != "REFUNDCLOSE" || q["refund_fee"] != "100" {
		t.Errorf("refundquery after the close: %v", q)
	}
	if a := refund("V2RO-D", "200"); a.Code() != "" || a.Fields["refund_fee"] != "200" {
		t.Errorf("refund of the restored amount: %s", a.Raw)
	}
}
