package v2

import (
	"fmt"
	"time"

	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/channel/wechatpay/kit"
	"github.com/mockpay/mockpay/payment"
)

// Notifier is APIv2's notifications (§1.9): the pay notification signed
// with the order's sign type, the refund notification with req_info
// encrypted; both acknowledged only by the XML SUCCESS answer and retried
// on WeChat's 15 intervals (§3) with a 5 s timeout.
type Notifier struct{ Apps *payment.Registry }

// Encode renders one attempt with a fresh nonce_str. APIv2 carries no
// timestamp, so the attempt's time changes nothing but the nonce.
func (nf Notifier) Encode(n *payment.Notification, _ time.Time) (channel.Request, error) {
	app, ok := nf.Apps.App(n.AppID)
	if !ok {
		return channel.Request{}, fmt.Errorf("no merchant %s", n.AppID)
	}
	m, err := notifyMerchant(app, &n.Trade)
	if err != nil {
		return channel.Request{}, err
	}
	switch {
	case n.Kind == payment.KindRefund && n.Refund != nil:
		return XMLRequest(RefundNotification(m, NewNonce(), RefundResultOf(&n.Trade, n.Refund))), nil
	case n.Kind == payment.KindTrade && !n.Trade.PaidAt.IsZero():
		return XMLRequest(PayNotification(m, NewNonce(), PayResultOf(&n.Trade))), nil
	}
	return channel.Request{}, fmt.Errorf("APIv2 notifies payments and refunds only, not %s", n.Kind)
}

// Reveal is what a refund notification's body hides: the req_info it
// encrypts, as plain XML (§1.9). A pay notification hides nothing.
func (nf Notifier) Reveal(n *payment.Notification) (event, payload string, ok bool) {
	if n.Kind != payment.KindRefund || n.Refund == nil {
		return "", "", false
	}
	return "refund " + RefundStatus(n.Refund), string(encodeRoot(refundFields(RefundResultOf(&n.Trade, n.Refund)))), true
}

// notifyMerchant is who a trade's notifications are signed for: the
// order's appid and sign type (P-V2-2), with the sandbox key for an order
// placed under a sandbox prefix.
func notifyMerchant(app *payment.App, t *payment.Trade) (Merchant, error) {
	c := kit.Creds(app)
	if c == nil || c.APIv2Key == "" {
		return Merchant{}, fmt.Errorf("merchant %s has no APIv2 key", app.AppID)
	}
	st, ok := ParseSignType(t.SignType)
	if !ok {
		st = MD5
	}
	terms := termsOf(t)
	key := c.APIv2Key
	if terms.Sandbox {
		key = SandboxKey(key)
	}
	appID := terms.AppID
	if appID == "" {
		appID = c.AppID
	}
	return Merchant{AppID: appID, MchID: app.AppID, Key: key, SignType: st}, nil
}

// PayResultOf is what the pay notification says of paid trade t.
func PayResultOf(t *payment.Trade) PayResult {
	terms := termsOf(t)
	return PayResult{OpenID: openID(terms), TradeType: terms.TradeType, BankType: BankType,
		TotalFee: int64(t.Total), CashFee: int64(t.Total), TransactionID: t.TradeNo, OutTradeNo: t.OutTradeNo,
		Attach: t.PassbackParams, TimeEnd: t.PaidAt}
}

// RefundResultOf is what the refund notification says of refund r of t.
func RefundResultOf(t *payment.Trade, r *payment.Refund) RefundResult {
	return RefundResult{TransactionID: t.TradeNo, OutTradeNo: t.OutTradeNo, RefundID: kit.RefundIDOf(r),
		OutRefundNo: r.OutRequestNo, TotalFee: int64(t.Total), RefundFee: int64(r.Amount), Status: RefundStatus(r),
		SuccessTime: r.CreatedAt, RecvAccount: RecvAccount}
}

// Judge is §1.9's acknowledgement rule.
func (Notifier) Judge(a channel.Answer) (bool, string) { return Judge(a) }

// Schedule is WeChat Pay's (§3), the same as APIv3's.
func (Notifier) Schedule() channel.Schedule { return kit.Schedule }

// Timeout bounds one attempt.
func (Notifier) Timeout() time.Duration { return kit.Timeout }
