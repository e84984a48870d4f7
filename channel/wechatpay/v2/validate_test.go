package v2

import "testing"

func unified() Values {
	return Values{"appid": "wx1", "mch_id": "1", "nonce_str": "n", "sign": "S", "body": "goods",
		"out_trade_no": "order-001", "total_fee": "1", "spbill_create_ip": "127.0.0.1",
		"notify_url": "http://shop.test/notify", "trade_type": "NATIVE"}
}

func TestCheckUnifiedOrder(t *testing.T) {
	cases := []struct {
		name   string
		change func(Values)
		ret    bool
		code   string
		msg    string
	}{
		{"ok", func(Values) {}, false, "", ""},
		{"jsapi with openid", func(v Values) { v["trade_type"] = "JSAPI"; v["openid"] = "o1" }, false, "", ""},
		{"ipv6", func(v Values) { v["spbill_create_ip"] = "::1" }, false, "", ""},
		{"https notify", func(v Values) { v["notify_url"] = "https://shop.test:8443/a/b" }, false, "", ""},
		{"expire", func(v Values) { v["time_expire"] = "20261201120000" }, false, "", ""},
		{"no body", func(v Values) { delete(v, "body") }, false, ErrLackParams, "缺少参数body"},
		{"no notify_url", func(v Values) { delete(v, "notify_url") }, false, ErrLackParams, "缺少参数notify_url"},
		{"no appid", func(v Values) { delete(v, "appid") }, false, ErrLackParams, "缺少参数appid"},
		{"jsapi without openid", func(v Values) { v["trade_type"] = "JSAPI" }, true, "", "JSAPI支付必须传openid"},
		{"unknown trade_type", func(v Values) { v["trade_type"] = "H5" }, true, "", "invalid trade_type"},
		{"zero fee", func(v Values) { v["total_fee"] = "0" }, true, "", "invalid total_fee"},
		{"yuan fee", func(v Values) { v["total_fee"] = "0.01" }, true, "", "invalid total_fee"},
		{"negative fee", func(v Values) { v["total_fee"] = "-1" }, true, "", "invalid total_fee"},
		{"short out_trade_no", func(v Values) { v["out_trade_no"] = "abc" }, true, "", "out_trade_no参数格式错误"},
		{"long out_trade_no", func(v Values) { v["out_trade_no"] = "123456789012345678901234567890123" }, true, "", "out_trade_no参数格式错误"},
		{"symbol out_trade_no", func(v Values) { v["out_trade_no"] = "order#0001" }, true, "", "out_trade_no参数格式错误"},
		{"bad ip", func(v Values) { v["spbill_create_ip"] = "localhost" }, true, "", "invalid spbill_create_ip"},
		{"notify query", func(v Values) { v["notify_url"] = "http://shop.test/notify?a=1" }, true, "", "notify_url参数格式错误"},
		{"relative notify", func(v Values) { v["notify_url"] = "/notify" }, true, "", "notify_url参数格式错误"},
		{"long body", func(v Values) { v["body"] = string(make([]byte, 129)) }, true, "", "body参数长度有误"},
		{"fee_type", func(v Values) { v["fee_type"] = "USD" }, true, "", "fee_type参数格式错误"},
		{"time_expire", func(v Values) { v["time_expire"] = "2026-12-01 12:00:00" }, true, "", "time_expire参数格式错误"},
	}
	for _, c := range cases {
		v := unified()
		c.change(v)
		f := CheckUnifiedOrder(v)
		switch {
		case c.msg == "" && f != nil:
			t.Errorf("%s: refused: %v", c.name, f)
		case c.msg != "" && (f == nil || f.Return != c.ret || f.Code != c.code || f.Msg != c.msg):
			t.Errorf("%s: %+v, want return=%v %s %s", c.name, f, c.ret, c.code, c.msg)
		}
	}
}

