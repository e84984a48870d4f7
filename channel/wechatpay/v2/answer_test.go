package v2

import (
	"strings"
	"testing"
)

func TestFailAnswer(t *testing.T) {
	b := FailAnswer(FailSign.Msg)
	golden(t, "fail_sign.xml", b)
	v, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(v) != 2 || v["return_code"] != "FAIL" || v["return_msg"] != "签名错误" {
		t.Errorf("fields %v: want return_code and return_msg only, unsigned (§1.3)", v)
	}
}

func TestSuccessAnswer(t *testing.T) {
	for _, st := range []SignType{MD5, HMACSHA256} {
		m := testMerchant(st)
		b := SuccessAnswer(KindUnifiedOrder, m, "5K8264ILTKCH16CQ2502SI8ZNMTM67VS", []Field{
			{"trade_type", "NATIVE"}, {"prepay_id", "wx201410272009395522657a690389285100"},
			{"code_url", "weixin://wxpay/bizpayurl?pr=abc"}, {"transaction_id", "dropped"}, {"sign_type", "dropped"}})
		golden(t, "unifiedorder_"+strings.ToLower(strings.ReplaceAll(string(st), "-", ""))+".xml", b)
		v, err := Decode(b)
		if err != nil {
			t.Fatal(err)
		}
		if !Verify(v, testKey, st) {
			t.Errorf("%s: the answer does not verify with the request's sign type", st)
		}
		if _, ok := v["transaction_id"]; ok {
			t.Errorf("%s: an undocumented field went out: %v", st, v)
		}
		if _, ok := v["sign_type"]; ok {
			t.Errorf("%s: sign_type went out: %v", st, v)
		}
		for k := range v {
			if !Documented(KindUnifiedOrder, k) {
				t.Errorf("%s: %s is not documented", st, k)
			}
		}
	}
}

func TestRefusalAnswer(t *testing.T) {
	b := RefusalAnswer(testMerchant(MD5), "5K8264ILTKCH16CQ2502SI8ZNMTM67VS", Refuse(ErrOrderPaid, ""))
	golden(t, "refusal_orderpaid.xml", b)
	v, _ := Decode(b)
	if v["return_code"] != "SUCCESS" || v["result_code"] != "FAIL" || v["err_code"] != "ORDERPAID" ||
		v["err_code_des"] != "该订单已支付" || !Verify(v, testKey, MD5) {
		t.Errorf("refusal %v", v)
	}
	// A communication-layer failure stays unsigned whatever the merchant.
	v, _ = Decode(RefusalAnswer(testMerchant(MD5), "n", FailXML))
	if _, signed := v["sign"]; signed || v["return_code"] != "FAIL" {
		t.Errorf("return FAIL %v", v)
	}
}

func TestDocumented(t *testing.T) {
	for _, c := range []struct {
		k    Kind
		name string
		want bool
	}{
		{KindRefundQuery, "refund_status_0", true}, {KindRefundQuery, "refund_recv_accout_9", true},
		{KindRefundQuery, "refund_status_10", false}, {KindRefund, "device_info", false},
		{KindOrderQuery, "trade_state", true}, {KindCloseOrder, "trade_state", false},
		{KindUnifiedOrder, "mweb_url", true}, {KindUnifiedOrder, "sign_type", false},
	} {
		if got := Documented(c.k, c.name); got != c.want {
			t.Errorf("Documented(%s, %s) = %v", c.k, c.name, got)
		}
	}
}

func TestSignKeyAnswer(t *testing.T) {
	v, err := Decode(SignKeyAnswer("10000100", "sandboxkey"))
	if err != nil || v["sandbox_signkey"] != "sandboxkey" || v["return_code"] != "SUCCESS" {
		t.Errorf("%v %v", v, err)
	}
}
