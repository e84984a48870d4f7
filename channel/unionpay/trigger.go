package unionpay

import (
	"github.com/mockpay/mockpay/channel/unionpay/acp"
	"github.com/mockpay/mockpay/clock"
	"github.com/mockpay/mockpay/payment"
)

// triggers make the order a triggered event makes for a UnionPay merchant.
type triggers struct{ clock clock.Clock }

// order is a front consume (txnType 01, txnSubType 01, bizType 000201, PC
// channel 07, direct merchant access 0: §5.1) in the merchant's own
// version and signMethod, txnTime now on the virtual clock, held to the
// gateway's rules: an orderId of 8 to 40 letters and digits (§4) and a
// backUrl, where its back notification (§5.2) goes.
func (tr triggers) order(app *payment.App, o payment.Order) (payment.Order, error) {
	m, err := acp.Decode(app)
	if err != nil {
		return o, payment.Errorf(payment.CodeInvalidParameter, "UnionPay merchant %s: %v", app.AppID, err)
	}
	switch {
	case !acp.ValidOrderID(o.OutTradeNo):
		return o, payment.Errorf(payment.CodeInvalidParameter, "orderId %q: 8 to 40 letters and digits", o.OutTradeNo)
	case o.NotifyURL == "":
		return o, payment.Errorf(payment.CodeMissingParameter, "backUrl is missing: give notify_url")
	}
	t := Terms{Version: m.Version, SignMethod: m.SignMethod, Encoding: "UTF-8", TxnType: "01", TxnSubType: "01",
		BizType: "000201", ChannelType: "07", AccessType: "0", TxnTime: tr.clock.Now().In(acp.CST).Format(acp.TimeLayout)}
	o.Protocol, o.Product, o.ProductCode = Protocol, productConsume, t.BizType
	o.Charset, o.SignType, o.Terms = t.Encoding, t.Version+"/"+t.SignMethod, t.raw()
	return o, nil
}

// refund is a refund (txnType 04, §5.6) of the triggered consume t, sent
// to the consume's backUrl, with the terms its back notification echoes:
// the original's queryId and a queryId of its own.
func (tr triggers) refund(app *payment.App, t *payment.Trade, r payment.RefundRequest) (payment.RefundRequest, error) {
	m, err := acp.Decode(app)
	if err != nil {
		return r, payment.Errorf(payment.CodeInvalidParameter, "UnionPay merchant %s: %v", app.AppID, err)
	}
	now := tr.clock.Now()
	tm := Terms{Version: m.Version, SignMethod: m.SignMethod, Encoding: "UTF-8", TxnType: "04", TxnSubType: "00",
		BizType: "000201", ChannelType: "07", AccessType: "0", TxnTime: now.In(acp.CST).Format(acp.TimeLayout),
		OrigQryID: t.TradeNo, QueryID: acp.QueryID(now)}
	r.NotifyURL, r.Terms = t.NotifyURL, tm.raw()
	return r, nil
}
