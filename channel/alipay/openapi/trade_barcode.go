package openapi

import (
	"context"

	"github.com/mockpay/mockpay/channel/alipay/kit"
	"github.com/mockpay/mockpay/payment"
)

// msgPayInProcess is the 10003 message, leading space included (§2.6).
const msgPayInProcess = " order success pay inprocess"

// barcodePay answers alipay.trade.pay: the merchant scanned the buyer's
// payment code (§2.7). The sandbox's magic codes select the outcome
// (payment.AuthCode*): 10000 paid, 10003 waiting for the buyer's password,
// or a business error.
func (g *Gateway) barcodePay(ctx context.Context, c *Call) (*Object, string, error) {
	o, err := c.order(productRule{product: payment.ProductBarcode, code: "FACE_TO_FACE_PAYMENT"}, g.Clock.Now())
	if err != nil {
		return nil, "", echoKeys(err, o.OutTradeNo, "")
	}
	f := fields{biz: c.Biz}
	authCode, scene := f.required("auth_code"), f.optional("scene")
	switch {
	case f.err != nil:
		err = f.err
	case scene != "" && scene != "bar_code" && scene != "security_code":
		err = payment.Errorf(payment.CodeInvalidParameter, "scene %q: use bar_code or security_code", scene)
	}
	if err != nil {
		return nil, "", echoKeys(err, o.OutTradeNo, "")
	}
	t, err := g.Service.BarcodePay(ctx, o, authCode)
	if err != nil {
		return nil, "", echoTrade(err, t, o.OutTradeNo, "")
	}
	out := success()
	paid := t.Total
	if t.Status == payment.StatusPending {
		// Waiting: nothing is paid yet, so the amounts are zero (§2.7).
		out = (&Object{}).Str("code", "10003").Str("msg", msgPayInProcess)
		paid = 0
	}
	out.Str("trade_no", t.TradeNo).Str("out_trade_no", t.OutTradeNo)
	out.StrNonEmpty("buyer_logon_id", t.BuyerLogon)
	out.Str("total_amount", t.Total.Yuan())
	out.Str("receipt_amount", paid.Yuan()).Str("buyer_pay_amount", paid.Yuan())
	out.Str("invoice_amount", paid.Yuan()).Str("point_amount", "0.00")
	if t.Status.Paid() {
		out.Str("gmt_payment", kit.DateTime(t.PaidAt))
		out.Raw("fund_bill_list", fundBillList(paid))
	}
	out.StrNonEmpty("buyer_user_id", t.BuyerID)
	if t.BuyerID != "" {
		out.Str("buyer_user_type", "PRIVATE")
	}
	return out, "", nil
}
