package v2

import (
	"encoding/xml"
	"strings"
	"testing"
	"time"

	"github.com/mockpay/mockpay/channel"
)

var (
	testKey = "192006250b4c09247ec02edce69f6a2d"
	paidAt  = time.Date(2026, 12, 1, 10, 20, 30, 0, cst)
)

func testMerchant(t SignType) Merchant {
	return Merchant{AppID: "wxd930ea5d5a258f4f", MchID: "10000100", Key: testKey, SignType: t}
}

func testPay() PayResult {
	return PayResult{OpenID: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", TradeType: "NATIVE", BankType: "OTHERS",
		TotalFee: 101, CashFee: 101, TransactionID: "4200001234202612011234567890", OutTradeNo: "order-1",
		Attach: "see <html>", TimeEnd: paidAt}
}

// The pay notification is signed with the order's sign type and carries no
// sign_type (P-V2-2): a merchant verifying with the order's type passes, the
// other type fails.
func TestPayNotification(t *testing.T) {
	for _, c := range []struct {
		st     SignType
		golden string
	}{{MD5, "pay_notify_md5.xml"}, {HMACSHA256, "pay_notify_hmac.xml"}} {
		b := PayNotification(testMerchant(c.st), "5K8264ILTKCH16CQ2502SI8ZNMTM67VS", testPay())
		golden(t, c.golden, b)
		v, err := Decode(b)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := v["sign_type"]; ok {
			t.Errorf("%s: sign_type present", c.st)
		}
		if !Verify(v, testKey, c.st) {
			t.Errorf("%s: does not verify with the order's sign type", c.st)
		}
		if Verify(v, testKey, map[SignType]SignType{MD5: HMACSHA256, HMACSHA256: MD5}[c.st]) {
			t.Errorf("%s: verifies with the other sign type", c.st)
		}
		if strings.Contains(strings.ToLower(string(b)), "html") {
			t.Errorf("%s: html in the bytes", c.st)
		}
		if v["attach"] != "see <html>" || v["time_end"] != "20261201102030" || v["total_fee"] != "101" ||
			v["return_code"] != "SUCCESS" || v["result_code"] != "SUCCESS" {
			t.Errorf("%s: fields %v", c.st, v)
		}
	}
}

func TestRefundNotification(t *testing.T) {
	r := RefundResult{TransactionID: "4200001234202612011234567890", OutTradeNo: "order-1",
		RefundID: "50000000012026120112345678901", OutRefundNo: "refund-1", TotalFee: 101, RefundFee: 51,
		Status: "SUCCESS", SuccessTime: paidAt.Add(time.Minute), RecvAccount: "支付用户零钱"}
	b := RefundNotification(testMerchant(HMACSHA256), "5K8264ILTKCH16CQ2502SI8ZNMTM67VS", r)
	golden(t, "refund_notify.xml", b)
	v, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := v["sign"]; ok {
		t.Error("the refund notification is signed; it carries no sign (P-V2-5)")
	}
	plain, err := DecryptReqInfo(v["req_info"], testKey)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "refund_notify_req_info.xml", plain)
	var inner struct {
		XMLName     xml.Name `xml:"root"`
		OutRefundNo string   `xml:"out_refund_no"`
		RefundFee   string   `xml:"refund_fee"`
		Status      string   `xml:"refund_status"`
		SuccessTime string   `xml:"success_time"`
	}
	if err := xml.Unmarshal(plain, &inner); err != nil {
		t.Fatal(err)
	}
	if inner.OutRefundNo != "refund-1" || inner.RefundFee != "51" || inner.Status != "SUCCESS" || inner.SuccessTime != "2026-12-01 10:21:30" {
		t.Errorf("req_info says %+v", inner)
	}
	if _, err := DecryptReqInfo(v["req_info"], "another key"); err == nil {
		t.Error("req_info decrypts under another key")
	}
	r.Status = "REFUNDCLOSE"
	v, _ = Decode(RefundNotification(testMerchant(MD5), "n", r))
	plain, _ = DecryptReqInfo(v["req_info"], testKey)
	if strings.Contains(string(plain), "success_time") {
		t.Errorf("a closed refund names a success_time: %s", plain)
	}
}

func TestReqInfoRoundTrip(t *testing.T) {
	for _, n := range []int{0, 1, 15, 16, 17, 100} {
		plain := []byte(strings.Repeat("x", n))
		got, err := DecryptReqInfo(EncryptReqInfo(plain, testKey), testKey)
		if err != nil || string(got) != string(plain) {
			t.Errorf("%d bytes: %q, %v", n, got, err)
		}
	}
	for _, bad := range []string{"", "not base64!", "AAAA", EncryptReqInfo([]byte("x"), testKey)[:10]} {
		if _, err := DecryptReqInfo(bad, testKey); err == nil {
			t.Errorf("%q decrypts", bad)
		}
	}
}

// The key is the lower-hex MD5 of the APIv2 key (§1.9): a known vector.
func TestReqInfoKey(t *testing.T) {
	if got := string(reqInfoKey(testKey)); got != "d96eb16afdd491fa1e705096edbc2205" {
		t.Errorf("key %q", got)
	}
	if got := string(reqInfoKey("")); got != "d41d8cd98f00b204e9800998ecf8427e" {
		t.Errorf("md5 of the empty key: %q", got)
	}
}

func TestJudge(t *testing.T) {
	cases := []struct {
		status int
		body   string
		acked  bool
	}{
		{200, AckBody, true},
		{200, `<xml><return_code>SUCCESS</return_code><return_msg>OK</return_msg></xml>`, true},
		{200, "<xml>\n  <return_code><![CDATA[SUCCESS]]></return_code>\n</xml>\n", true},
		{200, `<xml><return_code><![CDATA[FAIL]]></return_code><return_msg><![CDATA[busy]]></return_msg></xml>`, false},
		{200, `<xml><return_msg>OK</return_msg></xml>`, false},
		{200, "SUCCESS", false},
		{200, "success", false},
		{200, "", false},
		{200, `{"code":"SUCCESS"}`, false},
		{204, "", false},
		{500, AckBody, false},
		{302, AckBody, false},
	}
	for _, c := range cases {
		acked, verdict := Judge(channel.Answer{StatusCode: c.status, Body: []byte(c.body)})
		if acked != c.acked || verdict == "" {
			t.Errorf("Judge(%d, %q) = %v %q, want %v", c.status, c.body, acked, verdict, c.acked)
		}
	}
}

func TestSchedule(t *testing.T) {
	Schedule := Notifier{}.Schedule()
	var total time.Duration
	for _, d := range Schedule {
		total += d
	}
	if len(Schedule) != 15 || total != 24*time.Hour+4*time.Minute {
		t.Errorf("schedule: %d waits, %v in all; §3 says 15 and 24h04m", len(Schedule), total)
	}
}
