package wechatpayv2

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

var seq atomic.Int64

func outTradeNo(prefix string) string {
	return fmt.Sprintf("%s%d%03d", prefix, time.Now().UnixMilli()%1e9, seq.Add(1)%1000)
}

func shopMerchantFor(t *testing.T, i int) shopMerchant {
	m := merchantFor(t, i)
	return shopMerchant{merchant: m, key: m.APIv2Key}
}

func unified(otn, tradeType string, fee int) map[string]string {
	f := map[string]string{"body": "v2 merchant", "out_trade_no": otn, "total_fee": fmt.Sprint(fee),
		"spbill_create_ip": "127.0.0.1", "notify_url": shopURL + "/notify", "trade_type": tradeType,
		"attach": "<html> & more"}
	if tradeType == "JSAPI" {
		f["openid"] = "oShopBuyerOpenID000000000001"
	}
	return f
}

// documented are the fields §1.5–§1.8 name for each answer, beyond the
// §1.3 envelope (P-V2-3).
var (
	envelope   = "return_code return_msg appid mch_id nonce_str sign result_code err_code err_code_des device_info "
	documented = map[string]string{
		"/pay/unifiedorder":  "trade_type prepay_id code_url mweb_url",
		"/pay/orderquery":    "openid is_subscribe trade_type trade_state bank_type total_fee settlement_total_fee fee_type cash_fee cash_fee_type coupon_fee coupon_count transaction_id out_trade_no attach time_end trade_state_desc",
		"/pay/closeorder":    "",
		"/secapi/pay/refund": "transaction_id out_trade_no out_refund_no refund_id refund_fee settlement_refund_fee total_fee settlement_total_fee fee_type cash_fee cash_fee_type cash_refund_fee coupon_refund_fee coupon_refund_count",
		"/pay/refundquery":   "total_refund_count transaction_id out_trade_no total_fee settlement_total_fee fee_type cash_fee refund_count refund_fee",
	}
	indexed = "out_refund_no refund_id refund_channel refund_fee settlement_refund_fee refund_status refund_account refund_recv_accout refund_success_time"
)

func onlyDocumented(t *testing.T, path string, r reply) {
	t.Helper()
	allowed := strings.Fields(envelope + documented[path])
	for k := range r.f {
		ok := false
		for _, a := range allowed {
			ok = ok || a == k
		}
		if path == "/pay/refundquery" {
			for _, p := range strings.Fields(indexed) {
				ok = ok || strings.HasPrefix(k, p+"_") && len(k) == len(p)+2
			}
		}
		if !ok {
			t.Errorf("%s answers the undocumented field %s (P-V2-3): %s", path, k, r.raw)
		}
	}
}

