package v3

import (
	"github.com/mockpay/mockpay/channel/wechatpay/kit"
	"github.com/mockpay/mockpay/payment"
)

// TriggerOrder is the order a triggered event makes for an APIv3
// merchant: a Native order (§2.5) as if the shop had called
// /v3/pay/transactions/native for its own appid, held to the same field
// rules (out_trade_no of 6-32 characters, description of at most 127, an
// absolute notify_url without a query: APIv3 requires one), so the
// notification that follows is the real TRANSACTION.SUCCESS callback.
func TriggerOrder(app *payment.App, o payment.Order) (payment.Order, error) {
	creds := kit.Creds(app)
	if creds == nil {
		return o, payment.Errorf(payment.CodeInvalidAppID, "merchant %s has no APIv3 credentials", app.AppID)
	}
	total := int64(o.Total)
	in := orderIn{AppID: creds.AppID, MchID: app.AppID, Description: o.Subject, OutTradeNo: o.OutTradeNo,
		NotifyURL: o.NotifyURL, Amount: &amountIn{Total: &total, Currency: "CNY"}}
	if err := checkOrder(&in, kit.TradeNative, app, creds); err != nil {
		// The control API answers the domain's codes; the message keeps
		// the platform's own code and issue.
		return o, payment.Errorf(payment.CodeInvalidParameter, "%v", err)
	}
	o.Protocol, o.Product, o.ExpiresAfter = kit.ProtocolV3, kit.Products[kit.TradeNative], kit.DefaultUnpaidTimeout
	kit.SetTerms(&o, kit.Terms{TradeType: kit.TradeNative, AppID: creds.AppID})
	return o, nil
}
