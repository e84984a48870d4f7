package instance_test

import (
	"fmt"
	"io"

	"github.com/mockpay/mockpay/channel/wechatpay/kit"
)

// wechatpayV2Paths are APIv2's routes (channel/wechatpay/v2 Routes).
var wechatpayV2Paths = func() []string {
	fns := []string{"/pay/unifiedorder", "/pay/orderquery", "/pay/closeorder", "/secapi/pay/refund", "/pay/refundquery",
		"/pay/micropay", "/secapi/pay/reverse"}
	out := append([]string{}, fns...)
	for _, prefix := range []string{"/sandboxnew", "/xdc/apiv2sandbox"} {
		for _, f := range fns {
			out = append(out, prefix+f)
		}
		out = append(out, prefix+"/pay/refund", prefix+"/pay/reverse")
	}
	return append(out, "/sandboxnew/pay/getsignkey", "/xdc/apiv2getsignkey/sign/getsignkey")
}()

// wechatV2Fields are the request fields APIv2's functions read.
var wechatV2Fields = []string{"appid", "mch_id", "nonce_str", "sign", "sign_type", "body", "attach", "out_trade_no",
	"total_fee", "spbill_create_ip", "notify_url", "trade_type", "openid", "device_info", "time_expire",
	"transaction_id", "out_refund_no", "refund_fee", "refund_desc", "offset", "refund_id", "auth_code"}

// wechatpayV2Probes adds APIv2's routes: GET reads nothing (it is refused
// in XML); POST reads XML fields, probed as a whole hostile body, unsigned,
// and signed with the fixture merchant's key, so that a value reaches the
// function and may come back (a stored attach in orderquery, say).
func wechatpayV2Probes(m map[string]positions) {
	for _, path := range wechatpayV2Paths {
		p := path
		m["GET "+p] = positions{}
		m["POST "+p] = positions{extra: func(s *seeds, v string) []probeReq { return s.wechatV2(p, v) }}
	}
}

var wechatV2Seq int

func (s *seeds) wechatV2(path, v string) []probeReq {
	c := s.e.wxV2(kit.ModeCertificate)
	xmlReq := func(target string, fields map[string]string) probeReq {
		req := c.Request(target, "MD5", fields, false)
		b, _ := io.ReadAll(req.Body)
		return probeReq{method: "POST", target: target, contentType: "text/xml", body: string(b)}
	}
	out := []probeReq{{method: "POST", target: path, contentType: "text/xml", body: v},
		{method: "POST", target: path, contentType: "text/xml", body: "<xml><attach>" + v + "</attach></xml>"}}
	for _, f := range wechatV2Fields {
		wechatV2Seq++
		otn := fmt.Sprintf("REFLECTV2%d", wechatV2Seq)
		fields := map[string]string{"body": "b", "out_trade_no": otn, "total_fee": "1", "spbill_create_ip": "127.0.0.1",
			"notify_url": "http://127.0.0.1:1/n", "trade_type": "NATIVE", "out_refund_no": otn + "R", "refund_fee": "1",
			"auth_code": "134666666666666666"}
		fields[f] = v
		out = append(out, xmlReq(path, fields))
		if f == "attach" || f == "openid" || f == "device_info" {
			// Then queried: what the order stored comes back.
			out = append(out, xmlReq("/pay/orderquery", map[string]string{"out_trade_no": otn, "device_info": fields["device_info"]}))
		}
	}
	return out
}
