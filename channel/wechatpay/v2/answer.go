package v2

import (
	"crypto/rand"
	"encoding/hex"
	"regexp"
)

// Kind names an APIv2 answer; each has its documented field set.
type Kind string

// The answers mockpay writes.
const (
	KindUnifiedOrder Kind = "unifiedorder"
	KindOrderQuery   Kind = "orderquery"
	KindCloseOrder   Kind = "closeorder"
	KindRefund       Kind = "refund"
	KindRefundQuery  Kind = "refundquery"
	KindMicropay     Kind = "micropay"
	KindReverse      Kind = "reverse"
)

// envelope is every answer's §1.3 layer.
var envelope = []string{"return_code", "return_msg", "appid", "mch_id", "nonce_str", "sign",
	"result_code", "err_code", "err_code_des"}

// documented is each answer's fields beyond the envelope as gopay's
// response structs know them (§1.5–§1.8; P-V2-3: gopay verifies a response
// by re-serialising its struct, so one field more breaks it).
var documented = map[Kind][]string{
	KindUnifiedOrder: {"device_info", "trade_type", "prepay_id", "code_url", "mweb_url"},
	KindOrderQuery: {"device_info", "openid", "is_subscribe", "trade_type", "trade_state", "bank_type", "total_fee",
		"settlement_total_fee", "fee_type", "cash_fee", "cash_fee_type", "coupon_fee", "coupon_count",
		"transaction_id", "out_trade_no", "attach", "time_end", "trade_state_desc"},
	KindCloseOrder: {"device_info"},
	KindRefund: {"transaction_id", "out_trade_no", "out_refund_no", "refund_id", "refund_fee",
		"settlement_refund_fee", "total_fee", "settlement_total_fee", "fee_type", "cash_fee", "cash_fee_type",
		"cash_refund_fee", "coupon_refund_fee", "coupon_refund_count"},
	KindRefundQuery: {"total_refund_count", "transaction_id", "out_trade_no", "total_fee",
		"settlement_total_fee", "fee_type", "cash_fee", "refund_count", "refund_fee"},
	KindMicropay: {"device_info", "openid", "is_subscribe", "trade_type", "bank_type", "fee_type", "total_fee",
		"settlement_total_fee", "coupon_fee", "cash_fee_type", "cash_fee", "transaction_id", "out_trade_no",
		"attach", "time_end"},
	KindReverse: {"recall"},
}

// refundQueryIndexed is refundquery's per-refund fields, suffixed _$n (§1.8).
var refundQueryIndexed = regexp.MustCompile(`^(out_refund_no|refund_id|refund_channel|refund_fee|settlement_refund_fee|refund_status|refund_account|refund_recv_accout|refund_success_time)_[0-9]$`)

// Documented says whether name belongs in an answer of kind k.
func Documented(k Kind, name string) bool {
	for _, f := range envelope {
		if f == name {
			return true
		}
	}
	for _, f := range documented[k] {
		if f == name {
			return true
		}
	}
	return k == KindRefundQuery && refundQueryIndexed.MatchString(name)
}

// Merchant is who an answer is addressed to and the key it is signed with.
type Merchant struct {
	AppID, MchID, Key string
	SignType          SignType
}

// NewNonce is a fresh 32-character nonce_str.
func NewNonce() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// FailAnswer is a communication-layer refusal: return_code FAIL and
// return_msg, nothing else, unsigned (§1.3, P-V2-1).
func FailAnswer(msg string) []byte {
	return Encode([]Field{{"return_code", "FAIL"}, {"return_msg", msg}})
}

// SuccessAnswer is an accepted request's answer of kind k: the envelope with
// result_code SUCCESS, the fields given (only documented ones; an
// undocumented name is dropped), signed with the request's sign type
// (§1.2, P-V2-1, P-V2-3).
func SuccessAnswer(k Kind, m Merchant, nonce string, fields []Field) []byte {
	out := []Field{{"return_code", "SUCCESS"}, {"return_msg", "OK"}, {"appid", m.AppID}, {"mch_id", m.MchID},
		{"nonce_str", nonce}, {"result_code", "SUCCESS"}}
	for _, f := range fields {
		if Documented(k, f.Name) {
			out = append(out, f)
		}
	}
	return Encode(SignFields(out, m.Key, m.SignType))
}

// RefusalAnswer is a business refusal: return_code SUCCESS, result_code
// FAIL, err_code and err_code_des, signed like any SUCCESS answer (§1.3).
func RefusalAnswer(m Merchant, nonce string, f *Failure) []byte {
	if f.Return {
		return FailAnswer(f.Msg)
	}
	out := []Field{{"return_code", "SUCCESS"}, {"return_msg", "OK"}, {"appid", m.AppID}, {"mch_id", m.MchID},
		{"nonce_str", nonce}, {"result_code", "FAIL"}, {"err_code", f.Code}, {"err_code_des", f.Msg}}
	return Encode(SignFields(out, m.Key, m.SignType))
}

// SignKeyAnswer is the sandbox's getsignkey answer (§1.11): the sandbox key
// and no sign, as gopay's struct for it has none.
func SignKeyAnswer(mchID, signKey string) []byte {
	return Encode([]Field{{"return_code", "SUCCESS"}, {"return_msg", "ok"}, {"mch_id", mchID}, {"sandbox_signkey", signKey}})
}
