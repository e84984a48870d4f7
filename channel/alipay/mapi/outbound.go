package mapi

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/channel/alipay/kit"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/sign"
)

// ReturnNotifyIDLifetime is how long a sync return's notify_id verifies,
// on the virtual clock: about one minute (§1.4).
const ReturnNotifyIDLifetime = time.Minute

func tradeCharset(t *payment.Trade) kit.Charset {
	if cs, ok := kit.ParseCharset(t.Charset); ok {
		return cs
	}
	return kit.UTF8
}

// tradeSignType is the sign_type the order came with: mockpay answers a
// partner in the algorithm it signs with.
func tradeSignType(t *payment.Trade) sign.Type {
	if st := sign.Type(t.SignType); st == sign.RSA {
		return st
	}
	return sign.MD5Type
}

// Returns builds the sync return of paid legacy trades; its notify_id is
// recorded so that notify_verify accepts it for ReturnNotifyIDLifetime.
type Returns struct {
	Tokens *payment.Tokens
}

// URL implements cashier.ReturnURLFunc: return_url plus the signed §1.4
// parameters, percent-encoded in the trade's charset.
func (r Returns) URL(app *payment.App, t *payment.Trade, now time.Time) (string, error) {
	id := NewNotifyID()
	// The cashier builds the URL after the payment committed; the id is
	// worth little beyond the next minute, so it has a write of its own.
	if _, err := r.Tokens.Issue(context.Background(), TokenReturnNotifyID, app.AppID, t.TradeNo, id, ReturnNotifyIDLifetime); err != nil {
		return "", err
	}
	p, err := ReturnParams(app, t, id, now)
	if err != nil {
		return "", err
	}
	sep := "?"
	if strings.Contains(t.ReturnURL, "?") { // never accepted for new orders (§1.3), but be safe
		sep = "&"
	}
	return t.ReturnURL + sep + kit.EncodeForm(p, tradeCharset(t)), nil
}

// ReturnParams are the signed sync-return parameters of a paid trade
// (§1.4): sorted, empty ones left out, sign and sign_type last.
func ReturnParams(app *payment.App, t *payment.Trade, notifyID string, now time.Time) (sign.Params, error) {
	var p sign.Params
	p.AddNonEmpty("body", t.Body)
	p.AddNonEmpty("buyer_email", t.BuyerLogon)
	p.AddNonEmpty("buyer_id", t.BuyerID)
	p.Add("exterface", t.ProductCode)
	p.AddNonEmpty("extra_common_param", t.PassbackParams)
	p.Add("is_success", "T")
	p.Add("notify_id", notifyID)
	p.Add("notify_time", kit.DateTime(now))
	p.Add("notify_type", kit.NotifyTypeTradeStatus)
	p.Add("out_trade_no", t.OutTradeNo)
	p.Add("payment_type", paymentType(t))
	p.AddNonEmpty("seller_email", app.SellerEmail)
	p.Add("seller_id", app.PID)
	p.Add("subject", t.Subject)
	p.Add("total_fee", t.Total.Yuan())
	p.Add("trade_no", t.TradeNo)
	p.Add("trade_status", kit.Statuses.Name(t.Status))
	return withSign(app, tradeSignType(t), tradeCharset(t), p)
}

// NotificationParams are the fields of a trade_status_sync notification
// (§1.5) for an attempt at notifyTime, signed, with no empty values.
func NotificationParams(app *payment.App, n *payment.Notification, notifyTime time.Time) (sign.Params, error) {
	t := &n.Trade
	p := tradeFields(app, t)
	p.Add("extra_common_param", t.PassbackParams)
	p.Add("is_total_fee_adjust", "N")
	p.Add("notify_id", n.NotifyID)
	p.Add("notify_time", kit.DateTime(notifyTime))
	p.Add("notify_type", kit.NotifyType(n.Kind))
	p.Add("use_coupon", "N")
	if n.Refund != nil {
		// A refund notifies the trade too: TRADE_SUCCESS after a partial
		// refund, TRADE_CLOSED after a full one, with refund_status (§1.5).
		p.Add("refund_status", "REFUND_SUCCESS")
		p.Add("gmt_refund", kit.DateTime(n.Refund.CreatedAt))
	}
	var out sign.Params
	for _, kv := range p {
		out.AddNonEmpty(kv.Key, kv.Value)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return withSign(app, tradeSignType(t), tradeCharset(t), out)
}

func withSign(app *payment.App, st sign.Type, cs kit.Charset, p sign.Params) (sign.Params, error) {
	sig, err := signParams(app, st, cs, p)
	if err != nil {
		return nil, err
	}
	p.Add("sign", sig)
	p.Add("sign_type", string(st))
	return p, nil
}

func paymentType(t *payment.Trade) string {
	if t.Legacy.PaymentType == "" {
		return "1"
	}
	return t.Legacy.PaymentType
}

// Notifier is MAPI's channel.Notifier: Alipay's ack rule, schedule and
// timeout (kit.Delivery), and the notification form signed for the attempt.
type Notifier struct {
	kit.Delivery
	Apps *payment.Registry
}

// Encode renders n as posted at (its notify_time): a form in the trade's
// charset (gbk bytes, percent-encoded, for a gbk partner; §1.5).
func (e Notifier) Encode(n *payment.Notification, at time.Time) (channel.Request, error) {
	app, ok := e.Apps.App(n.AppID)
	if !ok {
		return channel.Request{}, fmt.Errorf("partner %s no longer exists", n.AppID)
	}
	var p sign.Params
	var err error
	var cs kit.Charset
	if n.Kind == payment.KindBatchRefund {
		p, err = batchNotificationParams(app, n, at)
		cs = batchCharset(n.Batch)
	} else {
		p, err = NotificationParams(app, n, at)
		cs = tradeCharset(&n.Trade)
	}
	if err != nil {
		return channel.Request{}, err
	}
	return kit.FormRequest(kit.EncodeForm(p, cs), cs), nil
}

var _ channel.Notifier = Notifier{}
