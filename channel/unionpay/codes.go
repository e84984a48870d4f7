package unionpay

import (
	"errors"

	"github.com/mockpay/mockpay/payment"
)

// respCodes of §7, with the wording the gateway uses; the bracketed detail
// codes are the real ones where a captured message shows one (§5.4, §5.6).
const (
	rcSuccess      = "00"
	rcFailed       = "01"
	rcAccepted     = "05"
	rcBusy         = "06"
	rcFormat       = "10"
	rcSignature    = "11"
	rcDuplicate    = "12"
	rcMissing      = "13"
	rcMerchant     = "31"
	rcNoPermission = "32"
	rcAmountLimit  = "33"
	rcNotFound     = "34"
	rcOrigInvalid  = "35"
	rcOrigMismatch = "36"
	rcOrigReversed = "45"
	rcNoFile       = "98"
	rcGeneral      = "99"
)

var respMsgs = map[string]string{
	rcSuccess: "成功[0000000]", rcFailed: "交易失败", rcAccepted: "交易已受理，请稍后查询交易结果[6154037]", rcBusy: "系统繁忙",
	rcFormat: "报文格式错误", rcSignature: "验证签名失败", rcDuplicate: "重复交易", rcMissing: "报文交易要素缺失",
	rcMerchant: "商户状态不正确", rcNoPermission: "无此交易权限", rcAmountLimit: "交易金额超限",
	rcNotFound: "查无此交易[2600000]", rcOrigInvalid: "原交易不存在或状态不正确[3102031]", rcOrigMismatch: "与原交易信息不符",
	rcOrigReversed: "原交易已被成功退货或撤销", rcNoFile: "文件不存在", rcGeneral: "通用错误",
}

// respErr is a refusal in UnionPay's own code, for what the domain has no
// code of its own for; detail is mockpay's explanation (the journal's, the
// error page's), never on the wire, whose parsers break on & and = (§2).
type respErr struct{ code, detail string }

func (e *respErr) Error() string { return e.code + " " + respMsgs[e.code] + ": " + e.detail }

func refuse(code, detail string) error { return &respErr{code, detail} }

// domainCodes is the one table from the domain's codes to respCodes.
var domainCodes = map[payment.Code]string{
	payment.CodeInvalidSignature:     rcSignature,
	payment.CodeMissingSignature:     rcMissing,
	payment.CodeMissingParameter:     rcMissing,
	payment.CodeMissingAppID:         rcMissing,
	payment.CodeInvalidParameter:     rcFormat,
	payment.CodeInvalidEncoding:      rcFormat,
	payment.CodeRequestTooLarge:      rcFormat,
	payment.CodeInvalidTimestamp:     rcFormat,
	payment.CodeExpireTimeInPast:     rcFormat,
	payment.CodeInvalidAppID:         rcMerchant,
	payment.CodeUnsupportedOperation: rcNoPermission,
	payment.CodeAmountOutOfRange:     rcAmountLimit,
	payment.CodeRefundAmountExceeded: rcAmountLimit,
	payment.CodeTradeNotExist:        rcNotFound,
	payment.CodeTradeHasSuccess:      rcDuplicate,
	payment.CodeDiscordantRepeat:     rcDuplicate,
	payment.CodeTotalMismatch:        rcDuplicate,
	payment.CodeContextInconsistent:  rcOrigMismatch,
	payment.CodeTradeStatusError:     rcOrigInvalid,
	payment.CodeTradeHasClosed:       rcOrigInvalid,
	payment.CodeTradeHasFinished:     rcOrigInvalid,
	payment.CodeBillNotExist:         rcNoFile,
	payment.CodeSystemError:          rcGeneral,
}

// wireOf is an error as respCode and respMsg.
func wireOf(err error) (code, msg string) {
	var re *respErr
	if errors.As(err, &re) {
		return re.code, respMsgs[re.code]
	}
	code, ok := domainCodes[payment.CodeOf(err)]
	if !ok {
		code = rcFailed
	}
	return code, respMsgs[code]
}

// detailOf is mockpay's explanation of err.
func detailOf(err error) string {
	var re *respErr
	if errors.As(err, &re) {
		return re.detail
	}
	return payment.DetailOf(err)
}

// ErrorCode is the respCode of a domain code (the contract suite's table).
func ErrorCode(c payment.Code) string {
	code, _ := wireOf(payment.Errorf(c, ""))
	return code
}
