package kit

import (
	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/payment"
)

// Statuses are WeChat Pay's names of the domain's trade states
// (wechatpay-protocol.md §1.6, the same in v2 and v3). WeChat has no word of
// its own for a paid trade whose refund window ended: it stays SUCCESS.
var Statuses = channel.StatusNames{
	payment.StatusPending:  "NOTPAY",
	payment.StatusPaid:     "SUCCESS",
	payment.StatusFinished: "SUCCESS",
	payment.StatusClosed:   "CLOSED",
}

// The trade_state values beyond the domain's states (§1.6).
const (
	// StateRefund: a paid trade with a refund (partial or full) reports
	// REFUND rather than SUCCESS or CLOSED.
	StateRefund = "REFUND"
	// StatePayError is a failed payment; on the platform only payment-code
	// (MICROPAY) trades reach it, so an order of JSAPI, APP, H5 or Native
	// whose payment the buyer fails stays NOTPAY and payable (§1.6).
	StatePayError = "PAYERROR"
)

// TradeState is t's trade_state on the wire (§1.6, §2.6): the domain's
// state in WeChat's words, REFUND once any of it was refunded.
func TradeState(t *payment.Trade) string {
	if t.Refunded > 0 {
		return StateRefund
	}
	return Statuses.Name(t.Status)
}

// TradeStateDesc is the trade_state_desc the platform sends beside it.
func TradeStateDesc(state string) string {
	switch state {
	case "NOTPAY":
		return "订单未支付"
	case "SUCCESS":
		return "支付成功"
	case "CLOSED":
		return "订单已关闭"
	case StateRefund:
		return "转入退款"
	case StatePayError:
		return "支付失败"
	}
	return state
}
