package v2

// Failure is an APIv2 refusal as it goes on the wire (§1.3). Return says the
// communication layer refused the request (return_code FAIL, return_msg,
// unsigned: bad XML, bad signature, a malformed field); otherwise the
// business layer did (return_code SUCCESS, result_code FAIL, err_code and
// err_code_des, signed with the request's sign type).
type Failure struct {
	Return bool
	Code   string // err_code; "" for a return_code FAIL
	Msg    string // return_msg or err_code_des
}

func (f *Failure) Error() string {
	if f.Return {
		return "return_code FAIL: " + f.Msg
	}
	return f.Code + ": " + f.Msg
}

// The err_code values mockpay answers (§1.10) with the platform's wording.
const (
	ErrInvalidRequest     = "INVALID_REQUEST"
	ErrOrderPaid          = "ORDERPAID"
	ErrOrderClosed        = "ORDERCLOSED"
	ErrOrderNotExist      = "ORDERNOTEXIST"
	ErrOutTradeNoUsed     = "OUT_TRADE_NO_USED"
	ErrLackParams         = "LACK_PARAMS"
	ErrParamError         = "PARAM_ERROR"
	ErrAppIDMchIDNotMatch = "APPID_MCHID_NOT_MATCH"
	ErrNoAuth             = "NOAUTH"
	ErrNotEnough          = "NOTENOUGH"
	ErrSystemError        = "SYSTEMERROR"
	ErrRefundNotExist     = "REFUNDNOTEXIST"
	ErrInvalidTransaction = "INVALID_TRANSACTIONID"
	ErrTradeOverdue       = "TRADE_OVERDUE"
	ErrError              = "ERROR"
	ErrTooMuch            = "INVALID_REQ_TOO_MUCH"
	ErrUserPaying         = "USERPAYING"
	ErrAuthCodeError      = "AUTH_CODE_ERROR"
	ErrAuthCodeInvalid    = "AUTH_CODE_INVALID"
	ErrBankError          = "BANKERROR"
	ErrOrderReversed      = "ORDERREVERSED"
	ErrSignError          = "SIGNERROR"
	ErrXMLFormat          = "XML_FORMAT_ERROR"
	ErrRequirePost        = "REQUIRE_POST_METHOD"
	ErrPostDataEmpty      = "POST_DATA_EMPTY"
	ErrNotUTF8Code        = "NOT_UTF8"
)

// errDes is §1.10's table: each err_code's err_code_des (wording from the
// platform's code tables; where they differ per API the most common one).
var errDes = map[string]string{
	ErrInvalidRequest:     "订单重入时参数与原请求不一致",
	ErrOrderPaid:          "该订单已支付",
	ErrOrderClosed:        "该订单已关闭",
	ErrOrderNotExist:      "order not exist",
	ErrOutTradeNoUsed:     "商户订单号重复",
	ErrLackParams:         "缺少参数",
	ErrParamError:         "参数错误",
	ErrAppIDMchIDNotMatch: "appid和mch_id不匹配",
	ErrNoAuth:             "商户无此接口权限",
	ErrNotEnough:          "基本账户余额不足",
	ErrSystemError:        "系统错误",
	ErrRefundNotExist:     "not exist",
	ErrInvalidTransaction: "无效transaction_id",
	ErrTradeOverdue:       "订单已经超过退款期限",
	ErrError:              "申请退款业务发生错误",
	ErrTooMuch:            "无效请求过多",
	ErrUserPaying:         "需要用户输入支付密码",
	ErrAuthCodeError:      "授权码参数错误",
	ErrAuthCodeInvalid:    "授权码检验错误",
	ErrBankError:          "银行系统异常",
	ErrOrderReversed:      "订单已撤销",
	ErrSignError:          "签名错误",
	ErrXMLFormat:          "XML格式错误",
	ErrRequirePost:        "请使用post方法",
	ErrPostDataEmpty:      "post数据为空",
	ErrNotUTF8Code:        "编码格式错误",
}

// Refuse is a business refusal with the table's wording, or detail when
// given (the platform often names the field: "缺少参数openid").
func Refuse(code, detail string) *Failure {
	msg := errDes[code]
	if detail != "" {
		msg = detail
	}
	return &Failure{Code: code, Msg: msg}
}

// ReturnFail is a communication-layer refusal (§1.3).
func ReturnFail(msg string) *Failure { return &Failure{Return: true, Msg: msg} }

// The communication-layer wordings (§1.3: 签名错误 is the one SDK docs
// quote; the others follow the err_code table's wording).
var (
	FailSign       = ReturnFail(errDes[ErrSignError])
	FailXML        = ReturnFail(errDes[ErrXMLFormat])
	FailPost       = ReturnFail(errDes[ErrRequirePost])
	FailEmpty      = ReturnFail(errDes[ErrPostDataEmpty])
	FailNotUTF8    = ReturnFail(errDes[ErrNotUTF8Code])
	FailSignType   = ReturnFail("sign_type参数错误")
	FailNoMerchant = ReturnFail("mch_id参数错误")
)

// DecodeFailure maps Decode's errors onto their answers.
func DecodeFailure(err error) *Failure {
	switch err {
	case ErrEmpty:
		return FailEmpty
	case ErrNotUTF8:
		return FailNotUTF8
	}
	return FailXML
}

// Description is err_code's wording in the table, for the cashier's error
// page and the journal.
func Description(code string) string { return errDes[code] }