func TestCommon(t *testing.T) {
	for _, c := range []struct {
		v    Values
		want string
		st   SignType
	}{
		{Values{"mch_id": "1", "nonce_str": "n", "sign": "S"}, "", MD5},
		{Values{"mch_id": "1", "nonce_str": "n", "sign": "S", "sign_type": "HMAC-SHA256"}, "", HMACSHA256},
		{Values{"nonce_str": "n", "sign": "S"}, "缺少参数mch_id", ""},
		{Values{"mch_id": "1", "sign": "S"}, "缺少参数nonce_str", ""},
		{Values{"mch_id": "1", "nonce_str": "n"}, "缺少参数sign", ""},
		{Values{"mch_id": "1", "nonce_str": "123456789012345678901234567890123", "sign": "S"}, "nonce_str参数格式错误", ""},
		{Values{"mch_id": "1", "nonce_str": "n", "sign": "S", "sign_type": "RSA"}, "sign_type参数错误", ""},
	} {
		st, f := Common(c.v)
		if c.want == "" && (f != nil || st != c.st) || c.want != "" && (f == nil || !f.Return || f.Msg != c.want) {
			t.Errorf("Common(%v) = %q %+v, want %q %q", c.v, st, f, c.st, c.want)
		}
	}
}

func TestCheckRefund(t *testing.T) {
	base := func() Values {
		return Values{"appid": "wx1", "out_trade_no": "order-001", "out_refund_no": "r1", "total_fee": "100", "refund_fee": "40"}
	}
	for _, c := range []struct {
		name   string
		change func(Values)
		code   string
		msg    string
	}{
		{"ok", func(Values) {}, "", ""},
		{"by transaction_id", func(v Values) { delete(v, "out_trade_no"); v["transaction_id"] = "42" }, "", ""},
		{"no order", func(v Values) { delete(v, "out_trade_no") }, ErrLackParams, "缺少参数out_trade_no或transaction_id"},
		{"no out_refund_no", func(v Values) { delete(v, "out_refund_no") }, ErrLackParams, "缺少参数out_refund_no"},
		{"more than the total", func(v Values) { v["refund_fee"] = "101" }, ErrParamError, "退款金额大于订单金额"},
		{"zero refund", func(v Values) { v["refund_fee"] = "0" }, "", "invalid refund_fee"},
		{"bad out_refund_no", func(v Values) { v["out_refund_no"] = "r 1" }, "", "out_refund_no参数格式错误"},
	} {
		v := base()
		c.change(v)
		f := CheckRefund(v)
		if c.msg == "" && f != nil || c.msg != "" && (f == nil || f.Code != c.code || f.Msg != c.msg || f.Return != (c.code == "")) {
			t.Errorf("%s: %+v", c.name, f)
		}
	}
}

func TestCheckQueries(t *testing.T) {
	if f := CheckOrderRef(Values{"appid": "wx1"}, false); f == nil || f.Code != ErrLackParams {
		t.Errorf("orderquery without ids: %+v", f)
	}
	if f := CheckOrderRef(Values{"appid": "wx1", "transaction_id": "1"}, true); f == nil || f.Msg != "缺少参数out_trade_no" {
		t.Errorf("closeorder without out_trade_no: %+v", f)
	}
	if f := CheckOrderRef(Values{"appid": "wx1", "transaction_id": "1"}, false); f != nil {
		t.Errorf("orderquery by transaction_id: %+v", f)
	}
	if f := CheckRefundQuery(Values{"appid": "wx1"}); f == nil || f.Code != ErrLackParams {
		t.Errorf("refundquery without ids: %+v", f)
	}
	if f := CheckRefundQuery(Values{"appid": "wx1", "refund_id": "1", "offset": "x"}); f == nil || f.Msg != "offset参数格式错误" {
		t.Errorf("refundquery offset: %+v", f)
	}
	if f := CheckMicropay(Values{"appid": "wx1", "body": "b", "out_trade_no": "order-001", "total_fee": "1",
		"spbill_create_ip": "1.2.3.4", "auth_code": "28123"}); f == nil || f.Code != ErrAuthCodeError {
		t.Errorf("micropay with a bad code: %+v", f)
	}
}
