package payment

import (
	"errors"
	"fmt"
)

// Code names a failure independent of any protocol. Each channel maps codes
// to its own wire errors in one table (channel/alipay/openapi/errors.go).
type Code string

const (
	// Request envelope.
	CodeMissingAppID         Code = "missing_app_id"
	CodeInvalidAppID         Code = "invalid_app_id"
	CodeMissingMethod        Code = "missing_method"
	CodeInvalidMethod        Code = "invalid_method"
	CodeMissingSignature     Code = "missing_signature"
	CodeMissingSignType      Code = "missing_sign_type"
	CodeInvalidSignType      Code = "invalid_sign_type"
	CodeMissingSignConfig    Code = "missing_sign_config"
	CodeInvalidSignature     Code = "invalid_signature"
	CodeMissingTimestamp     Code = "missing_timestamp"
	CodeInvalidTimestamp     Code = "invalid_timestamp"
	CodeMissingVersion       Code = "missing_version"
	CodeInvalidVersion       Code = "invalid_version"
	CodeInvalidFormat        Code = "invalid_format"
	CodeInvalidCharset       Code = "invalid_charset"
	CodeInvalidEncoding      Code = "invalid_encoding"
	CodeMissingAppCertSN     Code = "missing_app_cert_sn"
	CodeInvalidAppCertSN     Code = "invalid_app_cert_sn"
	CodeMissingRootCertSN    Code = "missing_alipay_root_cert_sn"
	CodeInvalidRootCertSN    Code = "invalid_alipay_root_cert_sn"
	CodeAppCertExpired       Code = "app_cert_expired"
	CodeMissingParameter     Code = "missing_parameter"
	CodeInvalidParameter     Code = "invalid_parameter"
	CodeInvalidBizContent    Code = "invalid_biz_content"
	CodeRequestTooLarge      Code = "request_too_large"
	CodeUnsupportedOperation Code = "unsupported_operation"

	// Business.
	CodeAmountOutOfRange     Code = "amount_out_of_range"
	CodeForbiddenWord        Code = "forbidden_word"
	CodeTradeNotExist        Code = "trade_not_exist"
	CodeTradeHasSuccess      Code = "trade_has_success"
	CodeTradeHasClosed       Code = "trade_has_closed"
	CodeTradeHasFinished     Code = "trade_has_finished"
	CodeTradeStatusError     Code = "trade_status_error"
	CodeContextInconsistent  Code = "context_inconsistent"
	CodeExpireTimeInPast     Code = "expire_time_in_past"
	CodeBuyerBalanceTooLow   Code = "buyer_balance_not_enough"
	CodeCheckoutNotFound     Code = "checkout_not_found"
	CodeNotificationNotFound Code = "notification_not_found"
	CodeRedeliveryLimit      Code = "redelivery_limit_reached"
	CodeRefundAmountExceeded Code = "refund_amount_exceeded"
	CodeDiscordantRepeat     Code = "discordant_repeat_request"
	CodeCancelTimeout        Code = "cancel_time_out"
	CodeQRCodeExpired        Code = "qr_code_expired"
	CodeAuthCodeInvalid      Code = "payment_auth_code_invalid"
	CodeCertNotExist         Code = "cert_not_exist"
	CodeBillNotExist         Code = "bill_not_exist"
	CodeInvalidBillArguments Code = "invalid_bill_arguments"

	// Anything unexpected; the result of the operation is unknown.
	CodeSystemError Code = "system_error"
)

// Error is mockpay's single error type: a code plus a human explanation.
type Error struct {
	Code   Code
	Detail string
}

func (e *Error) Error() string {
	if e.Detail == "" {
		return string(e.Code)
	}
	return string(e.Code) + ": " + e.Detail
}

// Errorf builds an *Error with a formatted detail.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Detail: fmt.Sprintf(format, args...)}
}

// CodeOf returns the code of err, or CodeSystemError for foreign errors.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeSystemError
}

// DetailOf returns the human detail of err.
func DetailOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Detail
	}
	return err.Error()
}

// ErrNotFound is returned by repositories for a missing row.
var ErrNotFound = errors.New("not found")
