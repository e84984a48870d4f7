package instance_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/mockpay/mockpay/internal/merchant"
)

// seed fills the sandbox for the reflection sweep: a paid trade and its
// cashier, a precreate code, and every hostile value stored where mockpay
// shows merchant text later (order bodies in cashier and dashboard, app
// names, the shop's answers to notifications).
func (e *env) seed() *seeds {
	e.t.Helper()
	var all []string
	for _, h := range hostiles {
		all = append(all, h.value)
	}
	answer := strings.Join(all, " ")
	e.shop.setAnswer(func(int) (int, string) { return http.StatusOK, answer })

	s := &seeds{e: e, outTradeNo: "XSS-SEED"}
	cashier, _ := e.openCashier(e.m.PageURL("alipay.trade.page.pay", pageBiz(s.outTradeNo, "1.00"), e.urls()))
	s.token = strings.TrimPrefix(cashier, e.app.URL+"/cashier/")
	resp, body := e.press(cashier, "pay")
	if resp.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("pay: %d %s", resp.StatusCode, body)
	}
	s.tradeNo = mustQuery(e.t.(*testing.T), resp.Header.Get("Location")).Get("trade_no")
	qr := e.precreate("XSS-QR", "1.00")
	s.qr = qr[strings.LastIndex(qr, "/")+1:]

	l := e.partner(md5PID)
	for i, h := range hostiles {
		if utf8.RuneCountInString(h.value) <= 128 {
			biz := pageBiz(fmt.Sprintf("XSS-STORED-%d", i), "1.00")
			biz["body"] = h.value
			e.open(e.m.PageURL("alipay.trade.page.pay", biz, e.urls()))
		}
		order := e.directPay(md5PID, fmt.Sprintf("XSS-LEGACY-%d", i), "1.00")
		order["body"] = h.value
		e.open(l.PageURL("create_direct_pay_by_user", order))
		e.api("POST", "/apps", map[string]string{"name": h.value}, nil)
	}
	return s
}

// open is a buyer following a page-method URL into the cashier, which
// creates the trade; an order mockpay refuses stays an error page.
func (e *env) open(u string) {
	e.t.Helper()
	if resp, _ := e.get(u); resp.Header.Get("Location") != "" {
		e.get(e.abs(resp.Header.Get("Location")))
	}
}

// signedGateway is the gateway's deep positions: signed OpenAPI and legacy
// calls carrying v in business fields, URLs and envelope fields, so that v
// reaches the handlers, the cashier and the error echoes.
func (s *seeds) signedGateway(v string) []probeReq {
	return append(s.signedOpenAPI(v), s.signedLegacy(v)...)
}

func (s *seeds) signedOpenAPI(v string) []probeReq {
	e := s.e
	var out []probeReq
	n := 0
	next := func() string { n++; return fmt.Sprintf("XSS-%d-%d", len(v), n) }
	page := func(c *merchant.Client, biz map[string]any, extra map[string]string) {
		if q, ok := params(c, "alipay.trade.page.pay", biz, extra); ok {
			out = append(out, probeReq{method: "GET", target: "/gateway.do?" + q.Encode()})
		}
	}
	call := func(c *merchant.Client, method string, biz map[string]any, extra map[string]string) {
		if q, ok := params(c, method, biz, extra); ok {
			out = append(out, probeReq{method: "POST", target: "/gateway.do", contentType: "application/x-www-form-urlencoded", body: q.Encode()})
		}
	}
	gbk := *e.m
	gbk.Charset = "gbk"
	for _, c := range []*merchant.Client{e.m, &gbk} {
		for _, field := range []string{"subject", "body", "out_trade_no", "total_amount", "timeout_express", "time_expire", "passback_params"} {
			biz := pageBiz(next(), "1.00")
			biz[field] = v
			page(c, biz, e.urls())
		}
		for _, field := range []string{"return_url", "notify_url"} {
			urls := e.urls()
			urls[field] = v
			page(c, pageBiz(next(), "1.00"), urls)
		}
		for _, field := range []string{"timestamp", "version", "format", "app_cert_sn", "x"} {
			call(c, "alipay.trade.query", map[string]any{"out_trade_no": s.outTradeNo}, map[string]string{field: v})
		}
		call(c, "alipay.trade.query", map[string]any{"out_trade_no": v}, nil)
		call(c, "alipay.trade.query", map[string]any{"trade_no": v}, nil)
		call(c, "alipay.trade.close", map[string]any{"out_trade_no": v}, nil)
		call(c, "alipay.trade.refund", map[string]any{"out_trade_no": s.outTradeNo, "refund_amount": "0.01", "out_request_no": v}, nil)
		call(c, "alipay.trade.refund", map[string]any{"out_trade_no": s.outTradeNo, "refund_amount": v}, nil)
		call(c, "alipay.trade.fastpay.refund.query", map[string]any{"out_trade_no": s.outTradeNo, "out_request_no": v}, nil)
		call(c, "alipay.trade.precreate", map[string]any{"out_trade_no": next(), "total_amount": "1.00", "subject": v}, nil)
		call(c, "alipay.trade.create", map[string]any{"out_trade_no": next(), "total_amount": "1.00", "subject": "x", "buyer_id": v}, nil)
		call(c, "alipay.trade.pay", map[string]any{"out_trade_no": next(), "total_amount": "1.00", "subject": "x", "scene": "bar_code", "auth_code": v}, nil)
		call(c, "alipay.data.dataservice.bill.downloadurl.query", map[string]any{"bill_type": v, "bill_date": "2026-04-30"}, nil)
		call(c, "alipay.open.app.alipaycert.download", map[string]any{"alipay_cert_sn": v}, nil)
	}
	return out
}

