package server

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/mockpay/mockpay/payment"
)

// apiStatus maps domain codes to HTTP statuses for mockpay's own API, in one
// table; the JSON body carries the code itself.
var apiStatus = map[payment.Code]int{
	payment.CodeTradeNotExist:        http.StatusNotFound,
	payment.CodeCheckoutNotFound:     http.StatusNotFound,
	payment.CodeNotificationNotFound: http.StatusNotFound,
	payment.CodeInvalidAppID:         http.StatusNotFound,
	payment.CodeTradeHasSuccess:      http.StatusConflict,
	payment.CodeTradeHasClosed:       http.StatusConflict,
	payment.CodeTradeHasFinished:     http.StatusConflict,
	payment.CodeTradeStatusError:     http.StatusConflict,
	payment.CodeContextInconsistent:  http.StatusConflict,
	payment.CodeRedeliveryLimit:      http.StatusConflict,
	payment.CodeInvalidParameter:     http.StatusBadRequest,
	payment.CodeMissingParameter:     http.StatusBadRequest,
	payment.CodeRequestTooLarge:      http.StatusRequestEntityTooLarge,
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
		status = http.StatusInternalServerError
	}
	return status, apiError{Code: string(code), Message: payment.DetailOf(err)}
}

// badInput is a malformed call to mockpay's own API; handlers answer it
// with apiFail like any other error.
func badInput(format string, args ...any) error {
	return payment.Errorf(payment.CodeInvalidParameter, format, args...)
}