// TestLoop: per sign type (MD5, HMAC-SHA256 and none sent, which is MD5)
// the whole loop, every answer and notification checked as §1 says.
func TestLoop(t *testing.T) {
	m := shopMerchantFor(t, 0)
	for _, st := range []string{"MD5", "HMAC-SHA256", ""} {
		t.Run("sign_type="+st, func(t *testing.T) {
			base := m.APIBaseURL
			otn := outTradeNo("V2")
			o := m.call(t, base, "/pay/unifiedorder", st, unified(otn, "NATIVE", 250))
			if !o.ok() || o.f["prepay_id"] == "" || !strings.HasPrefix(o.f["code_url"], "weixin://wxpay/bizpayurl?pr=") {
				t.Fatalf("unifiedorder: %s", o.raw)
			}
			onlyDocumented(t, "/pay/unifiedorder", o)

			from := shop.count()
			control(t, "/apps/"+m.MchID+"/orders/"+otn+"/pay", nil)
			n := shop.await(t, from, func(n note) bool { return n.Fields["out_trade_no"] == otn })
			checkAnswer(t, "pay notification", n.Raw, http.StatusOK)
			if _, ok := n.Fields["sign_type"]; ok {
				t.Errorf("the pay notification carries sign_type (P-V2-2): %s", n.Raw)
			}
			other := map[string]string{"MD5": "HMAC-SHA256", "": "HMAC-SHA256", "HMAC-SHA256": "MD5"}[st]
			if sign(n.Fields, m.key, st) != n.Fields["sign"] || sign(n.Fields, m.key, other) == n.Fields["sign"] {
				t.Errorf("the pay notification is not signed with the order's sign type %q: %s", st, n.Raw)
			}
			if n.Fields["result_code"] != "SUCCESS" || n.Fields["total_fee"] != "250" || n.Fields["attach"] != "<html> & more" ||
				n.Fields["transaction_id"] == "" || len(n.Fields["time_end"]) != 14 || n.Fields["trade_type"] != "NATIVE" {
				t.Errorf("pay notification: %v", n.Fields)
			}
			txID := n.Fields["transaction_id"]

			q := m.call(t, base, "/pay/orderquery", st, map[string]string{"transaction_id": txID})
			if !q.ok() || q.f["trade_state"] != "SUCCESS" || q.f["out_trade_no"] != otn || q.f["attach"] != "<html> & more" {
				t.Errorf("orderquery: %s", q.raw)
			}
			onlyDocumented(t, "/pay/orderquery", q)

			from = shop.count()
			r := m.call(t, base, "/secapi/pay/refund", st, map[string]string{"out_trade_no": otn, "out_refund_no": otn + "-R",
				"total_fee": "250", "refund_fee": "100", "notify_url": shopURL + "/refund"})
			if !r.ok() || r.f["refund_id"] == "" || r.f["refund_fee"] != "100" {
				t.Fatalf("refund: %s", r.raw)
			}
			onlyDocumented(t, "/secapi/pay/refund", r)
			rn := shop.await(t, from, func(n note) bool { return n.Path == "/refund" && n.Fields["mch_id"] == m.MchID })
			checkAnswer(t, "refund notification", rn.Raw, http.StatusOK)
			if _, signed := rn.Fields["sign"]; signed || rn.Fields["return_code"] != "SUCCESS" || rn.Fields["appid"] != m.AppID {
				t.Errorf("refund notification outer fields (P-V2-5): %s", rn.Raw)
			}
			plain, err := decryptReqInfo(rn.Fields["req_info"], m.key)
			if err != nil {
				t.Fatalf("req_info: %v", err)
			}
			var info struct {
				XMLName     xml.Name `xml:"root"`
				OutRefundNo string   `xml:"out_refund_no"`
				RefundID    string   `xml:"refund_id"`
				Status      string   `xml:"refund_status"`
				RefundFee   string   `xml:"refund_fee"`
				SuccessTime string   `xml:"success_time"`
			}
			if err := xml.Unmarshal(plain, &info); err != nil || info.OutRefundNo != otn+"-R" || info.RefundID != r.f["refund_id"] ||
				info.Status != "SUCCESS" || info.RefundFee != "100" || len(info.SuccessTime) != 19 {
				t.Errorf("req_info %s: %+v %v", plain, info, err)
			}
			rq := m.call(t, base, "/pay/refundquery", st, map[string]string{"out_trade_no": otn})
			if !rq.ok() || rq.f["refund_count"] != "1" || rq.f["refund_status_0"] != "SUCCESS" || rq.f["refund_id_0"] != r.f["refund_id"] {
				t.Errorf("refundquery: %s", rq.raw)
			}
			onlyDocumented(t, "/pay/refundquery", rq)

			otn2 := outTradeNo("V2C")
			m.call(t, base, "/pay/unifiedorder", st, unified(otn2, "APP", 1))
			c := m.call(t, base, "/pay/closeorder", st, map[string]string{"out_trade_no": otn2})
			if !c.ok() {
				t.Errorf("closeorder: %s", c.raw)
			}
			onlyDocumented(t, "/pay/closeorder", c)
		})
	}
}

// TestRetry: only the XML SUCCESS answer acknowledges (§1.9): a FAIL and a
// bare SUCCESS are retried on WeChat's schedule (§3: 15s, 15s, …), each
// attempt with a fresh nonce and a valid sign, following the virtual clock.
func TestRetry(t *testing.T) {
	m := shopMerchantFor(t, 1)
	otn := outTradeNo("V2RT")
	shop.answer(otn, `<xml><return_code><![CDATA[FAIL]]></return_code><return_msg><![CDATA[busy]]></return_msg></xml>`, "SUCCESS", ackXML)
	if o := m.call(t, m.APIBaseURL, "/pay/unifiedorder", "HMAC-SHA256", unified(otn, "JSAPI", 3)); !o.ok() {
		t.Fatalf("unifiedorder: %s", o.raw)
	}
	from := shop.count()
	var act struct {
		Trade struct {
			TradeNo string `json:"trade_no"`
		} `json:"trade"`
	}
	control(t, "/apps/"+m.MchID+"/orders/"+otn+"/pay", &act)
	first := shop.await(t, from, func(n note) bool { return n.Fields["out_trade_no"] == otn })
	waitAttempts(t, act.Trade.TradeNo, "pending", 1)
	advance(t, "15s")
	second := shop.await(t, from, func(n note) bool {
		return n.Fields["out_trade_no"] == otn && n.Fields["nonce_str"] != first.Fields["nonce_str"]
	})
	waitAttempts(t, act.Trade.TradeNo, "pending", 2)
	advance(t, "15s")
	waitAttempts(t, act.Trade.TradeNo, "acked", 3)
	for _, n := range []note{first, second} {
		if sign(n.Fields, m.key, "HMAC-SHA256") != n.Fields["sign"] {
			t.Errorf("attempt not signed: %s", n.Raw)
		}
	}
}

