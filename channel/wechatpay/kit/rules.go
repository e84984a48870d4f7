package kit

import "github.com/mockpay/mockpay/payment"

// TermRules are WeChat Pay's order rules (payment.Terms), v2 and v3: a
// reused out_trade_no must keep its total, a payment makes the trade paid,
// no callbacks beyond notify_url, and the end of the refund window is not
// notified — WeChat Pay notifies payments and refunds only
// (wechatpay-protocol.md §2.8).
type TermRules struct{}

var (
	_ payment.Terms        = TermRules{}
	_ payment.FinishNotice = TermRules{}
)

// AmountMismatch compares the totals.
func (TermRules) AmountMismatch(o payment.Order, t *payment.Trade) payment.Code {
	if o.Total != t.Total {
		return payment.CodeTotalMismatch
	}
	return ""
}

// PaidStatus: paid, refundable for a year.
func (TermRules) PaidStatus(payment.Order) payment.Status { return payment.StatusPaid }

// Callbacks: none beyond notify_url.
func (TermRules) Callbacks(payment.Order) []payment.Callback { return nil }

// NotifiesFinish: no.
func (TermRules) NotifiesFinish() bool { return false }
