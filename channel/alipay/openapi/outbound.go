package openapi

import (
	"fmt"
	"net/url"
	"time"

	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/channel/alipay/kit"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/sign"
)

// signOutbound signs parameters mockpay sends to the merchant (returns and
// notifications): every field but sign and sign_type, sorted, in the
// merchant's charset, with the platform key (§3.3).
func signOutbound(app *payment.App, st sign.Type, cs kit.Charset, params sign.Params) (string, error) {
	content := sign.Canonical(params, kit.NotifyRule.Options())
	return sign.SignRSA(app.PlatformPrivateKey(), st, kit.Encode(content, cs))
}

func tradeCharset(t *payment.Trade) kit.Charset {
	cs, ok := kit.ParseCharset(t.Charset)
	if !ok {
		return kit.UTF8
	}
	return cs
}

func tradeSignType(app *payment.App, t *payment.Trade) sign.Type {
	if st, err := sign.ParseType(t.SignType); err == nil {
		return st
	}
	return app.SignType
}

// ReturnParams are the signed sync-return parameters of a paid page/wap
// trade, in the order real returns show them (§3.6). No passback_params and
// no trade_status: those come only in the notification.
func ReturnParams(app *payment.App, t *payment.Trade, now time.Time) (sign.Params, error) {
	method := "alipay.trade.page.pay.return"
	if t.Product == payment.ProductWapPay {
		method = "alipay.trade.wap.pay.return"
	}
	st := tradeSignType(app, t)
	charset := t.Charset
	if charset == "" {
		charset = string(kit.UTF8)
	}
	p := sign.Params{
		{Key: "charset", Value: charset},
		{Key: "out_trade_no", Value: t.OutTradeNo},
		{Key: "method", Value: method},
		{Key: "total_amount", Value: t.Total.Yuan()},
		{Key: "sign", Value: ""},
		{Key: "trade_no", Value: t.TradeNo},
		{Key: "auth_app_id", Value: app.AppID},
		{Key: "version", Value: "1.0"},
		{Key: "app_id", Value: app.AppID},
		{Key: "sign_type", Value: string(st)},
		{Key: "seller_id", Value: app.PID},
		{Key: "timestamp", Value: kit.DateTime(now)},
	}
	sig, err := signOutbound(app, st, tradeCharset(t), p)
	if err != nil {
		return nil, err
	}
	p[4].Value = sig
	return p, nil
}

// ReturnURL is the shop's return_url with the sync-return parameters added
// to whatever query it already had, percent-encoded in the trade's charset.
func ReturnURL(app *payment.App, t *payment.Trade, now time.Time) (string, error) {
	p, err := ReturnParams(app, t, now)
	if err != nil {
		return "", err
	}
	u, err := url.Parse(t.ReturnURL)
	if err != nil {
		return "", err
	}
	q := kit.EncodeForm(p, tradeCharset(t))
	if u.RawQuery != "" {
		q = u.RawQuery + "&" + q
	}
	u.RawQuery = q
	return u.String(), nil
}

// NotificationParams are the fields of an asynchronous trade_status_sync
// notification (§3.2), signed, for an attempt at notifyTime. Empty fields are
// never sent (§3.3).
func NotificationParams(app *payment.App, n *payment.Notification, notifyTime time.Time) (sign.Params, error) {
	t := &n.Trade
	st := tradeSignType(app, t)
	charset := t.Charset
	if charset == "" {
		charset = string(kit.UTF8)
	}
	var p sign.Params
	p.AddNonEmpty("gmt_create", kit.DateTime(t.CreatedAt))
	p.Add("charset", charset)
	p.AddNonEmpty("seller_email", app.SellerEmail)
	p.Add("subject", t.Subject)
	p.AddNonEmpty("body", t.Body)
	p.AddNonEmpty("buyer_id", t.BuyerID)
	p.Add("notify_id", n.NotifyID)
	p.Add("notify_type", kit.NotifyType(n.Kind))
	p.Add("trade_status", kit.Statuses.Name(t.Status))
	p.Add("app_id", app.AppID)
	p.Add("sign_type", string(st))
	p.Add("seller_id", app.PID)
	p.AddNonEmpty("gmt_payment", kit.DateTime(t.PaidAt))
	p.Add("notify_time", kit.DateTime(notifyTime))
	p.AddNonEmpty("passback_params", t.PassbackParams)
	p.Add("version", "1.0")
	p.Add("out_trade_no", t.OutTradeNo)
	p.Add("total_amount", t.Total.Yuan())
	p.Add("trade_no", t.TradeNo)
	p.Add("auth_app_id", app.AppID)
	p.AddNonEmpty("buyer_logon_id", t.BuyerLogon)
	r := n.Refund
	refundClosed := r != nil && t.Status == payment.StatusClosed
	if !refundClosed {
		// Captured full-refund closes carry no payment amounts (§3.2).
		paid := t.Total
		p.Add("invoice_amount", paid.Yuan())
		p.Add("receipt_amount", paid.Yuan())
		p.Add("buyer_pay_amount", paid.Yuan())
		p.Add("point_amount", "0.00")
	}
	if r == nil {
		// The notification's fund_bill_list is a JSON string with camelCase
		// keys amount, fundChannel in that order (§3.2, §6.5 item 6); only
		// the payment notification carries it.
		p.Add("fund_bill_list", `[{"amount":"`+t.Total.Yuan()+`","fundChannel":"ALIPAYACCOUNT"}]`)
	} else {
		// Refunds: refund_fee is the cumulative refund, gmt_refund has
		// milliseconds, out_biz_no is the out_request_no (§3.2, §3.4).
		p.Add("refund_fee", r.RefundedTotal.Yuan())
		p.Add("gmt_refund", r.CreatedAt.In(payment.CST).Format(kit.TimestampLayout+".000"))
		p.Add("out_biz_no", r.OutRequestNo)
	}
	if t.Status == payment.StatusClosed {
		p.AddNonEmpty("gmt_close", kit.DateTime(t.ClosedAt))
	}
	sig, err := signOutbound(app, st, tradeCharset(t), p)
	if err != nil {
		return nil, err
	}
	p.Add("sign", sig)
	return p, nil
}

// NotificationBody is the form-urlencoded body of a notification attempt.
func NotificationBody(app *payment.App, n *payment.Notification, notifyTime time.Time) (string, error) {
	p, err := NotificationParams(app, n, notifyTime)
	if err != nil {
		return "", err
	}
	return kit.EncodeForm(p, tradeCharset(&n.Trade)), nil
}

// Notifier is OpenAPI's channel.Notifier: Alipay's ack rule, schedule and
// timeout (kit.Delivery), and the notification form signed for the attempt.
type Notifier struct {
	kit.Delivery
	Apps *payment.Registry
}

// Encode renders n as posted at (its notify_time): a form in the trade's
// charset (§3.1).
func (e Notifier) Encode(n *payment.Notification, at time.Time) (channel.Request, error) {
	app, ok := e.Apps.App(n.AppID)
	if !ok {
		return channel.Request{}, fmt.Errorf("app %s no longer exists", n.AppID)
	}
	body, err := NotificationBody(app, n, at)
	if err != nil {
		return channel.Request{}, err
	}
	return kit.FormRequest(body, tradeCharset(&n.Trade)), nil
}

var _ channel.Notifier = Notifier{}
