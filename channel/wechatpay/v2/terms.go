package v2

import (
	"time"

	"github.com/mockpay/mockpay/channel/wechatpay/kit"
	"github.com/mockpay/mockpay/payment"
)

// minExpiry is the shortest time_expire the platform takes (§1.5).
const minExpiry = time.Minute

// micropayTimeout is how long a USERPAYING payment-code trade waits for the
// buyer's password before it closes (the platform's payment-code flows
// poll for about 30 s and then reverse; mockpay waits longer so a tester
// can pay it by hand, unconfirmed).
const micropayTimeout = 5 * time.Minute

func termsOf(t *payment.Trade) kit.Terms { return kit.OrderTerms(t.Order) }

// tradeState is t's trade_state: the kit's, except that a payment-code
// trade waiting for the buyer's password is USERPAYING (§1.6).
func tradeState(t *payment.Trade) string {
	if t.Product == ProductMicropay && t.Status == payment.StatusPending {
		return StateUserPaying
	}
	return kit.TradeState(t)
}

// StateUserPaying is a payment-code trade waiting for the buyer (§1.6).
const StateUserPaying = "USERPAYING"

func tradeStateDesc(state string) string {
	if state == StateUserPaying {
		return "需要用户输入支付密码"
	}
	return kit.TradeStateDesc(state)
}