// params signs a call, or reports false when v cannot be sent in the
// client's charset (a gbk client cannot encode invalid UTF-8).
func params(c *merchant.Client, method string, biz map[string]any, extra map[string]string) (q url.Values, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return c.Params(method, biz, extra), true
}

func (s *seeds) signedLegacy(v string) []probeReq {
	e := s.e
	l := e.partner(md5PID)
	var out []probeReq
	get := func(service string, p map[string]string) {
		out = append(out, probeReq{method: "GET", target: "/gateway.do?" + l.Params(service, p).Encode()})
	}
	post := func(service string, p map[string]string) {
		out = append(out, probeReq{method: "POST", target: "/gateway.do", contentType: "application/x-www-form-urlencoded", body: l.Params(service, p).Encode()})
	}
	for i, field := range []string{"subject", "body", "out_trade_no", "total_fee", "return_url", "notify_url", "show_url", "extra_common_param", "it_b_pay", "seller_id"} {
		order := e.directPay(md5PID, fmt.Sprintf("XSS-L-%d-%d", len(v), i), "1.00")
		order[field] = v
		get("create_direct_pay_by_user", order)
	}
	post("single_trade_query", map[string]string{"out_trade_no": v})
	post("single_trade_query", map[string]string{"trade_no": v})
	post("close_trade", map[string]string{"out_trade_no": v})
	post("refund_fastpay_by_platform_nopwd", map[string]string{"batch_no": v, "batch_num": "1", "detail_data": v, "refund_date": "2026-05-01 10:00:00"})
	get("refund_fastpay_by_platform_pwd", map[string]string{"batch_no": v, "batch_num": "1", "detail_data": v, "refund_date": "2026-05-01 10:00:00"})
	post("query_timestamp", map[string]string{"x": v})
	out = append(out, probeReq{method: "GET", target: "/gateway.do?" + url.Values{"service": {"notify_verify"}, "partner": {md5PID}, "notify_id": {v}}.Encode()})
	return out
}

// journaled puts v into the request journal first (an OpenAPI call with a
// bad signature, whose diagnosis lists v among the parameters, and a legacy
// one naming v as its service and partner's parameter), then asks for the
// dashboard page that shows the journal: page, or the entry's own page when
// page is "entry". Dashboard pages are not journaled, so the ids are known.
func journaled(page string) func(s *seeds, v string) []probeReq {
	return func(s *seeds, v string) []probeReq {
		openapi := url.Values{"method": {v}, "app_id": {"2021000122600001"}, "sign_type": {"RSA2"}, "sign": {"AAAA"},
			"charset": {"utf-8"}, "timestamp": {"2026-05-01 10:00:00"}, "version": {"1.0"}, "biz_content": {v}, "x": {v}}
		signed := url.Values{"method": {"alipay.trade.query"}, "app_id": {"2021000122600001"}, "sign_type": {"RSA2"},
			"sign": {"dGhpcyBpcyBub3QgYSBzaWduYXR1cmUgb2YgdGhlIHJpZ2h0IHNpemUgYXQgYWxs"}, "charset": {"utf-8"},
			"timestamp": {"2026-05-01 10:00:00"}, "version": {"1.0"}, "biz_content": {v}, v: {v}}
		legacy := url.Values{"service": {"single_trade_query"}, "partner": {md5PID}, "_input_charset": {"utf-8"},
			"sign_type": {"MD5"}, "sign": {"0123456789abcdef0123456789abcdef"}, "out_trade_no": {v}}
		out := []probeReq{
			{method: "GET", target: "/gateway.do?" + openapi.Encode()},
			{method: "POST", target: "/gateway.do", contentType: "application/x-www-form-urlencoded", body: signed.Encode()},
			{method: "GET", target: "/gateway.do?" + legacy.Encode()},
		}
		last := s.e.app.Journal.Last()
		if page != "entry" {
			return append(out, probeReq{method: "GET", target: page})
		}
		for id, end := last+1, last+int64(len(out)); id <= end; id++ {
			out = append(out, probeReq{method: "GET", target: fmt.Sprintf("/_mockpay/requests/%d", id)})
		}
		return out
	}
}

// triggers are whole trigger bodies with v in each field in turn, so that a
// hostile value meets the trade it makes (and the pages that show it).
func triggers(s *seeds, v string) []probeReq {
	var out []probeReq
	for _, k := range []string{"app_id", "amount", "subject", "notify_url", "out_trade_no", "outcome", "refund_amount"} {
		body := map[string]string{"app_id": "2021000122600001", "amount": "1.00", "outcome": "refunded", "subject": "probe",
			"notify_url": s.e.shop.URL + "/notify"}
		body[k] = v
		b, _ := json.Marshal(body)
		out = append(out, probeReq{method: "POST", target: "/_mockpay/api/trades", contentType: "application/json", body: string(b)})
	}
	return out
}
