package mapi

import (
	"context"
	"sort"
	"strconv"
	"time"

	"github.com/mockpay/mockpay/channel/alipay/kit"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/sign"
)

// singleTradeQuery answers single_trade_query with the trade as signed XML
// (§1.8); trade_no wins over out_trade_no.
func (g *Gateway) singleTradeQuery(ctx context.Context, c *Call) (Outcome, error) {
	out, no, err := c.tradeKey("out_trade_no")
	if err != nil {
		return Outcome{}, err
	}
	t, err := g.Service.Query(ctx, c.Partner, out, no)
	if err != nil {
		return Outcome{}, err
	}
	fields := tradeFields(c.Partner, t)
	paid := payment.Amount(0)
	if !t.PaidAt.IsZero() {
		paid = t.Total
	}
	// Query-only fields; the XML flags are T/F where notifications say Y/N
	// (§1.8 lists the trade's fields as unconfirmed).
	fields.Add("flag_trade_locked", "0")
	fields.Add("gmt_last_modified_time", kit.DateTime(lastModified(t)))
	fields.Add("is_total_fee_adjust", "F")
	fields.Add("to_buyer_fee", "0.00")
	fields.Add("to_seller_fee", paid.Yuan())
	fields.Add("use_coupon", "F")
	sort.SliceStable(fields, func(i, j int) bool { return fields[i].Key < fields[j].Key })
	r, err := successXML(c, "trade", fields)
	return Outcome{Reply: r}, err
}

// closeTrade answers close_trade: only a WAIT_BUYER_PAY trade closes. The
// merchant's order number is out_order_no here; out_trade_no is accepted
// too.
func (g *Gateway) closeTrade(ctx context.Context, c *Call) (Outcome, error) {
	out, no, err := c.tradeKey("out_order_no", "out_trade_no")
	if err != nil {
		return Outcome{}, err
	}
	if _, err := g.Service.Close(ctx, c.Partner, out, no); err != nil {
		return Outcome{}, err
	}
	r, err := successXML(c, "", nil)
	return Outcome{Reply: r}, err
}

// tradeKey reads trade_no and the first present merchant order number; one
// of them is required.
func (c *Call) tradeKey(outKeys ...string) (outTradeNo, tradeNo string, err error) {
	for _, k := range outKeys {
		if outTradeNo = c.Params.Value(k); outTradeNo != "" {
			break
		}
	}
	tradeNo = c.Params.Value("trade_no")
	if outTradeNo == "" && tradeNo == "" {
		return "", "", payment.Errorf(payment.CodeMissingParameter, "trade_no or %s is required", outKeys[0])
	}
	return outTradeNo, tradeNo, nil
}

// tradeFields are the trade's fields that notifications and queries share
// (§1.5, §1.8), without empty values. A total_fee order reports price =
// total_fee and quantity 1, as real notifications do.
func tradeFields(partner *payment.App, t *payment.Trade) sign.Params {
	price, quantity := priceQuantity(&t.Order)
	var p sign.Params
	p.AddNonEmpty("body", t.Body)
	p.AddNonEmpty("buyer_email", t.BuyerLogon)
	p.AddNonEmpty("buyer_id", t.BuyerID)
	p.Add("discount", "0.00")
	p.AddNonEmpty("gmt_close", kit.DateTime(t.ClosedAt))
	p.AddNonEmpty("gmt_create", kit.DateTime(t.CreatedAt))
	p.AddNonEmpty("gmt_payment", kit.DateTime(t.PaidAt))
	p.Add("out_trade_no", t.OutTradeNo)
	p.Add("payment_type", paymentType(t))
	p.Add("price", price.Yuan())
	p.Add("quantity", strconv.Itoa(quantity))
	p.AddNonEmpty("seller_email", partner.SellerEmail)
	p.Add("seller_id", partner.PID)
	p.Add("subject", t.Subject)
	p.Add("total_fee", t.Total.Yuan())
	p.Add("trade_no", t.TradeNo)
	p.Add("trade_status", kit.Statuses.Name(t.Status))
	return p
}

func lastModified(t *payment.Trade) time.Time {
	last := t.CreatedAt
	for _, at := range []time.Time{t.PaidAt, t.ClosedAt} {
		if at.After(last) {
			last = at
		}
	}
	return last
}
