package payment

import "time"

// Status is where a trade is, in words of no platform: each channel names
// the states on its wire (channel.StatusNames; Alipay's names of
// alipay-protocol.md §4.1 are in channel/alipay/kit/status.go).
type Status string

const (
	StatusPending  Status = "pending"  // open, waiting for the buyer
	StatusPaid     Status = "paid"     // paid and still refundable
	StatusFinished Status = "finished" // paid, final: no more refunds
	StatusClosed   Status = "closed"   // closed unpaid, or refunded in full
)

// Statuses lists every state, in a trade's life order.
var Statuses = []Status{StatusPending, StatusPaid, StatusFinished, StatusClosed}

// Paid reports whether money has moved to the seller.
func (s Status) Paid() bool { return s == StatusPaid || s == StatusFinished }

// Product says how the buyer reached the cashier; it selects the sync-return
// method name and the cancel behaviour.
type Product string

const (
	ProductPagePay Product = "page" // alipay.trade.page.pay, FAST_INSTANT_TRADE_PAY
	ProductWapPay  Product = "wap"  // alipay.trade.wap.pay, QUICK_WAP_WAY
)

// Protocol names the wire protocol a trade was ordered through; returns and
// notifications are encoded by that protocol's channel.
type Protocol string

const (
	ProtocolOpenAPI Protocol = ""       // Alipay OpenAPI (gateway.do with method=), the default
	ProtocolLegacy  Protocol = "legacy" // the legacy MAPI gateway (gateway.do with service=, §1)
)

// Order is what a merchant asked for: the terms of a trade before it exists.
type Order struct {
	Protocol       Protocol `json:"Protocol"`
	AppID          string   `json:"AppID"`
	PID            string   `json:"PID"`
	OutTradeNo     string   `json:"OutTradeNo"`
	Subject        string   `json:"Subject"`
	Body           string   `json:"Body"`
	Total          Amount   `json:"Total"`
	Product        Product  `json:"Product"`
	ProductCode    string   `json:"ProductCode"`
	NotifyURL      string   `json:"NotifyURL"`
	ReturnURL      string   `json:"ReturnURL"`
	QuitURL        string   `json:"QuitURL"`
	PassbackParams string   `json:"PassbackParams"`
	// BoundBuyerID binds the trade to a buyer before payment
	// (alipay.trade.create's buyer_id).
	BoundBuyerID string `json:"BoundBuyerID,omitempty"`
	// Protocol details echoed back in returns and notifications.
	Charset  string `json:"Charset"`
	SignType string `json:"SignType"`
	// ExpiresAfter is the relative unpaid timeout (timeout_express); ExpiresAt
	// the absolute one (time_expire), which wins when both are set (§4.2).
	ExpiresAfter time.Duration `json:"ExpiresAfter"`
	ExpiresAt    time.Time     `json:"ExpiresAt"`
	// Legacy holds what only a legacy (MAPI) order says (§1.3).
	Legacy LegacyTerms `json:"Legacy"`
}

// SameTerms reports whether a resubmitted order may reopen an existing trade
// (§4.4): the amount, subject and body must match.
func (o Order) SameTerms(t *Trade) bool { return o.Mismatch(t) == "" }

// Buyer is the sandbox buyer account that pays in the cashier.
type Buyer struct {
	UserID   string `json:"UserID"`
	LogonID  string `json:"LogonID"` // masked, as Alipay shows it (§4.6)
	Balance  Amount `json:"Balance"`
	Password string `json:"Password"`
}

// Trade is a platform trade: it exists once the buyer entered the cashier
// (or the order opened it at once, Create).
type Trade struct {
	ID      int64  `json:"ID"`
	TradeNo string `json:"TradeNo"`
	Order
	Status      Status    `json:"Status"`
	BuyerID     string    `json:"BuyerID"`
	BuyerLogon  string    `json:"BuyerLogon"`
	CreatedAt   time.Time `json:"CreatedAt"`
	PaidAt      time.Time `json:"PaidAt"`
	ClosedAt    time.Time `json:"ClosedAt"`
	ExpiresAt   time.Time `json:"ExpiresAt"`
	ReturnToken string    `json:"ReturnToken"` // id of the checkout that created the trade
	// Refunded is the cumulative amount refunded (refund_fee); RefundedAt
	// the time of the latest refund.
	Refunded   Amount    `json:"Refunded"`
	RefundedAt time.Time `json:"RefundedAt"`
}

// Checkout is a signed page/wap order on its way to the cashier. The real
// platform creates no trade until the buyer enters the cashier (§2.7), so the
// order waits here under an unguessable token.
type Checkout struct {
	Token     string    `json:"Token"`
	Order     Order     `json:"Order"`
	CreatedAt time.Time `json:"CreatedAt"`
	// ValidUntil, when set, is when the way in expires unused: a precreate
	// QR code is valid for 2 hours (§2.7).
	ValidUntil time.Time `json:"ValidUntil,omitempty"`
}
