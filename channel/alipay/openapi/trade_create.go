package openapi

import (
	"context"
	"regexp"

	"github.com/mockpay/mockpay/channel/alipay/kit"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/sign"
)

// userIDPattern is an Alipay user id: 2088 + 12 digits (§4.6).
var userIDPattern = regexp.MustCompile(`^2088[0-9]{12}$`)

// create answers alipay.trade.create: a WAIT_BUYER_PAY trade bound to a
// buyer, created at once (§2.7). The buyer pays it in a mini-program; in
// mockpay at /cashier/trade/<trade_no> or through the control API.
func (g *Gateway) create(ctx context.Context, c *Call) (*Object, string, error) {
	o, err := c.order(productRule{product: payment.ProductCreate, code: "JSAPI_PAY"}, g.Clock.Now())
	if err != nil {
		return nil, "", echoKeys(err, o.OutTradeNo, "")
	}
	f := fields{biz: c.Biz}
	buyerID, openID := f.optional("buyer_id"), f.optional("buyer_open_id")
	switch {
	case f.err != nil:
		err = f.err
	case buyerID == "" && openID == "":
		// The payer must be bound (§2.7); the exact code is not documented,
		// so the usual one for a missing business field (§7).
		err = payment.Errorf(payment.CodeMissingParameter, "buyer_id or buyer_open_id is required in biz_content")
	case buyerID != "" && !userIDPattern.MatchString(buyerID):
		err = payment.Errorf(payment.CodeInvalidParameter, "buyer_id %q is not 2088 + 12 digits", buyerID)
	}
	if err != nil {
		return nil, "", echoKeys(err, o.OutTradeNo, "")
	}
	o.BoundBuyerID = buyerID
	if o.BoundBuyerID == "" {
		// An open id is opaque; the sandbox has one buyer, so it is that one.
		o.BoundBuyerID = g.Service.Buyer.UserID
	}
	t, err := g.Service.Create(ctx, o)
	if err != nil {
		return nil, "", echoTrade(err, t, o.OutTradeNo, "")
	}
	return success().Str("out_trade_no", t.OutTradeNo).Str("trade_no", t.TradeNo), "", nil
}

// cancel answers alipay.trade.cancel: a face-to-face reversal (§2.7). The
// answer always says retry_flag N: mockpay's outcome is never unknown.
func (g *Gateway) cancel(ctx context.Context, c *Call) (*Object, string, error) {
	noRetry := sign.Param{Key: "retry_flag", Value: "N"}
	out, no, err := c.tradeKey()
	if err != nil {
		return nil, "", &keyedError{error: err, outTradeNo: out, tradeNo: no, extra: []sign.Param{noRetry}}
	}
	res, err := g.Service.Reverse(ctx, c.App, out, no)
	if res.Trade != nil {
		out, no = res.Trade.OutTradeNo, res.Trade.TradeNo
	}
	if err != nil {
		return nil, "", &keyedError{error: err, outTradeNo: out, tradeNo: no, extra: []sign.Param{noRetry}}
	}
	o := success()
	o.StrNonEmpty("trade_no", no).StrNonEmpty("out_trade_no", out)
	o.Str(noRetry.Key, noRetry.Value)
	o.StrNonEmpty("action", string(res.Action))
	if res.Action == payment.ReverseRefund {
		o.StrNonEmpty("gmt_refund_pay", kit.DateTime(res.RefundedAt))
	}
	return o, "", nil
}
