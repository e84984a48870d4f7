package payment

import (
	"errors"
	"fmt"
	"sync"
)

// Code names a failure. The domain's codes below are independent of any
// protocol; a failure only one protocol can produce (a malformed envelope
// field, a token only it issues) has a code that protocol defines with
// DefineCode, beside its wire errors. Each protocol maps codes to its own
// wire errors in one table (channel/alipay/openapi/errors.go).
type Code string

// Class is what kind of refusal a code is, for surfaces that answer in
// terms of their own (mockpay's control API picks an HTTP status by it for
// the codes channels define).
type Class int

const (
	ClassUnexpected Class = iota // the result is unknown: mockpay failed
	ClassInvalid                 // the input itself is wrong
	ClassNotFound                // the thing named does not exist
	ClassConflict                // the state refuses a well-formed request
	ClassGone                    // it existed, and its time ran out
)

var (
	definedMu sync.RWMutex
	defined   = map[Code]Class{}
)

// DefineCode declares a code a channel owns, with its class; channels call
// it in package-level vars, so every code exists before a request does. A
// name may be defined once: two channels cannot mean two things by it.
func DefineCode(name string, class Class) Code {
	definedMu.Lock()
	defer definedMu.Unlock()
	if prev, ok := defined[Code(name)]; ok && prev != class {
		panic("payment: code " + name + " defined twice with different classes")
	}
	defined[Code(name)] = class
	return Code(name)
}

// ClassOf is the class a channel defined code with; ClassUnexpected for a
// code no channel defined.
func ClassOf(code Code) Class {
	definedMu.RLock()
	defer definedMu.RUnlock()
	return defined[code]
}

const (
	// Request envelope.
	CodeMissingAppID         Code = "missing_app_id"
	CodeInvalidAppID         Code = "invalid_app_id"
	CodeMissingSignature     Code = "missing_signature"
	CodeMissingSignType      Code = "missing_sign_type"
	CodeInvalidSignType      Code = "invalid_sign_type"
	CodeMissingSignConfig    Code = "missing_sign_config"
	CodeInvalidSignature     Code = "invalid_signature"
	CodeMissingTimestamp     Code = "missing_timestamp"
	CodeInvalidTimestamp     Code = "invalid_timestamp"
	CodeInvalidEncoding      Code = "invalid_encoding"
	CodeMissingParameter     Code = "missing_parameter"
	CodeInvalidParameter     Code = "invalid_parameter"
	CodeRequestTooLarge      Code = "request_too_large"
	CodeUnsupportedOperation Code = "unsupported_operation"

	// Business.
	CodeAmountOutOfRange    Code = "amount_out_of_range"
	CodeForbiddenWord       Code = "forbidden_word"
	CodeTradeNotExist       Code = "trade_not_exist"
	CodeTradeHasSuccess     Code = "trade_has_success"
	CodeTradeHasClosed      Code = "trade_has_closed"
	CodeTradeHasFinished    Code = "trade_has_finished"
	CodeTradeStatusError    Code = "trade_status_error" // the trade's state refuses the operation (a code the control API shows: kept)
	CodeContextInconsistent Code = "context_inconsistent"
	// CodeTotalMismatch: a reused out_trade_no's order changed its total
	// (Alipay's TRADE_TOTALFEE_NOT_MATCH, §1.10).
	CodeTotalMismatch        Code = "total_mismatch"
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
	CodeBillNotExist         Code = "bill_not_exist"
	CodeRefundNotExist       Code = "refund_not_exist"
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
