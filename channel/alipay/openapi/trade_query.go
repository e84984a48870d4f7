package openapi

import (
	"context"

	"github.com/mockpay/mockpay/channel/alipay/kit"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/sign"
)

// tradeKey reads out_trade_no / trade_no, one of which is required.
func (c *Call) tradeKey() (outTradeNo, tradeNo string, err error) {
	f := fields{biz: c.Biz}
	outTradeNo, tradeNo = f.optional("out_trade_no"), f.optional("trade_no")
	if f.err != nil {
		return "", "", f.err
	}
	if outTradeNo == "" && tradeNo == "" {
		return "", "", payment.Errorf(payment.CodeMissingParameter, "out_trade_no or trade_no is required in biz_content")
	}
	return outTradeNo, tradeNo, nil
}

// query answers alipay.trade.query (§2.7).
func (g *Gateway) query(ctx context.Context, c *Call) (*Object, string, error) {
	out, no, err := c.tradeKey()
	if err != nil {
		return nil, "", err
	}
	t, err := g.Service.Query(ctx, c.App, out, no)
	if err != nil {
		return nil, "", echoKeys(err, out, no)
	}
	o := success()
	o.Str("trade_no", t.TradeNo).Str("out_trade_no", t.OutTradeNo)
	o.StrNonEmpty("buyer_logon_id", t.BuyerLogon)
	o.Str("trade_status", kit.Statuses.Name(t.Status))
	o.Str("total_amount", t.Total.Yuan())
	paid := payment.Amount(0)
	if t.Status.Paid() || !t.PaidAt.IsZero() {
		paid = t.Total
	}
	// Unpaid trades report zero amounts (§2.7 alipay.trade.query).
	o.Str("buyer_pay_amount", paid.Yuan()).Str("point_amount", "0.00")
	o.Str("invoice_amount", paid.Yuan()).Str("receipt_amount", paid.Yuan())
	o.StrNonEmpty("send_pay_date", kit.DateTime(t.PaidAt))
	if !t.PaidAt.IsZero() {
		o.Raw("fund_bill_list", fundBillList(paid))
	}
	o.StrNonEmpty("buyer_user_id", t.BuyerID)
	if t.BuyerID != "" {
		o.Str("buyer_user_type", "PRIVATE")
	}
	o.Str("subject", t.Subject)
	o.StrNonEmpty("body", t.Body)
	return o, "", nil
}

// close answers alipay.trade.close (§2.7).
func (g *Gateway) close(ctx context.Context, c *Call) (*Object, string, error) {
	out, no, err := c.tradeKey()
	if err != nil {
		return nil, "", err
	}
	t, err := g.Service.Close(ctx, c.App, out, no)
	if err != nil {
		return nil, "", echoTrade(err, t, out, no)
	}
	return success().Str("trade_no", t.TradeNo).Str("out_trade_no", t.OutTradeNo), "", nil
}

func success() *Object {
	return (&Object{}).Str("code", "10000").Str("msg", "Success")
}

// fundBillList is the API form of the funds used: an array of objects with
// snake_case keys (§2.7), unlike the notification's camelCase string (§3.2).
func fundBillList(a payment.Amount) string {
	item := (&Object{}).Str("fund_channel", "ALIPAYACCOUNT").Str("amount", a.Yuan())
	return "[" + item.JSON() + "]"
}

// keyedError carries the identifiers a business error node echoes.
type keyedError struct {
	error
	outTradeNo, tradeNo string
	extra               []sign.Param // more fields the error node carries
}

func (e *keyedError) Unwrap() error { return e.error }

func echoKeys(err error, outTradeNo, tradeNo string) error {
	return &keyedError{error: err, outTradeNo: outTradeNo, tradeNo: tradeNo}
}

// echoTrade is echoKeys preferring the identifiers of the trade the error
// is about, when there is one.
func echoTrade(err error, t *payment.Trade, outTradeNo, tradeNo string) error {
	if t != nil {
		return echoKeys(err, t.OutTradeNo, t.TradeNo)
	}
	return echoKeys(err, outTradeNo, tradeNo)
}
