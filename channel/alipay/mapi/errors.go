package mapi

import (
	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/channel/alipay/kit"
	"github.com/mockpay/mockpay/payment"
)

// WireError is an error as the legacy gateway reports it (§1.10): an
// upper-case code, and the Chinese reason its error page shows. A batch
// refund reports a record's failure in result_details, where some codes
// have other names (§1.9): InBatch, when set.
type WireError struct {
	Code    string
	Reason  string
	InBatch string
}

// Codes only this codec's parameter checks produce; the domain never does.
// They are payment codes so that one table maps everything (§1.10).
const (
	codeIllegalFee              payment.Code = "legacy_illegal_fee_param"
	codeIllegalPaymentType      payment.Code = "legacy_illegal_payment_type"
	codeIllegalExtraCommonParam payment.Code = "legacy_illegal_extra_common_param"
	codeIllegalOuttime          payment.Code = "legacy_illegal_outtime_argument"
	codeSubjectMissing          payment.Code = "legacy_subject_missing"
	codeSellerNotExist          payment.Code = "legacy_seller_not_exist"
	codeBuyerSellerEqual        payment.Code = "legacy_buyer_seller_equal"

	codeRefundDate            payment.Code = "legacy_refund_date_error"
	codeBatchNoFormat         payment.Code = "legacy_batch_no_format_error"
	codeBatchNum              payment.Code = "legacy_batch_num_error"
	codeBatchNumExceed        payment.Code = "legacy_batch_num_exceed_limit"
	codeBatchNumNotEqual      payment.Code = "legacy_batch_num_not_equal_total"
	codeDetailDataFormat      payment.Code = "legacy_detail_data_format_error"
	codeDuplicateTradeInBatch payment.Code = "legacy_dubl_trade_no_in_same_batch"
)

