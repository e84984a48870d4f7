package legacy

import (
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func newOutTradeNo(prefix string) string {
	return fmt.Sprintf("%s%d", prefix, time.Now().UnixNano())
}

// directPayOrder is a create_direct_pay_by_user order of the demo's shape.
func directPayOrder(cfg *alipayConfig, s *shop, outTradeNo, subject, totalFee string) map[string]string {
	return map[string]string{
		"out_trade_no": outTradeNo, "subject": subject, "total_fee": totalFee, "payment_type": "1",
		"seller_id": cfg.SellerID, "notify_url": s.URL + "/notify", "return_url": s.URL + "/return",
	}
}

// TestDirectPayFlow: the whole loop in utf-8 (GET form) and gbk (POST
// form): pay → return verified by MD5 and notify_verify → notification
// verified by MD5 and by notify_verify from inside the notify page →
// success → single_trade_query → a batch refund with batch_refund_notify.
func TestDirectPayFlow(t *testing.T) {
	for _, c := range []struct{ charset, method string }{{"utf-8", "get"}, {"gbk", "post"}} {
		t.Run(c.charset, func(t *testing.T) {
			cfg, err := configOf(md5Partner(t), c.charset)
			if err != nil {
				t.Fatal(err)
			}
			cfg.SignType = "MD5"
			s := newShop(t, cfg)
			out := newOutTradeNo("FLOW")
			order := directPayOrder(cfg, s, out, "测试商品 "+c.charset, "0.01")
			order["body"] = "两个杯子"
			order["extra_common_param"] = "ref-" + c.charset
			b := newBrowser()

			returned := b.pay(t, b.submit(t, cfg.buildRequestForm("create_direct_pay_by_user", order, c.method)))
			r := s.lastReturn(t)
			if returned.Body != "验证成功" || !r.SignOK || r.Verify != "true" {
				t.Fatalf("return page: %q (sign ok %v, notify_verify %q) for %s", returned.Body, r.SignOK, r.Verify, r.Raw)
			}
			for k, want := range map[string]string{
				"is_success": "T", "trade_status": "TRADE_SUCCESS", "out_trade_no": out, "total_fee": "0.01",
				"subject": "测试商品 " + c.charset, "body": "两个杯子", "extra_common_param": "ref-" + c.charset,
				"seller_id": cfg.SellerID, "sign_type": "MD5", "exterface": "create_direct_pay_by_user",
			} {
				if got := cfg.decode(r.Params[k]); got != want {
					t.Errorf("return %s = %q, want %q", k, got, want)
				}
			}
			if c.charset == "gbk" && !strings.Contains(r.Raw, "subject=%B2%E2%CA%D4") {
				t.Errorf("the gbk return is not gbk percent-encoded: %s", r.Raw)
			}
			// The return's notify_id on the other two verify paths, pasted
			// unencoded as merchant code does.
			for _, path := range []string{base + "/cooperate/gateway.do?service=notify_verify&", base + "/trade/notify_query.do?"} {
				if got := cfg.verifyResponse(path, r.Params["notify_id"]); got != "true" {
					t.Errorf("%s: return notify_id answered %q", path, got)
				}
			}

			n := s.next(t)
			if !n.SignOK || n.Verify != "true" || n.Answer != "success" {
				t.Fatalf("notify page: sign ok %v, notify_verify %q, answered %q: %s", n.SignOK, n.Verify, n.Answer, n.Raw)
			}
			for k, want := range map[string]string{
				"notify_type": "trade_status_sync", "trade_status": "TRADE_SUCCESS", "out_trade_no": out,
				"trade_no": r.Params["trade_no"], "total_fee": "0.01", "subject": "测试商品 " + c.charset,
			} {
				if got := cfg.decode(n.Params[k]); got != want {
					t.Errorf("notification %s = %q, want %q", k, got, want)
				}
			}
			// Acknowledged: within seconds the id no longer verifies.
			waitFor(t, "notify_verify false after success", func() bool {
				return cfg.verifyResponse(gateway+"?service=notify_verify&", n.Params["notify_id"]) == "false"
			})

			x := query(t, cfg, map[string]string{"out_trade_no": out})
			if x.IsSuccess != "T" || x.Fields["trade_status"] != "TRADE_SUCCESS" || x.Fields["subject"] != "测试商品 "+c.charset || x.Fields["trade_no"] != r.Params["trade_no"] {
				t.Errorf("single_trade_query: %s", x.Raw)
			}
			if !x.verify(cfg) {
				t.Errorf("single_trade_query answer does not verify: %s", x.Raw)
			}

			// Refund it all in a batch: the answer accepts the batch; the
			// outcome comes in batch_refund_notify, and the trade notifies
			// its close with refund_status (§1.5, §1.9).
			tradeNo := r.Params["trade_no"]
			body, err := cfg.buildRequestHTTP("refund_fastpay_by_platform_nopwd", refundBatch(s, tradeNo+"^0.01^退货"))
			if err != nil || !strings.Contains(body, "<is_success>T</is_success>") {
				t.Fatalf("refund_fastpay_by_platform_nopwd: %v %s", err, body)
			}
			got := map[string]notice{}
			for range 2 {
				n := s.next(t)
				got[n.Params["notify_type"]] = n
			}
			batch, trade := got["batch_refund_notify"], got["trade_status_sync"]
			if !batch.SignOK || batch.Verify != "true" || batch.Answer != "success" {
				t.Fatalf("batch_refund_notify: sign ok %v, notify_verify %q: %s", batch.SignOK, batch.Verify, batch.Raw)
			}
			if batch.Params["success_num"] != "1" || batch.Params["result_details"] != tradeNo+"^0.01^SUCCESS" {
				t.Errorf("batch_refund_notify: %v", batch.Params)
			}
			if !trade.SignOK || trade.Answer != "success" || trade.Params["trade_status"] != "TRADE_CLOSED" || trade.Params["refund_status"] != "REFUND_SUCCESS" {
				t.Errorf("the refunded trade's notification: %+v", trade)
			}
			if x := query(t, cfg, map[string]string{"trade_no": tradeNo}); x.Fields["trade_status"] != "TRADE_CLOSED" {
				t.Errorf("single_trade_query after the refund: %s", x.Raw)
			}
		})
	}
}

// refundBatch is a refund_fastpay_by_platform_* request of one or more
// trade_no^amount^reason records; batch_no starts with today's date in
// GMT+8, the platform's day (§1.9).
func refundBatch(s *shop, records ...string) map[string]string {
	now := time.Now().In(time.FixedZone("CST", 8*3600))
	return map[string]string{
		"batch_no":    now.Format("20060102") + fmt.Sprint(now.UnixNano()%1e12),
		"batch_num":   fmt.Sprint(len(records)),
		"detail_data": strings.Join(records, "#"),
		"refund_date": now.Format("2006-01-02 15:04:05"),
		"notify_url":  s.URL + "/refund_notify",
	}
}

// TestErrorCases: a wrong key, a wrong partner, a tampered total_fee and a
// reused out_trade_no with another amount each end on the gateway's error
// page with the code, never in the cashier (§1.10).
func TestErrorCases(t *testing.T) {
	good, err := configOf(md5Partner(t), "utf-8")
	if err != nil {
		t.Fatal(err)
	}
	good.SignType = "MD5"
	s := newShop(t, good)
	b := newBrowser()
	form := func(cfg *alipayConfig, order map[string]string) string {
		return cfg.buildRequestForm("create_direct_pay_by_user", order, "get")
	}

	wrongKey := *good
	wrongKey.Key = strings.Repeat("k", 32)
	wrongPartner := *good
	wrongPartner.Partner = "2088000000000000"
	tampered := strings.Replace(form(good, directPayOrder(good, s, newOutTradeNo("TAMPER"), "goods", "100.00")),
		`name="total_fee" value="100.00"`, `name="total_fee" value="0.01"`, 1)
	if !strings.Contains(tampered, `value="0.01"`) {
		t.Fatal("could not tamper with the form")
	}
	reused := newOutTradeNo("REUSED")
	opened := b.submit(t, form(good, directPayOrder(good, s, reused, "goods", "1.00")))
	if opened.Status != http.StatusSeeOther {
		t.Fatalf("first order: %+v", opened)
	}
	b.get(t, opened.Location) // entering the cashier creates the trade

	for _, c := range []struct{ name, form, code string }{
		{"wrong key", form(&wrongKey, directPayOrder(good, s, newOutTradeNo("KEY"), "goods", "1.00")), "ILLEGAL_SIGN"},
		{"wrong partner", form(&wrongPartner, directPayOrder(good, s, newOutTradeNo("PARTNER"), "goods", "1.00")), "ILLEGAL_PARTNER"},
		{"tampered total_fee", tampered, "ILLEGAL_SIGN"},
		{"reused out_trade_no", form(good, directPayOrder(good, s, reused, "goods", "2.00")), "TRADE_TOTALFEE_NOT_MATCH"},
	} {
		p := b.submit(t, c.form)
		if p.Status != http.StatusOK || !strings.HasPrefix(p.Type, "text/html") || !strings.Contains(p.Body, c.code) {
			t.Errorf("%s: want an HTML error page with %s, got %d %q: %s", c.name, c.code, p.Status, p.Type, p.Body)
		}
		if strings.Contains(p.Body, `data-testid="pay"`) {
			t.Errorf("%s: the error page offers to pay", c.name)
		}
	}
	// The server services answer the same errors as XML.
	x := query(t, &wrongKey, map[string]string{"out_trade_no": reused})
	if x.IsSuccess != "F" || x.Error != "ILLEGAL_SIGN" {
		t.Errorf("single_trade_query with a wrong key: %s", x.Raw)
	}
	x = query(t, good, map[string]string{"out_trade_no": newOutTradeNo("NONE")})
	if x.IsSuccess != "F" || x.Error != "TRADE_NOT_EXIST" {
		t.Errorf("single_trade_query of an unknown order: %s", x.Raw)
	}
	if got := good.verifyResponse(gateway+"?service=notify_verify&", "0123456789abcdef0123456789abcdefzz"); got != "false" {
		t.Errorf("notify_verify of an unknown id: %q", got)
	}
	if got := (&alipayConfig{}).verifyResponse(gateway+"?service=notify_verify&", "x"); got != "invalid" {
		t.Errorf("notify_verify with an empty partner: %q", got)
	}
}

// TestAntiPhishingAndPlainProduct: query_timestamp's encrypt_key as
// anti_phishing_key (§1.7), and the plain product's TRADE_FINISHED (§1.5).
func TestAntiPhishingAndPlainProduct(t *testing.T) {
	p := findPartner(t, "anti-phishing on, paying into TRADE_FINISHED", func(p partnerInfo) bool {
		return p.AntiPhishing == "on" && p.TradeStatusOnPay == "TRADE_FINISHED" && p.SignType == "MD5"
	})
	cfg, err := configOf(p, "utf-8")
	if err != nil {
		t.Fatal(err)
	}
	s := newShop(t, cfg)
	b := newBrowser()
	order := directPayOrder(cfg, s, newOutTradeNo("PHISH"), "goods", "0.02")
	if page := b.submit(t, cfg.buildRequestForm("create_direct_pay_by_user", order, "get")); !strings.Contains(page.Body, "ILLEGAL_ANTI_PHISHING_KEY") {
		t.Errorf("an order without anti_phishing_key: %+v", page)
	}
	// The demo's query_timestamp: an unsigned GET, the key read from
	// //response/timestamp/encrypt_key.
	resp, err := http.Get(gateway + "?service=query_timestamp&partner=" + cfg.Partner + "&_input_charset=utf-8")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	ts := parseXML(t, string(raw))
	if ts.IsSuccess != "T" || ts.Node != "timestamp" || ts.Fields["encrypt_key"] == "" || len(ts.Fields) != 1 {
		t.Fatalf("query_timestamp: %s", raw)
	}
	order["anti_phishing_key"] = ts.Fields["encrypt_key"]
	b.pay(t, b.submit(t, cfg.buildRequestForm("create_direct_pay_by_user", order, "get")))
	if r := s.lastReturn(t); !r.SignOK || r.Verify != "true" || r.Params["trade_status"] != "TRADE_FINISHED" {
		t.Errorf("plain product return: %+v", r)
	}
	if n := s.next(t); n.Answer != "success" || n.Params["trade_status"] != "TRADE_FINISHED" {
		t.Errorf("plain product notification: %+v", n)
	}
}

// TestRSAPartner: sign_type=RSA (SHA1withRSA) end to end.
func TestRSAPartner(t *testing.T) {
	p := findPartner(t, "configured with RSA keys", func(p partnerInfo) bool { return p.SignType == "RSA" && p.PrivateKeyPEM != "" })
	cfg, err := configOf(p, "utf-8")
	if err != nil {
		t.Fatal(err)
	}
	s := newShop(t, cfg)
	b := newBrowser()
	b.pay(t, b.submit(t, cfg.buildRequestForm("create_direct_pay_by_user", directPayOrder(cfg, s, newOutTradeNo("RSA"), "goods", "0.03"), "post")))
	if r := s.lastReturn(t); !r.SignOK || r.Verify != "true" || r.Params["sign_type"] != "RSA" {
		t.Errorf("RSA return: %+v", r)
	}
	if n := s.next(t); n.Answer != "success" || n.Params["sign_type"] != "RSA" {
		t.Errorf("RSA notification: %+v", n)
	}
}

// queryXML is an <alipay> answer: is_success, error, the node under
// <response> with its fields, sign and sign_type.
type queryXML struct {
	Raw       string
	IsSuccess string
	Error     string
	Node      string
	Fields    map[string]string
	Sign      string
	SignType  string
}

func (x *queryXML) verify(cfg *alipayConfig) bool {
	return cfg.sign(cfg.encode(createLinkString(paraFilter(x.Fields))), x.SignType) == x.Sign
}

func query(t *testing.T, cfg *alipayConfig, p map[string]string) *queryXML {
	t.Helper()
	body, err := cfg.buildRequestHTTP("single_trade_query", p)
	if err != nil {
		t.Fatal(err)
	}
	return parseXML(t, body)
}

func parseXML(t *testing.T, raw string) *queryXML {
	t.Helper()
	type node struct {
		XMLName  xml.Name
		Text     string `xml:",chardata"`
		Children []node `xml:",any"`
	}
	var doc struct {
		IsSuccess string `xml:"is_success"`
		Error     string `xml:"error"`
		Response  struct {
			Nodes []node `xml:",any"`
		} `xml:"response"`
		Sign     string `xml:"sign"`
		SignType string `xml:"sign_type"`
	}
	d := xml.NewDecoder(strings.NewReader(raw))
	d.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		if strings.EqualFold(label, "gbk") {
			return simplifiedchinese.GBK.NewDecoder().Reader(in), nil
		}
		return nil, fmt.Errorf("unknown charset %q", label)
	}
	if err := d.Decode(&doc); err != nil {
		t.Fatalf("answer is not the gateway's XML: %v\n%s", err, raw)
	}
	x := &queryXML{Raw: raw, IsSuccess: doc.IsSuccess, Error: doc.Error, Fields: map[string]string{}, Sign: doc.Sign, SignType: doc.SignType}
	if len(doc.Response.Nodes) > 0 {
		x.Node = doc.Response.Nodes[0].XMLName.Local
		for _, c := range doc.Response.Nodes[0].Children {
			x.Fields[c.XMLName.Local] = c.Text
		}
	}
	return x
}

