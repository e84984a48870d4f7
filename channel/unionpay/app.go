package unionpay

import (
	"context"

	"github.com/mockpay/mockpay/channel/unionpay/acp"
	"github.com/mockpay/mockpay/payment"
)

// appOrder is appTransReq.do (§5.3): a consume for the UnionPay app. The
// order opens its trade at once and the answer carries its tn, a 21-digit
// number the app's startPay takes; mockpay's app page (/unionpay/app?tn=)
// plays the app.
func (g *gateway) appOrder(ctx context.Context, in *inbound) (acp.Fields, error) {
	if in.f["txnType"] != "01" {
		return nil, refuse(rcNoPermission, "appTransReq.do takes consume (txnType 01), not "+in.f["txnType"])
	}
	o, err := g.order(ctx, in, productApp)
	if err != nil {
		return nil, err
	}
	t, err := g.d.Service.Create(ctx, o)
	if err != nil {
		return nil, err
	}
	tn := acp.Digits(21)
	if _, err := g.d.Tokens.Issue(ctx, tokenTN, in.app.AppID, t.TradeNo, tn, tokenTTL); err != nil {
		return nil, payment.Errorf(payment.CodeSystemError, "issuing the tn: %v", err)
	}
	return acp.Fields{"tn": tn}, nil
}
