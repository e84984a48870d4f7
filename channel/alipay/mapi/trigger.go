package mapi

import (
	"strings"

	"github.com/mockpay/mockpay/channel/alipay/kit"
	"github.com/mockpay/mockpay/payment"
)

// TriggerOrder is the order a triggered event makes for a legacy partner:
// a create_direct_pay_by_user order (§1.3) of the partner's own seller,
// payment_type 1 (goods purchase), total_fee, in utf-8 with the partner's
// sign type, held to the gateway's rules on out_trade_no, subject and
// notify_url. A plain 即时到账 partner's trade finishes when paid and cannot
// be refunded (§1.5), as a real order of it.
func TriggerOrder(app *payment.App, o payment.Order) (payment.Order, error) {
	o.Product, o.ProductCode = payment.ProductDirectPay, "create_direct_pay_by_user"
	o.Charset, o.SignType = string(kit.UTF8), string(app.SignType)
	o.Terms = Terms{PaymentType: "1", NoRefund: kit.Creds(app).Legacy != nil && kit.Creds(app).Legacy.NoRefund}.Raw()
	switch n := len(o.OutTradeNo); {
	case n == 0 || n > 64 || strings.ContainsAny(o.OutTradeNo, " \t\r\n"):
		return o, payment.Errorf(payment.CodeInvalidParameter, "out_trade_no %q: at most 64 characters, no blanks", o.OutTradeNo)
	case strings.TrimSpace(o.Subject) == "":
		return o, payment.Errorf(codeSubjectMissing, "subject is required")
	case len(o.Subject) > 256: // bytes, as the gateway counts them (§1.3)
		return o, payment.Errorf(payment.CodeInvalidParameter, "subject is longer than 256 bytes")
	}
	if err := checkRange("total_fee", o.Total); err != nil {
		return o, err
	}
	return o, checkURL("notify_url", o.NotifyURL, 190, true)
}
