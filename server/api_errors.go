package server

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

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
	payment.CodeNotThisPartnersTrade: http.StatusNotFound,

	// Conflict: the request is well formed but the trade's state refuses it.
	payment.CodeTradeHasSuccess:      http.StatusConflict,
	payment.CodeTradeHasClosed:       http.StatusConflict,
	payment.CodeTradeHasFinished:     http.StatusConflict,
	payment.CodeTradeStatusError:     http.StatusConflict,
	payment.CodeContextInconsistent:  http.StatusConflict,
	payment.CodeTotalMismatch:        http.StatusConflict,
	payment.CodePriceMismatch:        http.StatusConflict,
	payment.CodeQuantityMismatch:     http.StatusConflict,
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

// apiFail answers err as {"code": ..., "message": ...}.
func apiFail(c echo.Context, err error) error {
	status, body := describeFailure(err)
	return c.JSON(status, body)
}

// describeFailure is the HTTP status, code and message of an error on
// mockpay's own surfaces: the JSON API and the dashboard say the same.
func describeFailure(err error) (int, apiError) {
	if errors.Is(err, payment.ErrNotFound) {
		return http.StatusNotFound, apiError{Code: "not_found", Message: "no such object"}
	}
	code := payment.CodeOf(err)
	status, ok := apiStatus[code]
	if !ok {
		status = classStatus[payment.ClassOf(code)]
	}
	return status, apiError{Code: string(code), Message: payment.DetailOf(err)}
}

// badInput is a malformed call to mockpay's own API; handlers answer it
// with apiFail like any other error.
func badInput(format string, args ...any) error {
	return payment.Errorf(payment.CodeInvalidParameter, format, args...)
}
