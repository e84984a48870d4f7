package openapi

import (
	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/channel/alipay/kit"
	"github.com/mockpay/mockpay/payment"
)

// WireError is an error as the OpenAPI gateway reports it (§2.6): msg is the
// fixed English text of the code, sub_msg the Chinese explanation.
type WireError struct {
	Code    string
	Msg     string
	SubCode string
	SubMsg  string
}

const (
	msgMissing      = "Missing Required Arguments"
	msgInvalid      = "Invalid Arguments"
	msgInsufficient = "Insufficient Conditions"
	msgBusiness     = "Business Failed"
	msgUnavailable  = "Service Currently Unavailable"
)

// wireErrors maps every domain code to the gateway's error, in one table
// (alipay-protocol.md §2.6). Codes missing here answer as a system error.
var wireErrors = map[payment.Code]WireError{
	payment.CodeMissingAppID:      {"40001", msgMissing, "isv.missing-app-id", "缺少AppID参数"},
	payment.CodeInvalidAppID:      {"40002", msgInvalid, "isv.invalid-app-id", "无效的AppID参数"},
	kit.CodeMissingMethod:         {"40001", msgMissing, "isv.missing-method", "缺少方法名参数"},
	kit.CodeInvalidMethod:         {"40002", msgInvalid, "isv.invalid-method", "不存在的方法名"},
	payment.CodeMissingSignature:  {"40001", msgMissing, "isv.missing-signature", "缺少签名参数"},
	payment.CodeMissingSignType:   {"40001", msgMissing, "isv.missing-signature-type", "缺少签名类型参数"},
	payment.CodeInvalidSignType:   {"40002", msgInvalid, "isv.invalid-signature-type", "无效的签名类型"},
	payment.CodeMissingSignConfig: {"40003", msgInsufficient, "isv.missing-signature-config", "验签出错, 未配置对应签名算法的公钥或者证书"},
	payment.CodeInvalidSignature:  {"40002", msgInvalid, "isv.invalid-signature", "验签出错"},
	payment.CodeMissingTimestamp:  {"40001", msgMissing, "isv.missing-timestamp", "缺少时间戳参数"},
	payment.CodeInvalidTimestamp:  {"40002", msgInvalid, "isv.invalid-timestamp", "非法的时间戳参数"},
	CodeMissingVersion:            {"40001", msgMissing, "isv.missing-version", "缺少版本参数"},
	CodeInvalidVersion:            {"40002", msgInvalid, "isv.invalid-parameter", "参数无效"},
	CodeInvalidFormat:             {"40002", msgInvalid, "isv.invalid-format", "无效的数据格式"},
	kit.CodeInvalidCharset:        {"40002", msgInvalid, "isv.invalid-charset", "字符集错误"},
	payment.CodeInvalidEncoding:   {"40002", msgInvalid, "isv.invalid-charset", "字符集错误"},
	CodeInvalidBizContent:         {"40002", msgInvalid, "isv.invalid-parameter", "参数无效"},
	payment.CodeRequestTooLarge:   {"40002", msgInvalid, "isv.invalid-parameter", "参数无效"},
	// Certificate mode (§2.4, §2.6). isv.invalid-app-cert-sn is mockpay's
	// name for a mismatched app_cert_sn: the digest lists no code for it.
	CodeMissingAppCertSN:  {"40002", msgInvalid, "isv.missing-app-cert-sn", "缺少应用公钥证书序列号"},
	CodeInvalidAppCertSN:  {"40002", msgInvalid, "isv.invalid-app-cert-sn", "应用公钥证书序列号不匹配"},
	CodeMissingRootCertSN: {"40002", msgInvalid, "isv.missing-alipay-root-cert-sn", "缺少支付宝根证书序列号"},
	CodeInvalidRootCertSN: {"40002", msgInvalid, "isv.invalid-alipay-root-cert-sn", "无效的支付宝根证书序列号"},
	CodeAppCertExpired:    {"40002", msgInvalid, "isv.app-cert-expired", "应用公钥证书已过期"},
	// Missing or malformed business fields: the digest leaves the exact code
	// open (§7); ACQ.INVALID_PARAMETER is what real precreate/refund/cancel
	// calls were seen to answer (§2.6), and every SDK accepts it.
	payment.CodeMissingParameter:     {"40004", msgBusiness, "ACQ.INVALID_PARAMETER", "参数无效"},
	payment.CodeInvalidParameter:     {"40004", msgBusiness, "ACQ.INVALID_PARAMETER", "参数无效"},
	payment.CodeUnsupportedOperation: {"40006", "Insufficient Permissions", "isv.insufficient-isv-permissions", "ISV权限不足，建议在开放平台控制台检查对应产品是否已经绑定"},

	payment.CodeAmountOutOfRange:    {"40004", msgBusiness, "ACQ.TOTAL_FEE_EXCEED", "订单总金额超过限额"},
	payment.CodeForbiddenWord:       {"40004", msgBusiness, "ACQ.EXIST_FORBIDDEN_WORD", "订单信息中包含违禁词"},
	payment.CodeTradeNotExist:       {"40004", msgBusiness, "ACQ.TRADE_NOT_EXIST", "交易不存在"},
	payment.CodeTradeHasSuccess:     {"40004", msgBusiness, "ACQ.TRADE_HAS_SUCCESS", "交易已被支付"},
	payment.CodeTradeHasClosed:      {"40004", msgBusiness, "ACQ.TRADE_HAS_CLOSE", "交易已经关闭"},
	payment.CodeTradeHasFinished:    {"40004", msgBusiness, "ACQ.TRADE_HAS_FINISHED", "交易已完结"},
	payment.CodeTradeStatusError:    {"40004", msgBusiness, "ACQ.TRADE_STATUS_ERROR", "交易状态不合法"},
	payment.CodeContextInconsistent: {"40004", msgBusiness, "ACQ.CONTEXT_INCONSISTENT", "交易信息被篡改"},
	payment.CodeTotalMismatch:       {"40004", msgBusiness, "ACQ.CONTEXT_INCONSISTENT", "交易信息被篡改"},
	payment.CodePriceMismatch:       {"40004", msgBusiness, "ACQ.CONTEXT_INCONSISTENT", "交易信息被篡改"},
	payment.CodeQuantityMismatch:    {"40004", msgBusiness, "ACQ.CONTEXT_INCONSISTENT", "交易信息被篡改"},
	payment.CodeExpireTimeInPast:    {"40004", msgBusiness, "ACQ.NOW_TIME_AFTER_EXPIRE_TIME_ERROR", "当前时间已超过允许支付的时间"},
	payment.CodeBuyerBalanceTooLow:  {"40004", msgBusiness, "ACQ.BUYER_BALANCE_NOT_ENOUGH", "买家余额不足"},
	payment.CodeCheckoutNotFound:    {"40004", msgBusiness, "ACQ.TRADE_NOT_EXIST", "交易不存在"},
	payment.CodeSystemError:         {"20000", msgUnavailable, "isp.unknow-error", "系统繁忙"},

	payment.CodeRefundAmountExceeded: {"40004", msgBusiness, "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL", "退款金额超限"},
	payment.CodeDiscordantRepeat:     {"40004", msgBusiness, "ACQ.DISCORDANT_REPEAT_REQUEST", "不一致的请求"},
	payment.CodeCancelTimeout:        {"40004", msgBusiness, "ACQ.TRADE_CANCEL_TIME_OUT", "超过撤销时间范围"},
	// Only the buyer sees this one, on the scan page; the wording is what
	// the Alipay app shows for a stale code.
	payment.CodeQRCodeExpired: {"40004", msgBusiness, "ACQ.TRADE_HAS_CLOSE", "二维码已失效"},
	// Wording unconfirmed (§2.6).
	payment.CodeAuthCodeInvalid: {"40004", msgBusiness, "ACQ.PAYMENT_AUTH_CODE_INVALID", "支付失败，获取顾客账户信息失败，请顾客刷新付款码后重新收款"},
	// Wording and code unconfirmed.
	CodeCertNotExist: {"40004", msgBusiness, "ALIPAY_CERT_NOT_EXIST", "支付宝公钥证书不存在"},
	// The bill API's own codes as observed (§2.7): isp.bill_not_exist, and
	// isv.invalid_arguments for a day that has not ended (code unconfirmed).
	payment.CodeBillNotExist:         {"40004", msgBusiness, "isp.bill_not_exist", "账单不存在"},
	payment.CodeInvalidBillArguments: {"40004", msgBusiness, "isv.invalid_arguments", "入参不合法"},
}

// Describe words err for the cashier's error page in OpenAPI's codes.
func Describe(err error) channel.ErrorView {
	w := WireErrorOf(err)
	return channel.ErrorView{SubCode: w.SubCode, SubMsg: w.SubMsg, Detail: payment.DetailOf(err)}
}

// WireErrorOf maps err to the gateway's error for it.
func WireErrorOf(err error) WireError {
	if w, ok := wireErrors[payment.CodeOf(err)]; ok {
		return w
	}
	return wireErrors[payment.CodeSystemError]
}
