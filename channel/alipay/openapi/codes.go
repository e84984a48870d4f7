package openapi

import "github.com/mockpay/mockpay/payment"

// Codes only the OpenAPI produces: its envelope's version, format and
// biz_content (§2.2), and certificate mode's SNs and files (§2.4). The
// error table (errors.go) words them.
var (
	CodeMissingVersion    = payment.DefineCode("missing_version", payment.ClassInvalid)
	CodeInvalidVersion    = payment.DefineCode("invalid_version", payment.ClassInvalid)
	CodeInvalidFormat     = payment.DefineCode("invalid_format", payment.ClassInvalid)
	CodeInvalidBizContent = payment.DefineCode("invalid_biz_content", payment.ClassInvalid)

	CodeMissingAppCertSN  = payment.DefineCode("missing_app_cert_sn", payment.ClassInvalid)
	CodeInvalidAppCertSN  = payment.DefineCode("invalid_app_cert_sn", payment.ClassInvalid)
	CodeMissingRootCertSN = payment.DefineCode("missing_alipay_root_cert_sn", payment.ClassInvalid)
	CodeInvalidRootCertSN = payment.DefineCode("invalid_alipay_root_cert_sn", payment.ClassInvalid)
	CodeAppCertExpired    = payment.DefineCode("app_cert_expired", payment.ClassInvalid)
	CodeCertNotExist      = payment.DefineCode("cert_not_exist", payment.ClassNotFound)
)
