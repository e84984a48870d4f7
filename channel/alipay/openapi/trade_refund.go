package openapi

import (
	"context"
	"encoding/json"
	"slices"
	"strings"

	"github.com/mockpay/mockpay/channel/alipay/kit"
	"github.com/mockpay/mockpay/payment"
)

// refund answers alipay.trade.refund (§2.7, rules §4.5). The refund is
// complete when the call returns.
func (g *Gateway) refund(ctx context.Context, c *Call) (*Object, string, error) {
	out, no, err := c.tradeKey()
	if err != nil {
		return nil, "", err
	}
	f := fields{biz: c.Biz}
	amount := f.required("refund_amount")
	req := payment.RefundRequest{OutTradeNo: out, TradeNo: no, OutRequestNo: f.optional("out_request_no"), Reason: f.optional("refund_reason")}
	opts, err := c.Biz.Strings("query_options")
	if err == nil {
		err = f.err
	}
	if err == nil {
		req.Amount, err = parseYuanField("refund_amount", amount)
	}
	if err == nil && len(req.OutRequestNo) > 64 {
		err = payment.Errorf(payment.CodeInvalidParameter, "out_request_no is longer than 64 characters")
	}
	if err != nil {
		return nil, "", echoKeys(err, out, no)
	}
	res, err := g.Service.Refund(ctx, c.App, req)
	if err != nil {
		var t *payment.Trade
		if res != nil {
			t = res.Trade
		}
		return nil, "", echoTrade(err, t, out, no)
	}
	t, r := res.Trade, res.Refund
	o := success()
	o.Str("trade_no", t.TradeNo).Str("out_trade_no", t.OutTradeNo)
	o.StrNonEmpty("buyer_logon_id", t.BuyerLogon).StrNonEmpty("buyer_user_id", t.BuyerID)
	o.Str("fund_change", yesNo(res.FundChange))
	// refund_fee is the trade's cumulative refund (§2.7); a replay answers
	// what the original call answered.
	o.Str("refund_fee", r.RefundedTotal.Yuan())
	o.Str("gmt_refund_pay", kit.DateTime(r.CreatedAt))
	if slices.Contains(opts, "refund_detail_item_list") {
		o.Raw("refund_detail_item_list", fundBillList(r.Amount))
		o.Str("send_back_fee", r.Amount.Yuan())
	}
	return o, "", nil
}

// refundQuery answers alipay.trade.fastpay.refund.query (§2.7).
func (g *Gateway) refundQuery(ctx context.Context, c *Call) (*Object, string, error) {
	out, no, err := c.tradeKey()
	if err != nil {
		return nil, "", err
	}
	f := fields{biz: c.Biz}
	reqNo := f.required("out_request_no")
	opts, err := c.Biz.Strings("query_options")
	if err == nil {
		err = f.err
	}
	if err != nil {
		return nil, "", echoKeys(err, out, no)
	}
	t, r, err := g.Service.RefundQuery(ctx, c.App, out, no, reqNo)
	if err != nil {
		return nil, "", echoKeys(err, out, no)
	}
	o := success()
	o.Str("trade_no", t.TradeNo).Str("out_trade_no", t.OutTradeNo)
	if r == nil {
		// An unknown out_request_no on an existing trade: Success with no
		// refund fields; no refund_status means "not received" (§2.7).
		return o, "", nil
	}
	o.Str("out_request_no", r.OutRequestNo)
	o.Str("total_amount", t.Total.Yuan())
	o.Str("refund_amount", r.Amount.Yuan())
	o.Str("refund_status", "REFUND_SUCCESS")
	o.Str("gmt_refund_pay", kit.DateTime(r.CreatedAt))
	o.StrNonEmpty("refund_reason", r.Reason)
	o.Str("send_back_fee", r.Amount.Yuan())
	if slices.Contains(opts, "refund_detail_item_list") {
		o.Raw("refund_detail_item_list", fundBillList(r.Amount))
	}
	// deposit_back_info is never emitted: smartwalle decodes it as an array,
	// gopay as an object (§2.7).
	return o, "", nil
}

func yesNo(b bool) string {
	if b {
		return "Y"
	}
	return "N"
}

// parseYuanField reads a positive amount field in yuan (§4.3).
func parseYuanField(name, s string) (payment.Amount, error) {
	a, err := payment.ParseYuan(s)
	if err != nil {
		return 0, payment.Errorf(payment.CodeInvalidParameter, "%s: %v", name, err)
	}
	if !a.InRange() {
		return 0, payment.Errorf(payment.CodeInvalidParameter, "%s %s is not within 0.01..100000000.00", name, s)
	}
	return a, nil
}

// Strings reads an array of strings (query_options); absent or null is nil.
func (b Biz) Strings(key string) ([]string, error) {
	raw, ok := b[key]
	if !ok || strings.TrimSpace(string(raw)) == "null" {
		return nil, nil
	}
	var out []string
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, payment.Errorf(payment.CodeInvalidParameter, "%s must be an array of strings", key)
	}
	return out, nil
}
