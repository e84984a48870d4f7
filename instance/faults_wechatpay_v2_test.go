package instance_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/mockpay/mockpay/channel/wechatpay/kit"
	"github.com/mockpay/mockpay/internal/merchant"
)

// v2Shop is an APIv2 shop. A verifying one does what the SDKs'
// notification handlers do (WXPayUtil.isSignatureValid): the sign over
// every other field, with the order's sign type and the APIv2 key; it
// answers FAIL to what fails and SUCCESS to the rest. A careless one
// answers SUCCESS to everything.
type v2Shop struct {
	*httptest.Server
	got chan map[string]string
}

func newV2Shop(t *testing.T, c *merchant.WeChatV2, signType string, verify bool) *v2Shop {
	s := &v2Shop{got: make(chan map[string]string, 100)}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 64<<10))
		if err != nil {
			http.Error(w, "too large", http.StatusRequestEntityTooLarge)
			return
		}
		f, err := merchant.V2Decode(b)
		if verify && (err != nil || f["sign"] == "" || merchant.V2Sign(f, c.Key, signType) != f["sign"]) {
			_, _ = w.Write([]byte(`<xml><return_code><![CDATA[FAIL]]></return_code><return_msg><![CDATA[签名失败]]></return_msg></xml>`))
			return
		}
		s.got <- f
		_, _ = w.Write([]byte(`<xml><return_code><![CDATA[SUCCESS]]></return_code><return_msg><![CDATA[OK]]></return_msg></xml>`))
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *v2Shop) next(t *testing.T) map[string]string {
	t.Helper()
	select {
	case f := <-s.got:
		return f
	case <-time.After(10 * time.Second):
		t.Fatal("no notification reached the shop")
		return nil
	}
}

// v2Paid orders through unifiedorder with the sign type and attach given,
// pays, and returns the transaction_id.
func (e *env) v2Paid(c *merchant.WeChatV2, signType, notifyURL, otn, attach string) string {
	e.t.Helper()
	a, err := c.Call("/pay/unifiedorder", signType, map[string]string{"body": "v2", "out_trade_no": otn, "total_fee": "300",
		"spbill_create_ip": "127.0.0.1", "notify_url": notifyURL, "trade_type": "NATIVE", "attach": attach})
	if err != nil || a.Code() != "" {
		e.t.Fatalf("unifiedorder: %v %s", err, a.Raw)
	}
	if code := e.api("POST", "/apps/"+c.MchID+"/orders/"+otn+"/pay", nil, nil); code != http.StatusOK {
		e.t.Fatalf("pay: %d", code)
	}
	var ts []map[string]any
	e.api("GET", "/trades?app_id="+c.MchID+"&out_trade_no="+otn, nil, &ts)
	if len(ts) != 1 {
		e.t.Fatalf("trades: %v", ts)
	}
	return ts[0]["trade_no"].(string)
}

// The attach marker selects the chain: a careless shop acknowledges the
// tampered copy (total_fee ×10, signed with another key), a verdict.
func TestFaultsWechatpayV2CanaryAccepted(t *testing.T) {
	e := newEnv(t)
	c := e.wxV2(kit.ModeCertificate)
	shop := newV2Shop(t, c, "MD5", false)
	tradeNo := e.v2Paid(c, "MD5", shop.URL+"/v2", "V2FAULT001", "mockpay-faults(tamper)")
	forged, genuine := shop.next(t), shop.next(t)
	if forged["total_fee"] != "3000" || genuine["total_fee"] != "300" || merchant.V2Sign(forged, c.Key, "MD5") == forged["sign"] ||
		merchant.V2Sign(genuine, c.Key, "MD5") != genuine["sign"] || genuine["attach"] != "mockpay-faults(tamper)" {
		t.Fatalf("forged %v, genuine %v", forged, genuine)
	}
	v := e.verdicts()
	if v.OK || v.Canaries != 1 || len(v.Failures) != 1 || v.Failures[0].Kind != "canary_accepted" || v.Failures[0].TradeNo != tradeNo {
		t.Fatalf("verdicts = %+v", v)
	}
}

// A verifying shop (HMAC-SHA256 order) refuses every canary; APIv2 has no
// signtest probe and says so.
func TestFaultsWechatpayV2CanariesRefused(t *testing.T) {
	e := newEnv(t)
	c := e.wxV2(kit.ModeCertificate)
	shop := newV2Shop(t, c, "HMAC-SHA256", true)
	e.setFaults(c.MchID, "tamper,wrongkey,forge,nosign,signtest")
	tradeNo := e.v2Paid(c, "HMAC-SHA256", shop.URL+"/v2", "V2FAULT002", "")
	if f := shop.next(t); f["total_fee"] != "300" {
		t.Fatalf("acknowledged %v", f)
	}
	as := e.attempts(tradeNo)
	if len(as) != 6 || !strings.Contains(as[4]["verdict"].(string), "has no signtest notification") || as[5]["acked"] != true {
		t.Fatalf("attempts = %v", as)
	}
	for _, a := range as[:4] {
		if a["acked"] != false || !strings.HasPrefix(a["verdict"].(string), "canary (") || a["failure"] != nil {
			t.Fatalf("canary attempt = %v", a)
		}
	}
	if !strings.Contains(as[3]["request"].(string), "<total_fee>") || strings.Contains(as[3]["request"].(string), "<sign>") {
		t.Fatalf("nosign copy = %v", as[3]["request"])
	}
	if v := e.verdicts(); !v.OK || v.Canaries != 4 {
		t.Fatalf("verdicts = %+v", v)
	}
}

// busy: the refund answers result_code FAIL err_code SYSTEMERROR, signed
// with the request's sign type, and still happens.
func TestFaultsWechatpayV2Busy(t *testing.T) {
	e := newEnv(t)
	c := e.wxV2(kit.ModeCertificate)
	e.paidV2(c, "V2FAULT003")
	e.setFaults(c.MchID, "busy:*:1")
	a, err := c.Call("/secapi/pay/refund", "HMAC-SHA256", map[string]string{"out_trade_no": "V2FAULT003", "out_refund_no": "V2FR003",
		"total_fee": "300", "refund_fee": "100"})
	if err != nil || a.Fields["return_code"] != "SUCCESS" || a.Fields["result_code"] != "FAIL" || a.Code() != "SYSTEMERROR" ||
		a.Fields["err_code_des"] != "系统错误" {
		t.Fatalf("busy refund: %v %s", err, a.Raw)
	}
	q, err := c.Call("/pay/refundquery", "MD5", map[string]string{"out_refund_no": "V2FR003"})
	if err != nil || q.Code() != "" || q.Fields["refund_fee_0"] != "100" {
		t.Fatalf("refund query after busy: %v %s", err, q.Raw)
	}
}
