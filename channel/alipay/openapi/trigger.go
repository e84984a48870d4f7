package openapi

import (
	"strings"
	"unicode/utf8"

	"github.com/mockpay/mockpay/channel/alipay/kit"
	"github.com/mockpay/mockpay/payment"
)

// TriggerOrder is the order a triggered event makes for an OpenAPI app: an
// alipay.trade.create order (§2.7), a server-to-server trade the buyer pays
// in the cashier, in utf-8 with the app's sign type, held to the gateway's
// rules on out_trade_no and subject.
func TriggerOrder(app *payment.App, o payment.Order) (payment.Order, error) {
	o.Product, o.ProductCode = payment.ProductCreate, "JSAPI_PAY"
	o.Charset, o.SignType = string(kit.UTF8), string(app.SignType)
	switch {
	case !outTradeNoPattern.MatchString(o.OutTradeNo):
		return o, payment.Errorf(payment.CodeInvalidParameter, "out_trade_no %q: at most 64 letters, digits, _ or -", o.OutTradeNo)
	case strings.ContainsAny(o.Subject, "/=&"):
		return o, payment.Errorf(payment.CodeInvalidParameter, "subject must not contain / = or &")
	case utf8.RuneCountInString(o.Subject) > 256:
		return o, payment.Errorf(payment.CodeInvalidParameter, "subject is longer than 256 characters")
	}
	return o, nil
}