// waitFor polls a condition that the server makes true within seconds;
// mockpay runs on real time here, so there is no clock to advance.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 5s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestRefundPwdPage: refund_fastpay_by_platform_pwd is a page service: the
// seller's browser goes to the platform's confirmation page, and only the
// confirmation refunds (§1.9).
func TestRefundPwdPage(t *testing.T) {
	cfg, err := configOf(md5Partner(t), "utf-8")
	if err != nil {
		t.Fatal(err)
	}
	s := newShop(t, cfg)
	b := newBrowser()
	b.pay(t, b.submit(t, cfg.buildRequestForm("create_direct_pay_by_user", directPayOrder(cfg, s, newOutTradeNo("PWD"), "goods", "0.05"), "get")))
	s.next(t)
	tradeNo := s.lastReturn(t).Params["trade_no"]

	gw := b.submit(t, cfg.buildRequestForm("refund_fastpay_by_platform_pwd", refundBatch(s, tradeNo+"^0.02^partial"), "post"))
	if gw.Status != http.StatusSeeOther || gw.Location == "" {
		t.Fatalf("the gateway did not send the seller to the confirmation page: %+v", gw)
	}
	page := b.get(t, gw.Location)
	if !strings.Contains(page.Body, `data-testid="refund-confirm"`) || !strings.Contains(page.Body, tradeNo) {
		t.Fatalf("confirmation page: %s", page.Body)
	}
	select {
	case n := <-s.arrived:
		t.Fatalf("a notification before the seller confirmed: %+v", n)
	default:
	}
	b.post(t, gw.Location, url.Values{"action": {"confirm"}})
	got := map[string]notice{}
	for range 2 {
		n := s.next(t)
		got[n.Params["notify_type"]] = n
	}
	if n := got["batch_refund_notify"]; n.Answer != "success" || n.Params["result_details"] != tradeNo+"^0.02^SUCCESS" {
		t.Errorf("batch_refund_notify: %+v", n)
	}
	if n := got["trade_status_sync"]; n.Answer != "success" || n.Params["trade_status"] != "TRADE_SUCCESS" || n.Params["refund_status"] != "REFUND_SUCCESS" {
		t.Errorf("the partly refunded trade's notification: %+v", n)
	}
}