func advance(t *testing.T, by string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, baseURL+"/_mockpay/api/clock/advance", strings.NewReader(`{"by":"`+by+`"}`))
	req.Header.Set("Content-Type", "application/json")
	rsp, err := direct.Do(req)
	if err != nil || rsp.StatusCode != http.StatusOK {
		t.Fatalf("advance %s: %v %v", by, err, rsp)
	}
	rsp.Body.Close()
}

// waitAttempts long-polls the control API for the trade's notification.
func waitAttempts(t *testing.T, tradeNo, status string, attempts int) {
	t.Helper()
	rsp, err := direct.Get(fmt.Sprintf("%s/_mockpay/api/notifications/wait?trade_no=%s&status=%s&attempts=%d&timeout=10s", baseURL, tradeNo, status, attempts))
	if err != nil {
		t.Fatal(err)
	}
	defer rsp.Body.Close()
	b, _ := io.ReadAll(rsp.Body)
	var n struct {
		Status   string `json:"status"`
		Attempts []struct {
			Verdict string `json:"verdict"`
		} `json:"attempts"`
	}
	json.Unmarshal(b, &n)
	if rsp.StatusCode != http.StatusOK || n.Status != status {
		t.Fatalf("notification of %s: want %s after %d attempts: %d %s", tradeNo, status, attempts, rsp.StatusCode, b)
	}
}

