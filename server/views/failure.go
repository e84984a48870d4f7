package views

import (
	"errors"
	"net/http"

	"strconv"

	"github.com/mockpay/mockpay/controlapi"
	"github.com/mockpay/mockpay/payment"
)

// apiStatus maps domain codes to HTTP statuses for mockpay's own API, in one
// table; the JSON body carries the code itself. Every code is here but
// system_error (a test walks payment's codes): a refusal is the caller's
// 4xx, never a 500 that reads like mockpay broke.
var apiStatus = map[payment.Code]int{
	// Not found: the thing named does not exist (for that merchant).
	payment.CodeTradeNotExist:        http.StatusNotFound,
	payment.CodeCheckoutNotFound:     http.StatusNotFound,
	payment.CodeNotificationNotFound: http.StatusNotFound,
	payment.CodeInvalidAppID:         http.StatusNotFound,
	payment.CodeBillNotExist:         http.StatusNotFound,
	payment.CodeRefundNotExist:       http.StatusNotFound,
	payment.CodeNotThisPartnersTrade: http.StatusNotFound,

	// Conflict: the request is well formed but the trade's state refuses it.
	payment.CodeTradeHasSuccess:      http.StatusConflict,
	payment.CodeTradeHasClosed:       http.StatusConflict,
	payment.CodeTradeHasFinished:     http.StatusConflict,
	payment.CodeTradeStatusError:     http.StatusConflict,
	payment.CodeContextInconsistent:  http.StatusConflict,
	payment.CodeTotalMismatch:        http.StatusConflict,
	payment.CodeDiscordantRepeat:     http.StatusConflict,
	payment.CodeDuplicateBatchNo:     http.StatusConflict,
	payment.CodeRefundAmountExceeded: http.StatusConflict,
	payment.CodeCancelTimeout:        http.StatusConflict,
	payment.CodeBuyerBalanceTooLow:   http.StatusConflict,
	payment.CodeRedeliveryLimit:      http.StatusConflict,

	// Gone: it existed, and its time ran out (a precreate code after its 2
	// hours, an anti-phishing key after its validity).
	payment.CodeQRCodeExpired: http.StatusGone,

	// Bad request: the input itself is wrong, whatever the state.
	payment.CodeInvalidParameter:     http.StatusBadRequest,
	payment.CodeMissingParameter:     http.StatusBadRequest,
	payment.CodeAmountOutOfRange:     http.StatusBadRequest,
	payment.CodeForbiddenWord:        http.StatusBadRequest,
	payment.CodeExpireTimeInPast:     http.StatusBadRequest,
	payment.CodeAuthCodeInvalid:      http.StatusBadRequest,
	payment.CodeInvalidBillArguments: http.StatusBadRequest,
	payment.CodeMissingAppID:         http.StatusBadRequest,
	payment.CodeMissingSignature:     http.StatusBadRequest,
	payment.CodeMissingSignType:      http.StatusBadRequest,
	payment.CodeInvalidSignType:      http.StatusBadRequest,
	payment.CodeMissingSignConfig:    http.StatusBadRequest,
	payment.CodeInvalidSignature:     http.StatusBadRequest,
	payment.CodeMissingTimestamp:     http.StatusBadRequest,
	payment.CodeInvalidTimestamp:     http.StatusBadRequest,
	payment.CodeInvalidEncoding:      http.StatusBadRequest,
	payment.CodeUnsupportedOperation: http.StatusBadRequest,
	payment.CodeRequestTooLarge:      http.StatusRequestEntityTooLarge,
}

// classStatus is the HTTP status of a code a channel defined (the table
// above holds the domain's), by the class the channel gave it.
var classStatus = map[payment.Class]int{
	payment.ClassUnexpected: http.StatusInternalServerError,
	payment.ClassInvalid:    http.StatusBadRequest,
	payment.ClassNotFound:   http.StatusNotFound,
	payment.ClassConflict:   http.StatusConflict,
	payment.ClassGone:       http.StatusGone,
}

// Failure is the HTTP status, code and message of an error on
// mockpay's own surfaces: the JSON API and the dashboard say the same.
func Failure(err error) (int, controlapi.Error) {
	if errors.Is(err, payment.ErrNotFound) {
		return http.StatusNotFound, controlapi.Error{Code: "not_found", Message: "no such object"}
	}
	code := payment.CodeOf(err)
	status, ok := apiStatus[code]
	if !ok {
		status = classStatus[payment.ClassOf(code)]
	}
	return status, controlapi.Error{Code: string(code), Message: payment.DetailOf(err)}
}

// BadInput is a malformed call to mockpay's own API or a dashboard form;
// handlers answer it like any other error.
func BadInput(format string, args ...any) error {
	return payment.Errorf(payment.CodeInvalidParameter, format, args...)
}

// NotificationID reads a notification's id as a path names it.
func NotificationID(param string) (int64, error) {
	id, err := strconv.ParseInt(param, 10, 64)
	if err != nil {
		return 0, payment.Errorf(payment.CodeNotificationNotFound, "notification id %q is not a number", param)
	}
	return id, nil
}

// CodeRequestNotFound: no entry of that id in the request journal (never
// recorded, or dropped from the ring since).
var CodeRequestNotFound = payment.DefineCode("request_not_found", payment.ClassNotFound)
