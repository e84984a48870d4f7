package v2

import (
	"fmt"
	"net/http"
	"time"

	"github.com/mockpay/mockpay/channel"
)

// AckBody is the acknowledgement §1.9 documents, what a shop answers.
const AckBody = `<xml><return_code><![CDATA[SUCCESS]]></return_code><return_msg><![CDATA[OK]]></return_msg></xml>`

// Judge is §1.9's rule: HTTP 200 and an XML body whose return_code is
// SUCCESS. A bare "SUCCESS", a FAIL or anything else is a failure and the
// notification is retried (whether the platform takes looser answers is
// unconfirmed, so the strict form is what mockpay takes).
func Judge(a channel.Answer) (bool, string) {
	if a.StatusCode != http.StatusOK {
		return false, fmt.Sprintf("HTTP %d: the platform needs 200 with %s", a.StatusCode, AckBody)
	}
	v, err := Decode(a.Body)
	if err != nil {
		return false, fmt.Sprintf("the answer must be the XML %s; got %s", AckBody, channel.Quote(a.Body))
	}
	switch v["return_code"] {
	case "SUCCESS":
		return true, "acknowledged"
	case "":
		return false, fmt.Sprintf("the answer's XML has no return_code; got %s", channel.Quote(a.Body))
	default:
		return false, fmt.Sprintf("the shop answered return_code %s (%s)", v["return_code"], v["return_msg"])
	}
}

// XMLRequest is a notification attempt as the platform posts it.
func XMLRequest(body []byte) channel.Request {
	return channel.Request{Body: string(body), Header: http.Header{"Content-Type": {"text/xml"}}}
}

// PayResult is what a pay notification says of a paid trade (§1.9).
type PayResult struct {
	OpenID, TradeType, BankType string
	TotalFee, CashFee           int64
	TransactionID, OutTradeNo   string
	Attach, DeviceInfo          string
	TimeEnd                     time.Time // in China Standard Time on the wire
}

// PayNotification is the pay result notification's body: signed with the
// order's sign type and carrying no sign_type field (§1.9, P-V2-2).
func PayNotification(m Merchant, nonce string, r PayResult) []byte {
	fields := []Field{
		{"appid", m.AppID}, {"bank_type", r.BankType}, {"cash_fee", itoa(r.CashFee)}, {"device_info", r.DeviceInfo},
		{"fee_type", "CNY"}, {"is_subscribe", "N"}, {"mch_id", m.MchID}, {"nonce_str", nonce}, {"openid", r.OpenID},
		{"out_trade_no", r.OutTradeNo}, {"result_code", "SUCCESS"}, {"return_code", "SUCCESS"},
		{"time_end", Time(r.TimeEnd)}, {"total_fee", itoa(r.TotalFee)}, {"trade_type", r.TradeType},
		{"transaction_id", r.TransactionID}, {"attach", r.Attach},
	}
	return Encode(SignFields(fields, m.Key, m.SignType))
}

// RefundResult is what a refund notification's req_info says (§1.9).
type RefundResult struct {
	TransactionID, OutTradeNo, RefundID, OutRefundNo string
	TotalFee, RefundFee                              int64
	Status                                           string // SUCCESS, CHANGE or REFUNDCLOSE
	SuccessTime                                      time.Time
	RecvAccount                                      string
}

// RefundNotification is the refund notification's body: the outer fields and
// req_info, the result encrypted under the APIv2 key, and no sign (§1.9,
// P-V2-5). Only the key holder can read it, which is its authentication.
func RefundNotification(m Merchant, nonce string, r RefundResult) []byte {
	plain := encodeRoot(refundFields(r))
	return Encode([]Field{{"return_code", "SUCCESS"}, {"appid", m.AppID}, {"mch_id", m.MchID},
		{"nonce_str", nonce}, {"req_info", EncryptReqInfo(plain, m.Key)}})
}

// refundFields are req_info's fields (§1.9).
func refundFields(r RefundResult) []Field {
	inner := []Field{
		{"out_refund_no", r.OutRefundNo}, {"out_trade_no", r.OutTradeNo},
		{"refund_account", RefundAccount}, {"refund_fee", itoa(r.RefundFee)},
		{"refund_id", r.RefundID}, {"refund_recv_accout", r.RecvAccount}, {"refund_request_source", "API"},
		{"refund_status", r.Status}, {"settlement_refund_fee", itoa(r.RefundFee)},
		{"settlement_total_fee", itoa(r.TotalFee)}, {"total_fee", itoa(r.TotalFee)},
		{"transaction_id", r.TransactionID},
	}
	if r.Status == "SUCCESS" {
		inner = append(inner, Field{"success_time", r.SuccessTime.In(cst).Format("2006-01-02 15:04:05")})
	}
	return inner
}

// encodeRoot is req_info's plaintext: the same fields under <root>.
func encodeRoot(fields []Field) []byte {
	b := Encode(fields)
	return append(append([]byte("<root>"), b[len("<xml>"):len(b)-len("</xml>")]...), "</root>"...)
}
