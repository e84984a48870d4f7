package openapi

import (
	"context"

	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/payment"
)

// precreate answers alipay.trade.precreate with a qr_code that resolves to
// mockpay's scan page (§2.7). The real code is https://qr.alipay.com/<code>
// (§4.6); mockpay's must lead to mockpay, so it keeps only the code's shape.
func (g *Gateway) precreate(ctx context.Context, c *Call) (*Object, string, error) {
	o, err := c.order(productRule{product: payment.ProductPrecreate, code: "FACE_TO_FACE_PAYMENT"}, g.Clock.Now())
	if err != nil {
		return nil, "", echoKeys(err, o.OutTradeNo, "")
	}
	co, err := g.Service.Precreate(ctx, c.App, o)
	if err != nil {
		return nil, "", echoKeys(err, o.OutTradeNo, "")
	}
	return success().Str("out_trade_no", o.OutTradeNo).Str("qr_code", channel.BaseURL(ctx)+g.ScanPath(co.Token)), "", nil
}
