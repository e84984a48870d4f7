package payment

import (
	"time"

	"github.com/mockpay/mockpay/clock"
)

// DefaultUnpaidTimeout applies when an order names none: 15 days for page
// and wap pay (alipay-protocol.md §4.2).
const DefaultUnpaidTimeout = 15 * 24 * time.Hour

// Service holds the payment use cases. It knows nothing of HTTP, SQL or any
// wire format.
type Service struct {
	Repo  Repo
	Clock clock.Clock
	Apps  *Registry
	Buyer Buyer
	// Wake, when set, is called after a commit that queued notifications, so
	// the dispatcher delivers them at once instead of at its next wake-up.
	Wake func()
}
