package kit

import "github.com/mockpay/mockpay/payment"

// Codes of envelope fields both Alipay protocols have and no other platform
// does: the OpenAPI's method= and the MAPI's service= (§1.3, §2.2), and the
// declared charset (§2.2, §1.2). Each protocol's error table words them.
var (
	CodeMissingMethod  = payment.DefineCode("missing_method", payment.ClassInvalid)
	CodeInvalidMethod  = payment.DefineCode("invalid_method", payment.ClassInvalid)
	CodeInvalidCharset = payment.DefineCode("invalid_charset", payment.ClassInvalid)
)