// TestErrors: refusals in the platform's words (§1.3, §1.10).
func TestErrors(t *testing.T) {
	m := shopMerchantFor(t, 0)
	base := m.APIBaseURL
	raw := func(method, path, body string) reply {
		t.Helper()
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		rsp, err := direct.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer rsp.Body.Close()
		b, _ := io.ReadAll(rsp.Body)
		checkAnswer(t, path, b, rsp.StatusCode)
		f, err := decode(b)
		if err != nil {
			t.Fatalf("%s: %v %s", path, err, b)
		}
		return reply{f: f, raw: string(b), http: rsp.StatusCode}
	}
	for _, c := range []struct {
		name, method, body, msg string
	}{
		{"GET", http.MethodGet, "", "请使用post方法"},
		{"empty", http.MethodPost, "", "post数据为空"},
		{"not XML", http.MethodPost, "appid=wx&mch_id=1", "XML格式错误"},
		{"GBK", http.MethodPost, "<xml><body>\xd6\xd0</body></xml>", "编码格式错误"},
	} {
		if r := raw(c.method, "/pay/unifiedorder", c.body); r.f["return_code"] != "FAIL" || r.f["return_msg"] != c.msg || len(r.f) != 2 {
			t.Errorf("%s: %s, want return_msg %s", c.name, r.raw, c.msg)
		}
	}

	bad := m
	bad.key = strings.Repeat("0", 32)
	if r := bad.call(t, base, "/pay/orderquery", "HMAC-SHA256", map[string]string{"out_trade_no": "V2NOSUCH01"}); r.f["return_code"] != "FAIL" || r.f["return_msg"] != "签名错误" {
		t.Errorf("bad signature: %s", r.raw)
	}
	if r := m.call(t, base, "/pay/orderquery", "SHA1", map[string]string{"out_trade_no": "V2NOSUCH01"}); r.f["return_code"] != "FAIL" {
		t.Errorf("unknown sign_type: %s", r.raw)
	}
	ghost := m
	ghost.MchID = "1999999999"
	if r := ghost.call(t, base, "/pay/orderquery", "MD5", map[string]string{"out_trade_no": "V2NOSUCH01"}); r.f["return_code"] != "FAIL" {
		t.Errorf("unknown mch_id: %s", r.raw)
	}

	business := func(name, path, st string, f map[string]string, code string) {
		t.Helper()
		r := m.call(t, base, path, st, f)
		if r.f["return_code"] != "SUCCESS" || r.f["result_code"] != "FAIL" || r.f["err_code"] != code || r.f["err_code_des"] == "" {
			t.Errorf("%s: %s, want err_code %s", name, r.raw, code)
		}
	}
	business("wrong appid", "/pay/orderquery", "MD5", map[string]string{"appid": "wx0000000000000000", "out_trade_no": "V2NOSUCH01"}, "APPID_MCHID_NOT_MATCH")
	business("unknown order", "/pay/orderquery", "HMAC-SHA256", map[string]string{"out_trade_no": "V2NOSUCH01"}, "ORDERNOTEXIST")
	business("unknown refund", "/pay/refundquery", "MD5", map[string]string{"out_refund_no": "V2NOSUCH01"}, "REFUNDNOTEXIST")
	noBody := unified(outTradeNo("V2LP"), "NATIVE", 1)
	delete(noBody, "body")
	business("missing body", "/pay/unifiedorder", "MD5", noBody, "LACK_PARAMS")

	otn := outTradeNo("V2ER")
	m.call(t, base, "/pay/unifiedorder", "MD5", unified(otn, "NATIVE", 500))
	business("re-entry with another amount", "/pay/unifiedorder", "MD5", unified(otn, "NATIVE", 501), "INVALID_REQUEST")
	business("re-entry with another trade type", "/pay/unifiedorder", "MD5", unified(otn, "APP", 500), "OUT_TRADE_NO_USED")
	control(t, "/apps/"+m.MchID+"/orders/"+otn+"/pay", nil)
	business("order again when paid", "/pay/unifiedorder", "MD5", unified(otn, "NATIVE", 500), "ORDERPAID")
	business("close when paid", "/pay/closeorder", "HMAC-SHA256", map[string]string{"out_trade_no": otn}, "ORDERPAID")
	business("refund above the total", "/secapi/pay/refund", "MD5", map[string]string{"out_trade_no": otn, "out_refund_no": otn + "-A",
		"total_fee": "500", "refund_fee": "501"}, "PARAM_ERROR")
	m.call(t, base, "/secapi/pay/refund", "MD5", map[string]string{"out_trade_no": otn, "out_refund_no": otn + "-B", "total_fee": "500", "refund_fee": "400"})
	business("refund beyond the rest", "/secapi/pay/refund", "MD5", map[string]string{"out_trade_no": otn, "out_refund_no": otn + "-C",
		"total_fee": "500", "refund_fee": "101"}, "ERROR")
	business("same out_refund_no, other amount", "/secapi/pay/refund", "MD5", map[string]string{"out_trade_no": otn, "out_refund_no": otn + "-B",
		"total_fee": "500", "refund_fee": "50"}, "INVALID_REQUEST")

	for name, f := range map[string]map[string]string{
		"zero fee":             func() map[string]string { f := unified(outTradeNo("V2F"), "NATIVE", 1); f["total_fee"] = "0"; return f }(),
		"JSAPI without openid": func() map[string]string { f := unified(outTradeNo("V2F"), "JSAPI", 1); delete(f, "openid"); return f }(),
		"notify_url with query": func() map[string]string {
			f := unified(outTradeNo("V2F"), "NATIVE", 1)
			f["notify_url"] += "?x=1"
			return f
		}(),
	} {
		if r := m.call(t, base, "/pay/unifiedorder", "MD5", f); r.f["return_code"] != "FAIL" {
			t.Errorf("%s: %s", name, r.raw)
		}
	}
}

