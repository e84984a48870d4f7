package payment

import (
	"time"

	"github.com/mockpay/mockpay/clock"
)

// DefaultUnpaidTimeout applies when an order names none: 15 days for page
// and wap pay (alipay-protocol.md §4.2).
const DefaultUnpaidTimeout = 15 * 24 * time.Hour

// MaxUnpaidTimeout is the longest an order may stay payable: timeout_express
// and it_b_pay range up to 15d (§4.2, §1.3). The digest gives time_expire no
// range; mockpay holds it to the same 15 days (unconfirmed), which also keeps
// every instant it stores far inside what Unix nanoseconds can hold
// (time_expire 9999-12-31 cannot be stored at all).
const MaxUnpaidTimeout = 15 * 24 * time.Hour

// Service holds the payment use cases. It knows nothing of HTTP, SQL or any
// wire format.
type Service struct {
	Repo  Repo
	Clock clock.Clock
	Apps  *Registry
	Buyer Buyer
	// IDs shapes the trade numbers and notification ids of each protocol;
	// the wiring injects the registered channels.
	IDs IDFormats
	// TermsRules judges the terms each protocol's orders carry
	// (Order.Terms); the wiring injects the registered channels.
	TermsRules TermsRules
	// RefundWindows gives each protocol's default refund window; the
	// wiring injects the registered channels.
	RefundWindows RefundWindows
	// RefundOutcomes says which protocols' refunds may end abnormal or
	// closed (SettleRefund); the wiring injects the registered channels.
	RefundOutcomes RefundOutcomes
	// Wake, when set, is called after a commit that queued notifications, so
	// the dispatcher delivers them at once instead of at its next wake-up.
	Wake func()
	// CheckCallback, when set, refuses a callback URL (notify_url,
	// return_url…) before an order or refund batch is stored: app wires in
	// selfguard, so no order can make mockpay call its own listeners or its
	// /_mockpay/ API. A plain func, so the domain knows nothing of
	// listeners or the network.
	CheckCallback func(rawURL string) error
}
