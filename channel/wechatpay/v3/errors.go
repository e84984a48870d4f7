package v3

import (
	"errors"
	"net/http"

	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/payment"
)

// APIError is an APIv3 error answer (§2.7): always JSON, with the
// documented HTTP status.
type APIError struct {
	Status  int          `json:"-"`
	Code    string       `json:"code"`
	Message string       `json:"message"`
	Detail  *ErrorDetail `json:"detail,omitempty"`
	// diagnosis explains a signature that did not verify, for the
	// request journal only (never on the wire).
	diagnosis *channel.Diagnosis
}

// ErrorDetail names the field at fault: a JSON Pointer into the body, or
// the path or query parameter's name.
type ErrorDetail struct {
	Field    string `json:"field"`
	Value    any    `json:"value,omitempty"`
	Issue    string `json:"issue"`
	Location string `json:"location"`
}

func (e *APIError) Error() string { return e.Code + ": " + e.Message }

func apiError(status int, code, msg string) *APIError {
	return &APIError{Status: status, Code: code, Message: msg}
}

func errSign(msg string) *APIError  { return apiError(http.StatusUnauthorized, "SIGN_ERROR", msg) }
func errParam(msg string) *APIError { return apiError(http.StatusBadRequest, "PARAM_ERROR", msg) }

// errField is PARAM_ERROR for one field of the body (or the path).
func errField(field, location, issue string, value any) *APIError {
	e := errParam(issue)
	e.Detail = &ErrorDetail{Field: field, Value: value, Issue: issue, Location: location}
	return e
}

// codes is how APIv3 answers the domain's codes (§2.7): a reused
// out_trade_no on other terms, an over-refund and a replayed refund on
// other terms are INVALID_REQUEST (NOT_ENOUGH is the merchant's balance,
// not this); an unknown order is ORDER_NOT_EXIST.
var codes = map[payment.Code]*APIError{
	payment.CodeTradeNotExist:        apiError(http.StatusNotFound, "ORDER_NOT_EXIST", "订单不存在"),
	payment.CodeTradeHasClosed:       apiError(http.StatusBadRequest, "ORDER_CLOSED", "订单已关闭"),
	payment.CodeTradeHasSuccess:      apiError(http.StatusBadRequest, "INVALID_REQUEST", "该订单已支付"),
	payment.CodeContextInconsistent:  apiError(http.StatusBadRequest, "INVALID_REQUEST", "请求重入时，参数与首次请求时不一致"),
	payment.CodeTotalMismatch:        apiError(http.StatusBadRequest, "INVALID_REQUEST", "请求重入时，参数与首次请求时不一致"),
	payment.CodeRefundAmountExceeded: apiError(http.StatusBadRequest, "INVALID_REQUEST", "申请退款金额超过订单可退金额"),
	payment.CodeDiscordantRepeat:     apiError(http.StatusBadRequest, "INVALID_REQUEST", "请求重入时，参数与首次请求时不一致"),
	payment.CodeTradeHasFinished:     apiError(http.StatusBadRequest, "INVALID_REQUEST", "订单已超过退款期限"),
	payment.CodeTradeStatusError:     apiError(http.StatusBadRequest, "INVALID_REQUEST", "订单状态不正确"),
	payment.CodeInvalidParameter:     apiError(http.StatusBadRequest, "PARAM_ERROR", "参数错误"),
	payment.CodeMissingParameter:     apiError(http.StatusBadRequest, "PARAM_ERROR", "缺少参数"),
	payment.CodeExpireTimeInPast:     apiError(http.StatusBadRequest, "PARAM_ERROR", "time_expire时间已过"),
	payment.CodeAmountOutOfRange:     apiError(http.StatusBadRequest, "PARAM_ERROR", "金额超出范围"),
	payment.CodeInvalidSignature:     apiError(http.StatusUnauthorized, "SIGN_ERROR", "签名错误"),
}

// asAPIError is err as the platform answers it; what the table lacks is a
// SYSTEM_ERROR (500), which the SDKs retry.
func asAPIError(err error) *APIError {
	var e *APIError
	if errors.As(err, &e) {
		return e
	}
	if w, ok := codes[payment.CodeOf(err)]; ok {
		out := *w
		if d := payment.DetailOf(err); d != "" {
			out.Message += ": " + d
		}
		return &out
	}
	return apiError(http.StatusInternalServerError, "SYSTEM_ERROR", "系统错误")
}

// Describe words an error for the cashier's error page in APIv3's codes.
func Describe(err error) channel.ErrorView {
	e := asAPIError(err)
	return channel.ErrorView{SubCode: e.Code, SubMsg: e.Message, Detail: payment.DetailOf(err)}
}

// ErrorCode is APIv3's wire code of a domain code (the contract suite's
// table): SYSTEM_ERROR for one it has no entry for.
func ErrorCode(c payment.Code) string {
	if e, ok := codes[c]; ok {
		return e.Code
	}
	return "SYSTEM_ERROR"
}
