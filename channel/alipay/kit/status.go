package kit

import (
	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/payment"
)

// Statuses are Alipay's names of the trade states, the same for OpenAPI and
// the legacy MAPI (alipay-protocol.md §4.1).
var Statuses = channel.StatusNames{
	payment.StatusPending:  "WAIT_BUYER_PAY",
	payment.StatusPaid:     "TRADE_SUCCESS",
	payment.StatusFinished: "TRADE_FINISHED",
	payment.StatusClosed:   "TRADE_CLOSED",
}