// TestSandbox: getsignkey (§1.11) and calls under both sandbox prefixes
// signed with the sandbox key, whose notifications are signed with it too.
func TestSandbox(t *testing.T) {
	m := shopMerchantFor(t, 0)
	getKey := func(path string) string {
		f := map[string]string{"mch_id": m.MchID, "nonce_str": nonce()}
		f["sign"] = sign(f, m.APIv2Key, "MD5")
		rsp, err := direct.Post(m.APIBaseURL+path, "text/xml", bytes.NewReader([]byte(encode(f))))
		if err != nil {
			t.Fatal(err)
		}
		defer rsp.Body.Close()
		b, _ := io.ReadAll(rsp.Body)
		out, _ := decode(b)
		if out["return_code"] != "SUCCESS" || len(out["sandbox_signkey"]) != 32 {
			t.Fatalf("getsignkey %s: %s", path, b)
		}
		return out["sandbox_signkey"]
	}
	key := getKey("/sandboxnew/pay/getsignkey")
	if getKey("/xdc/apiv2getsignkey/sign/getsignkey") != key || key == m.APIv2Key {
		t.Errorf("sandbox keys differ, or equal the production key")
	}
	sb := shopMerchant{merchant: m.merchant, key: key}
	for _, prefix := range []string{"/sandboxnew", "/xdc/apiv2sandbox"} {
		otn := outTradeNo("V2SB")
		if o := sb.call(t, m.APIBaseURL+prefix, "/pay/unifiedorder", "MD5", unified(otn, "NATIVE", 101)); !o.ok() {
			t.Fatalf("%s unifiedorder: %s", prefix, o.raw)
		}
		if r := m.call(t, m.APIBaseURL+prefix, "/pay/orderquery", "MD5", map[string]string{"out_trade_no": otn}); r.f["return_msg"] != "签名错误" {
			t.Errorf("%s with the production key: %s", prefix, r.raw)
		}
		from := shop.count()
		control(t, "/apps/"+m.MchID+"/orders/"+otn+"/pay", nil)
		n := shop.await(t, from, func(n note) bool { return n.Fields["out_trade_no"] == otn })
		if sign(n.Fields, key, "MD5") != n.Fields["sign"] {
			t.Errorf("%s: the notification of a sandbox order is not signed with the sandbox key: %s", prefix, n.Raw)
		}
		// The sandbox refund path has no secapi (§1.11).
		if r := sb.call(t, m.APIBaseURL+prefix, "/pay/refund", "MD5", map[string]string{"out_trade_no": otn, "out_refund_no": otn + "R",
			"total_fee": "101", "refund_fee": "101"}); !r.ok() {
			t.Errorf("%s refund: %s", prefix, r.raw)
		}
	}
}

// TestExpiry: an order closes at its time_expire, and after 7 days without
// one, on the virtual clock (§1.5, §1.6).
func TestExpiry(t *testing.T) {
	m := shopMerchantFor(t, 1)
	var clock struct {
		Now string `json:"now"`
	}
	if err := getJSON(baseURL+"/_mockpay/api/clock", &clock); err != nil {
		t.Fatal(err)
	}
	now, err := time.Parse(time.RFC3339, clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	cst := time.FixedZone("CST", 8*3600)
	soon, later := outTradeNo("V2EX"), outTradeNo("V2EX")
	f := unified(soon, "NATIVE", 1)
	f["time_expire"] = now.Add(10 * time.Minute).In(cst).Format("20060102150405")
	if o := m.call(t, m.APIBaseURL, "/pay/unifiedorder", "MD5", f); !o.ok() {
		t.Fatalf("unifiedorder with time_expire: %s", o.raw)
	}
	if o := m.call(t, m.APIBaseURL, "/pay/unifiedorder", "MD5", unified(later, "NATIVE", 1)); !o.ok() {
		t.Fatalf("unifiedorder: %s", o.raw)
	}
	state := func(otn string) string {
		return m.call(t, m.APIBaseURL, "/pay/orderquery", "MD5", map[string]string{"out_trade_no": otn}).f["trade_state"]
	}
	advance(t, "11m")
	if s1, s2 := state(soon), state(later); s1 != "CLOSED" || s2 != "NOTPAY" {
		t.Errorf("after 11 minutes: %s %s, want CLOSED NOTPAY", s1, s2)
	}
	advance(t, "7d")
	if s := state(later); s != "CLOSED" {
		t.Errorf("after 7 days: %s, want CLOSED", s)
	}
	// A time_expire less than a minute ahead is refused.
	f = unified(outTradeNo("V2EX"), "NATIVE", 1)
	f["time_expire"] = now.Add(7*24*time.Hour + 11*time.Minute + 30*time.Second).In(cst).Format("20060102150405")
	if r := m.call(t, m.APIBaseURL, "/pay/unifiedorder", "MD5", f); r.f["return_code"] != "FAIL" {
		t.Errorf("time_expire 30 s ahead: %s", r.raw)
	}
}