// wireErrors maps every code to the legacy gateway's error, in one table
// (alipay-protocol.md §1.10). Codes missing here answer as a system error.
var wireErrors = map[payment.Code]WireError{
	// Gateway and envelope.
	payment.CodeMissingAppID:         {"ILLEGAL_PARTNER", "合作伙伴ID不正确", ""},
	payment.CodeInvalidAppID:         {"ILLEGAL_PARTNER", "合作伙伴ID不正确", ""},
	kit.CodeInvalidMethod:            {"ILLEGAL_SERVICE", "接口名称不正确", ""},
	payment.CodeMissingSignature:     {"ILLEGAL_SIGN", "签名不正确", ""},
	payment.CodeInvalidSignature:     {"ILLEGAL_SIGN", "签名不正确", ""},
	payment.CodeMissingSignType:      {"ILLEGAL_SIGN_TYPE", "签名类型不正确", ""},
	payment.CodeInvalidSignType:      {"ILLEGAL_SIGN_TYPE", "签名类型不正确", ""},
	payment.CodeMissingSignConfig:    {"ILLEGAL_SIGN_TYPE", "签名类型不正确", ""},
	kit.CodeInvalidCharset:           {"ILLEGAL_CHARSET", "字符集不合法", ""},
	payment.CodeInvalidEncoding:      {"ILLEGAL_ENCODING", "编码不正确", ""},
	payment.CodeMissingParameter:     {"ILLEGAL_ARGUMENT", "参数不正确", ""},
	payment.CodeInvalidParameter:     {"ILLEGAL_ARGUMENT", "参数不正确", "REFUND_AMOUNT_NOT_VALID"},
	payment.CodeRequestTooLarge:      {"ILLEGAL_ARGUMENT", "参数不正确", ""},
	payment.CodeUnsupportedOperation: {"HAS_NO_PRIVILEGE", "无权访问", ""},
	// A reused out_trade_no whose subject or body changed: §1.10 names only
	// the amount terms, so the generic argument error (unconfirmed).
	payment.CodeContextInconsistent: {"ILLEGAL_ARGUMENT", "参数不正确", ""},
	CodeAntiPhishingKeyInvalid:      {"ILLEGAL_ANTI_PHISHING_KEY", "防钓鱼信息不正确", ""},
	CodeAntiPhishingKeyExpired:      {"ANTI_PHISHING_KEY_TIMEOUT", "防钓鱼时间戳已过期", ""},

	// Order parameters (§1.3).
	codeIllegalFee:                 {"ILLEGAL_FEE_PARAM", "金额参数不正确", ""},
	codeIllegalPaymentType:         {"ILLEGAL_PAYMENT_TYPE", "支付类型不正确", ""},
	codeIllegalExtraCommonParam:    {"ILLEGAL_EXTRA_COMMON_PARAM", "公用回传参数不正确", ""},
	codeIllegalOuttime:             {"ILLEGAL_OUTTIME_ARGUMENT", "超时时间参数不正确", ""},
	payment.CodeExpireTimeInPast:   {"ILLEGAL_OUTTIME_ARGUMENT", "超时时间参数不正确", ""},
	codeSubjectMissing:             {"SUBJECT_MUST_NOT_BE_NULL", "商品名称不能为空", ""},
	codeSellerNotExist:             {"SELLER_NOT_EXIST", "卖家不存在", ""},
	codeBuyerSellerEqual:           {"BUYER_SELLER_EQUAL", "买卖家不能相同", ""},
	payment.CodeAmountOutOfRange:   {"DIRECT_PAY_AMOUNT_OUT_OF_RANGE", "单笔支付金额超出范围", ""},
	payment.CodeTotalMismatch:      {"TRADE_TOTALFEE_NOT_MATCH", "交易金额不匹配", ""},
	payment.CodePriceMismatch:      {"TRADE_PRICE_NOT_MATCH", "交易单价不匹配", ""},
	payment.CodeQuantityMismatch:   {"TRADE_QUANTITY_NOT_MATCH", "交易数量不匹配", ""},
	payment.CodeTradeHasSuccess:    {"TRADE_HAS_SUCCESS", "交易已经支付", ""},
	payment.CodeTradeHasClosed:     {"TRADE_NOT_ALLOWED_PAY", "交易已关闭，不允许支付", "TRADE_HAS_CLOSED"},
	payment.CodeCheckoutNotFound:   {"TRADE_NOT_EXIST", "交易不存在", ""},
	payment.CodeTradeNotExist:      {"TRADE_NOT_EXIST", "交易不存在", "TRADE_NOT_EXISTS"},
	payment.CodeTradeStatusError:   {"TRADE_STATUS_ERROR", "交易状态不合法", ""},
	payment.CodeTradeHasFinished:   {"TRADE_HAS_FINISHED", "交易已结束", ""},
	payment.CodeBuyerBalanceTooLow: {"TXN_RESULT_ACCOUNT_BALANCE_NOT_ENOUGH", "账户余额不足", ""},

	// Batch refunds (§1.9): the request's own errors, then the records'.
	codeRefundDate:                   {"REFUND_DATE_ERROR", "退款日期错误", ""},
	codeBatchNoFormat:                {"BATCH_NO_FORMAT_ERROR", "批次号格式错误", ""},
	codeBatchNum:                     {"BATCH_NUM_ERROR", "退款笔数错误", ""},
	codeBatchNumExceed:               {"BATCH_NUM_EXCEED_LIMIT", "退款笔数超过限制", ""},
	codeBatchNumNotEqual:             {"BATCH_NUM_NOT_EQUAL_TOTAL", "退款笔数与明细不一致", ""},
	codeDetailDataFormat:             {"DETAIL_DATA_FORMAT_ERROR", "退款明细格式错误", ""},
	codeDuplicateTradeInBatch:        {"DUBL_TRADE_NO_IN_SAME_BATCH", "同一批次中交易号重复", ""},
	payment.CodeDuplicateBatchNo:     {"DUPLICATE_BATCH_NO", "批次号重复", ""},
	payment.CodeNotThisPartnersTrade: {"NOT_THIS_PARTNERS_TRADE", "不是该合作伙伴的交易", ""},
	payment.CodeRefundAmountExceeded: {"REASON_TRADE_REFUND_FEE_ERR", "退款金额超过可退金额", ""},

	// Anything unexpected: §1.10 names no code for it (unconfirmed).
	payment.CodeSystemError: {"SYSTEM_ERROR", "系统繁忙，请稍后再试", ""},
}

// batchResult is a batch record's result_details word: SUCCESS, or the
// code of its failure (§1.9).
func batchResult(code payment.Code) string {
	if code == "" {
		return "SUCCESS"
	}
	w := WireErrorOf(payment.Errorf(code, ""))
	if w.InBatch != "" {
		return w.InBatch
	}
	return w.Code
}

// Describe words err for the cashier's error page in the legacy gateway's
// codes (§1.10).
func Describe(err error) channel.ErrorView {
	w := WireErrorOf(err)
	return channel.ErrorView{SubCode: w.Code, SubMsg: w.Reason, Detail: payment.DetailOf(err)}
}

// WireErrorOf maps err to the legacy gateway's error for it.
func WireErrorOf(err error) WireError {
	if w, ok := wireErrors[payment.CodeOf(err)]; ok {
		return w
	}
	return wireErrors[payment.CodeSystemError]
}
