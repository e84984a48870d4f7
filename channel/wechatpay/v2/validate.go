package v2

import (
	"net"
	"net/url"
	"regexp"
	"strconv"
	"unicode/utf8"
)

// The trade types of unifiedorder (§1.5).
const (
	TradeJSAPI  = "JSAPI"
	TradeNative = "NATIVE"
	TradeApp    = "APP"
	TradeMWeb   = "MWEB"
	// TradeMicropay is what a micropay trade says it was (payment code).
	TradeMicropay = "MICROPAY"
)

var (
	outTradeNoPattern  = regexp.MustCompile(`^[0-9A-Za-z_\-|*]{6,32}$`)
	outRefundNoPattern = regexp.MustCompile(`^[0-9A-Za-z_\-|*@]{1,64}$`)
	nonceMax           = 32
	feePattern         = regexp.MustCompile(`^[1-9][0-9]{0,9}$`)
	// authCodePattern is a WeChat payment code: 18 digits starting 10-15
	// (the platform's documented shape).
	authCodePattern = regexp.MustCompile(`^1[0-5][0-9]{16}$`)
)

// Common checks what every call carries before its signature is checked
// (§1.3): mch_id, nonce_str and sign, a known sign_type.
func Common(v Values) (SignType, *Failure) {
	for _, f := range []string{"mch_id", "nonce_str", "sign"} {
		if v[f] == "" {
			return "", ReturnFail("缺少参数" + f)
		}
	}
	if len(v["nonce_str"]) > nonceMax {
		return "", formatFail("nonce_str")
	}
	t, ok := ParseSignType(v["sign_type"])
	if !ok {
		return "", FailSignType
	}
	return t, nil
}

// formatFail is a malformed field: return_code FAIL, "<field>参数格式错误"
// (§1.3).
func formatFail(field string) *Failure { return ReturnFail(field + "参数格式错误") }

// lack is a missing business field: LACK_PARAMS naming it (§1.10).
func lack(field string) *Failure { return Refuse(ErrLackParams, "缺少参数"+field) }

func require(v Values, fields ...string) *Failure {
	for _, f := range fields {
		if v[f] == "" {
			return lack(f)
		}
	}
	return nil
}

// Fee reads a fee field: a positive integer of fen (§1.5: 0 is invalid).
func Fee(v Values, field string) (int64, *Failure) {
	s := v[field]
	if !feePattern.MatchString(s) {
		return 0, ReturnFail("invalid " + field)
	}
	n, _ := strconv.ParseInt(s, 10, 64)
	return n, nil
}

// CheckUnifiedOrder validates a signed unifiedorder's fields (§1.5).
func CheckUnifiedOrder(v Values) *Failure {
	if f := require(v, "appid", "body", "out_trade_no", "total_fee", "spbill_create_ip", "notify_url", "trade_type"); f != nil {
		return f
	}
	switch v["trade_type"] {
	case TradeJSAPI, TradeNative, TradeApp, TradeMWeb:
	default:
		return ReturnFail("invalid trade_type")
	}
	if v["trade_type"] == TradeJSAPI && v["openid"] == "" && v["sub_openid"] == "" {
		// The platform's best-known answer (§1.5: openid is required for JSAPI).
		return ReturnFail("JSAPI支付必须传openid")
	}
	if f := checkOrderFields(v); f != nil {
		return f
	}
	if !notifyURL(v["notify_url"]) {
		return formatFail("notify_url")
	}
	if ft := v["fee_type"]; ft != "" && ft != "CNY" {
		return formatFail("fee_type")
	}
	for _, f := range []string{"time_start", "time_expire"} {
		if s := v[f]; s != "" {
			if _, err := ParseTime(s); err != nil {
				return formatFail(f)
			}
		}
	}
	if lp := v["limit_pay"]; lp != "" && lp != "no_credit" {
		return formatFail("limit_pay")
	}
	return nil
}

// checkOrderFields are the rules unifiedorder and micropay share (§1.5):
// body and attach lengths, out_trade_no's shape, total_fee, the IP.
func checkOrderFields(v Values) *Failure {
	if len(v["body"]) > 128 || !utf8.ValidString(v["body"]) {
		return ReturnFail("body参数长度有误")
	}
	if len(v["attach"]) > 127 {
		return ReturnFail("attach参数长度有误")
	}
	if !outTradeNoPattern.MatchString(v["out_trade_no"]) {
		return formatFail("out_trade_no")
	}
	if _, f := Fee(v, "total_fee"); f != nil {
		return f
	}
	if net.ParseIP(v["spbill_create_ip"]) == nil {
		return ReturnFail("invalid spbill_create_ip")
	}
	return nil
}

// notifyURL is §1.5's rule: an absolute http(s) URL without a query string.
func notifyURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.RawQuery == "" && !u.ForceQuery
}

// CheckOrderRef validates orderquery's and closeorder's order reference
// (§1.6, §1.7): closeorder needs out_trade_no; orderquery either id.
func CheckOrderRef(v Values, closing bool) *Failure {
	if f := require(v, "appid"); f != nil {
		return f
	}
	if closing {
		if f := require(v, "out_trade_no"); f != nil {
			return f
		}
	} else if v["out_trade_no"] == "" && v["transaction_id"] == "" {
		return lack("out_trade_no或transaction_id")
	}
	if s := v["out_trade_no"]; s != "" && !outTradeNoPattern.MatchString(s) {
		return formatFail("out_trade_no")
	}
	return nil
}

// CheckRefund validates a refund's fields (§1.8).
func CheckRefund(v Values) *Failure {
	if f := require(v, "appid", "out_refund_no", "total_fee", "refund_fee"); f != nil {
		return f
	}
	if v["out_trade_no"] == "" && v["transaction_id"] == "" {
		return lack("out_trade_no或transaction_id")
	}
	if !outRefundNoPattern.MatchString(v["out_refund_no"]) {
		return formatFail("out_refund_no")
	}
	total, f := Fee(v, "total_fee")
	if f != nil {
		return f
	}
	refund, f := Fee(v, "refund_fee")
	if f != nil {
		return f
	}
	if refund > total {
		return Refuse(ErrParamError, "退款金额大于订单金额")
	}
	if ft := v["refund_fee_type"]; ft != "" && ft != "CNY" {
		return formatFail("refund_fee_type")
	}
	if s := v["notify_url"]; s != "" && !notifyURL(s) {
		return formatFail("notify_url")
	}
	return nil
}

// CheckRefundQuery validates refundquery's reference (§1.8): one of four
// ids, and an offset that is a number.
func CheckRefundQuery(v Values) *Failure {
	if f := require(v, "appid"); f != nil {
		return f
	}
	if v["refund_id"] == "" && v["out_refund_no"] == "" && v["transaction_id"] == "" && v["out_trade_no"] == "" {
		return lack("out_refund_no、out_trade_no、transaction_id、refund_id")
	}
	if s := v["offset"]; s != "" {
		if n, err := strconv.Atoi(s); err != nil || n < 0 {
			return formatFail("offset")
		}
	}
	return nil
}

// CheckMicropay validates a micropay's fields (§1.4, §1.10).
func CheckMicropay(v Values) *Failure {
	if f := require(v, "appid", "body", "out_trade_no", "total_fee", "spbill_create_ip", "auth_code"); f != nil {
		return f
	}
	if f := checkOrderFields(v); f != nil {
		return f
	}
	if !authCodePattern.MatchString(v["auth_code"]) {
		return Refuse(ErrAuthCodeError, "")
	}
	return nil
}
