package openapi

import (
	"context"
	"time"

	"github.com/mockpay/mockpay/channel/alipay/kit"
	"github.com/mockpay/mockpay/payment"
)

// MethodAppPay is the method of an app-pay order string.
const MethodAppPay = "alipay.trade.app.pay"

// appPayOnGateway answers an app-pay order posted to the gateway: the order
// string goes to the Alipay app through the mobile SDK, never to the
// gateway (§2.7), so the method has no gateway answer (unconfirmed what the
// real gateway says; the signed 40002 is what every SDK handles).
func (g *Gateway) appPayOnGateway(context.Context, *Call) (*Object, string, error) {
	return nil, "", payment.Errorf(kit.CodeInvalidMethod,
		"%s is not a gateway call: the app hands the order string to the Alipay app (mockpay: POST /_mockpay/api/app-pay or /cashier/app)", MethodAppPay)
}

// AppOrder reads an app-pay order string as the Alipay app receives it from
// the mobile SDK (§2.7): query encoding with + or %20 for spaces, checked
// like a gateway request (app, signature, timestamp, version) and then as
// an order.
func (g *Gateway) AppOrder(ctx context.Context, orderStr string) (*payment.App, payment.Order, error) {
	raw, err := kit.ParseForm(orderStr)
	if err != nil {
		return nil, payment.Order{}, payment.Errorf(payment.CodeInvalidParameter, "order string: %v", err)
	}
	call, err := g.envelope(raw, &reply{method: raw.Value("method")})
	if err != nil {
		return nil, payment.Order{}, err
	}
	if call.Method != MethodAppPay {
		return nil, payment.Order{}, payment.Errorf(kit.CodeInvalidMethod, "method %q: an app order string is for %s", call.Method, MethodAppPay)
	}
	o, err := call.order(productRule{product: payment.ProductAppPay, code: "QUICK_MSECURITY_PAY"}, g.Clock.Now())
	return call.App, o, err
}

// AppPayResult is the result string the mobile SDK hands the app after a
// payment: the signed alipay_trade_app_pay_response node, sign and sign_type
// (§2.7, client-side result).
func AppPayResult(app *payment.App, t *payment.Trade, now time.Time) (string, error) {
	st := tradeSignType(app, t)
	charset := t.Charset
	if charset == "" {
		charset = string(kit.UTF8)
	}
	node := success().
		Str("app_id", app.AppID).Str("auth_app_id", app.AppID).Str("charset", charset).
		Str("timestamp", kit.DateTime(now)).Str("out_trade_no", t.OutTradeNo).
		Str("total_amount", t.Total.Yuan()).Str("trade_no", t.TradeNo).Str("seller_id", app.PID)
	body, err := Envelope(MethodAppPay, node.JSON(), app, st, kit.UTF8)
	if err != nil {
		return "", err
	}
	// The app's result carries sign_type after sign.
	return string(body[:len(body)-1]) + `,"sign_type":` + quote(string(st)) + "}", nil
}
