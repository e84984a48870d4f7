package v2

import (
	"net/url"
	"strconv"

	"github.com/mockpay/mockpay/channel/wechatpay/kit"
	"github.com/mockpay/mockpay/payment"
)

// ProductMicropay is a payment-code trade's product (§1.4 micropay).
const ProductMicropay payment.Product = "wechatpay_micropay"

// order is the domain order a signed unifiedorder or micropay says.
func (a *API) order(c *call, tradeType string) (payment.Order, error) {
	v := c.v
	total, _ := strconv.ParseInt(v["total_fee"], 10, 64) // checked by CheckUnifiedOrder / CheckMicropay
	o := payment.Order{
		Protocol: kit.ProtocolV2, AppID: c.app.AppID, PID: c.app.PID, OutTradeNo: v["out_trade_no"],
		Subject: v["body"], Total: payment.Amount(total), Product: kit.Products[tradeType],
		NotifyURL: v["notify_url"], PassbackParams: v["attach"], SignType: string(c.m.SignType),
		ExpiresAfter: kit.DefaultUnpaidTimeout,
	}
	if tradeType == TradeMicropay {
		o.Product = ProductMicropay
	}
	if s := v["time_expire"]; s != "" {
		at, _ := ParseTime(s) // checked
		if now := a.Clock.Now(); at.Before(now.Add(minExpiry)) {
			// §1.5: time_expire must leave the buyer time to pay (the
			// platform's wording: 刷卡至少1分钟，其他5分钟).
			return o, ReturnFail("time_expire时间过短，刷卡至少1分钟，其他5分钟")
		}
		o.ExpiresAt = kit.PayableUntil(at, a.Clock.Now())
	}
	terms := kit.Terms{TradeType: tradeType, AppID: v["appid"], OpenID: v["openid"], PayerClientIP: v["spbill_create_ip"], Sandbox: c.sandbox}
	kit.SetTerms(&o, terms)
	return o, nil
}

// reused refuses an out_trade_no an open order of another trade type has
// (§1.5: changed parameters are OUT_TRADE_NO_USED); paid and closed
// orders are left to the domain, which answers ORDERPAID and ORDERCLOSED.
func (a *API) reused(c *call, tradeType string) error {
	prev, err := a.Service.Query(c.ctx, c.app, c.v["out_trade_no"], "")
	if err != nil || prev.Status != payment.StatusPending {
		return nil
	}
	if kit.OrderTerms(prev.Order).TradeType != tradeType {
		return Refuse(ErrOutTradeNoUsed, "")
	}
	return nil
}

// unifiedOrder is /pay/unifiedorder (§1.5): the trade opens at once, so the
// control API, orderquery and closeorder find it right after; resubmitting
// the same order answers the same trade with a fresh prepay_id.
func (a *API) unifiedOrder(c *call) ([]Field, error) {
	tradeType := c.v["trade_type"]
	o, err := a.order(c, tradeType)
	if err != nil {
		return nil, err
	}
	if err := a.reused(c, tradeType); err != nil {
		return nil, err
	}
	t, err := a.Service.Create(c.ctx, o)
	if err != nil {
		return nil, err
	}
	prepayID := kit.PrepayID(c.app, t.TradeNo, a.Clock.Now())
	fields := []Field{{"device_info", c.v["device_info"]}, {"trade_type", tradeType}, {"prepay_id", prepayID}}
	switch tradeType {
	case TradeNative:
		fields = append(fields, Field{"code_url", kit.CodeURL(t.TradeNo)})
	case TradeMWeb:
		// The page the buyer's browser opens (valid 5 minutes, §1.5): the
		// platform's checkmweb path, served by mockpay, which sends the
		// buyer on to the cashier.
		fields = append(fields, Field{"mweb_url", c.base + kit.H5Path + "?prepay_id=" + url.QueryEscape(prepayID) + "&package=" + kit.Digits(10)})
	}
	return fields, nil
}

// orderQuery is /pay/orderquery (§1.6).
func (a *API) orderQuery(c *call) ([]Field, error) {
	t, err := a.Service.Query(c.ctx, c.app, c.v["out_trade_no"], c.v["transaction_id"])
	if err != nil {
		return nil, err
	}
	return append([]Field{{"device_info", c.v["device_info"]}}, tradeFields(t)...), nil
}

// tradeFields are what orderquery says of t (§1.6): its state always, the
// payment's details once paid.
func tradeFields(t *payment.Trade) []Field {
	state := tradeState(t)
	terms := kit.OrderTerms(t.Order)
	fields := []Field{
		{"out_trade_no", t.OutTradeNo}, {"attach", t.PassbackParams}, {"total_fee", itoa(int64(t.Total))},
		{"fee_type", "CNY"}, {"trade_type", terms.TradeType}, {"trade_state", state},
		{"trade_state_desc", tradeStateDesc(state)},
	}
	if t.PaidAt.IsZero() {
		return fields
	}
	return append(fields, Field{"openid", openID(terms)}, Field{"is_subscribe", "N"}, Field{"bank_type", BankType},
		Field{"cash_fee", itoa(int64(t.Total))}, Field{"transaction_id", t.TradeNo}, Field{"time_end", Time(t.PaidAt)})
}

// BankType is the sandbox buyer's payment source: OTHERS, as the platform
// says of balance payments it does not name (§1.6 bank_type).
const BankType = "OTHERS"

func openID(t kit.Terms) string {
	if t.OpenID != "" {
		return t.OpenID
	}
	return kit.SandboxOpenID
}

// closeOrder is /pay/closeorder (§1.7): only an unpaid open order closes.
func (a *API) closeOrder(c *call) ([]Field, error) {
	t, err := a.Service.Close(c.ctx, c.app, c.v["out_trade_no"], "")
	if payment.CodeOf(err) == payment.CodeTradeStatusError && t != nil {
		if !t.PaidAt.IsZero() {
			return nil, Refuse(ErrOrderPaid, "")
		}
		return nil, Refuse(ErrOrderClosed, "")
	}
	if err != nil {
		return nil, err
	}
	return []Field{{"device_info", c.v["device_info"]}}, nil
}
