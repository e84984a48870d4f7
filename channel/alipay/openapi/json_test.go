package openapi_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/mockpay/mockpay/channel/alipay/openapi"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/sign"
)

// TestObject: mockpay writes node bytes itself, since SDKs sign and cut the
// exact bytes emitted (alipay-protocol.md §2.5, §6.2).
func TestObject(t *testing.T) {
	cases := []struct {
		name  string
		build func(o *openapi.Object)
		want  string
	}{
		{"empty object", func(o *openapi.Object) {}, `{}`},
		{"key order kept, not sorted", func(o *openapi.Object) {
			o.Str("msg", "Success").Str("code", "10000").Str("a", "1")
		}, `{"msg":"Success","code":"10000","a":"1"}`},
		{"html characters written as they are, as the platform does (issue 12)", func(o *openapi.Object) {
			o.Str("subject", "<b>&</b>")
		}, `{"subject":"<b>&</b>"}`},
		{"U+2028, U+2029 and non-BMP characters raw", func(o *openapi.Object) {
			o.Str("body", "a\u2028b\u2029c😀𠜎")
		}, "{\"body\":\"a\u2028b\u2029c😀𠜎\"}"},
		{"control characters spelled as JSON.stringify does", func(o *openapi.Object) {
			o.Str("c", "\x00\x01\b\f\x1f\x7f")
		}, `{"c":"\u0000\u0001\b\f\u001f` + "\x7f" + `"}`},
		{"invalid utf-8 becomes U+FFFD", func(o *openapi.Object) {
			o.Str("x", "a\xffb")
		}, "{\"x\":\"a\uFFFDb\"}"},
		{"slash not escaped as \\/ (Java retries only as a fallback, §2.5)", func(o *openapi.Object) {
			o.Str("qr_code", "https://qr.alipay.com/abc")
		}, `{"qr_code":"https://qr.alipay.com/abc"}`},
		{"chinese left as utf-8", func(o *openapi.Object) {
			o.Str("sub_msg", "交易不存在")
		}, `{"sub_msg":"交易不存在"}`},
		{"quotes, backslashes, control characters", func(o *openapi.Object) {
			o.Str("s", "a\"b\\c\nd\te")
		}, `{"s":"a\"b\\c\nd\te"}`},
		{"escaped key", func(o *openapi.Object) {
			o.Str(`k"<`, "v")
		}, `{"k\"<":"v"}`},
		{"empty string kept by Str", func(o *openapi.Object) {
			o.Str("a", "")
		}, `{"a":""}`},
		{"StrNonEmpty skips empty", func(o *openapi.Object) {
			o.StrNonEmpty("a", "").StrNonEmpty("b", "2").StrNonEmpty("c", "")
		}, `{"b":"2"}`},
		{"StrNonEmpty only empties", func(o *openapi.Object) {
			o.StrNonEmpty("a", "")
		}, `{}`},
		{"raw array and nested object", func(o *openapi.Object) {
			inner := (&openapi.Object{}).Str("fund_channel", "ALIPAYACCOUNT").Str("amount", "0.01")
			o.Str("code", "10000").Raw("fund_bill_list", "["+inner.JSON()+"]").Raw("empty", (&openapi.Object{}).JSON())
		}, `{"code":"10000","fund_bill_list":[{"fund_channel":"ALIPAYACCOUNT","amount":"0.01"}],"empty":{}}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := &openapi.Object{}
			c.build(o)
			got := o.JSON()
			if got != c.want {
				t.Errorf("JSON() = %s, want %s", got, c.want)
			}
			if !json.Valid([]byte(got)) {
				t.Errorf("JSON() = %s is not valid JSON", got)
			}
			if again := o.JSON(); again != got {
				t.Errorf("second JSON() = %s, first %s", again, got)
			}
		})
	}
}

// TestNodeName: method with dots as underscores + "_response" (§2.5).
func TestNodeName(t *testing.T) {
	cases := []struct{ method, want string }{
		{"alipay.trade.query", "alipay_trade_query_response"},
		{"alipay.trade.page.pay", "alipay_trade_page_pay_response"},
		{"alipay.data.dataservice.bill.downloadurl.query", "alipay_data_dataservice_bill_downloadurl_query_response"},
		{"", "error_response"},
		{"alipay.trade.teleport", "alipay_trade_teleport_response"}, // unknown but well-formed
		// Anything outside the name charset never becomes a node name.
		{"<script>alert(1)</script>", "error_response"},
		{`a"b`, "error_response"},
		{"alipay.trade.query\u2028", "error_response"},
		{"Alipay.Trade.Query", "error_response"},
		{"alipay..trade", "error_response"},
		{".alipay", "error_response"},
		{"alipay.", "error_response"},
		{"alipay_trade_query", "error_response"},
		{"alipay.trade.query\x00", "error_response"},
	}
	for _, c := range cases {
		if got := openapi.NodeName(c.method); got != c.want {
			t.Errorf("NodeName(%q) = %q, want %q", c.method, got, c.want)
		}
	}
}

func TestValidMethodName(t *testing.T) {
	for _, ok := range []string{"alipay.trade.query", "alipay.data.dataservice.bill.downloadurl.query", "a", "monitor.heartbeat.syn", "alipay.v2.x"} {
		if !openapi.ValidMethodName(ok) {
			t.Errorf("%q refused", ok)
		}
	}
	for _, bad := range []string{"", ".", "a.", ".a", "a..b", "a b", "a-b", "A", "a/b", "交易", "a.b\n", strings.Repeat("a", 129)} {
		if openapi.ValidMethodName(bad) {
			t.Errorf("%q accepted", bad)
		}
	}
}

// TestErrorNode: code, msg, sub_code, sub_msg first, then the echoed trade
// keys that are not empty (§2.6 "Real error-node content").
func TestErrorNode(t *testing.T) {
	w := openapi.WireErrorOf(payment.Errorf(payment.CodeTradeNotExist, "no such trade"))
	cases := []struct {
		name   string
		subMsg string
		echo   []sign.Param
		want   string
	}{
		{"default sub_msg", "", nil,
			`{"code":"40004","msg":"Business Failed","sub_code":"ACQ.TRADE_NOT_EXIST","sub_msg":"交易不存在"}`},
		{"own sub_msg and echo", "查无此单", []sign.Param{{Key: "out_trade_no", Value: "A1"}, {Key: "trade_no", Value: ""}},
			`{"code":"40004","msg":"Business Failed","sub_code":"ACQ.TRADE_NOT_EXIST","sub_msg":"查无此单","out_trade_no":"A1"}`},
	}
	for _, c := range cases {
		if got := openapi.ErrorNode(w, c.subMsg, c.echo...).JSON(); got != c.want {
			t.Errorf("%s: ErrorNode = %s, want %s", c.name, got, c.want)
		}
	}
}
