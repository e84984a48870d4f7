// Package channel is the contract between mockpay's core and the payment
// platforms it emulates. A channel (channel/alipay today; WeChat Pay and
// UnionPay next) registers one Channel: its wire protocols, its routes as
// standard-library handlers, the names it gives the domain's trade states,
// and per protocol its id formats, notifier, return builder and error
// wording. server, cashier, notify and the wiring iterate the registered Set;
// none of them imports a concrete channel, and a channel imports neither
// them nor the store.
package channel

import (
	"context"
	"net/http"
	"time"

	"github.com/mockpay/mockpay/payment"
)

// Channel is one payment platform as mockpay emulates it.
type Channel struct {
	// Name is the platform's short name ("alipay"), shown in the dashboard.
	Name string
	// Statuses names the domain's trade states on this platform's wire.
	Statuses StatusNames
	// Protocols are the platform's wire protocols: each trade was ordered
	// through exactly one of them, and its returns and notifications speak it.
	Protocols []*Protocol
	// Gateway is the path of the endpoint the platform's SDKs are pointed
	// at (Alipay: /gateway.do), shown on the dashboard.
	Gateway string
	// Routes are the platform's own paths (its gateways, verify endpoints,
	// file servers); the server mounts each handler as it is, behind its
	// security headers and, unless the route bounds its own body, its size
	// limit.
	Routes []Route
	// Hosts are the platform's real host names, the ones its SDKs compile
	// in: proxy mode serves requests for them and mockpay's TLS certificate
	// names them. A host no channel declares is refused by the proxy.
	Hosts []string
}

// Protocol is one wire protocol of a channel: what the core needs to speak it
// once an order came in through the channel's routes.
type Protocol struct {
	// ID is what a trade and a notification record (payment.Order.Protocol).
	ID payment.Protocol
	// Name is the protocol's short name ("openapi", "mapi").
	Name string
	// IDs shapes the trade numbers and notification ids the platform issues
	// for trades of this protocol.
	IDs payment.IDs
	// Terms, when set, judges what this protocol's orders carry beyond the
	// domain's fields (payment.Order.Terms): the amount terms a reused
	// out_trade_no must keep, where a payment moves the trade, more
	// callback URLs. Without it the domain's rules apply.
	Terms payment.Terms
	// RefundWindow is how long a paid trade of this protocol stays
	// refundable unless its app names its own window; zero leaves the
	// domain's default (payment.DefaultRefundWindow).
	RefundWindow time.Duration
	// RefundOutcomes says this protocol's refunds settle after the answer
	// (WeChat Pay's PROCESSING, wechatpay-protocol.md §2.6), so a refund
	// may end abnormal or closed (payment.Service.SettleRefund); without it
	// refunds are synchronous and the outcome levers are refused.
	RefundOutcomes bool
	// Notifier encodes and judges this protocol's notifications.
	Notifier Notifier
	// Return builds the URL the buyer's browser goes to after paying (the
	// signed sync return), or "" when the order named none.
	Return ReturnFunc
	// Describe words an error for the cashier's error page in this
	// protocol's own codes.
	Describe func(error) ErrorView
	// View shows an app of this protocol in mockpay's control API and
	// dashboard, in the platform's terms; baseURL is scheme://host the
	// client reached mockpay under.
	View func(app *payment.App, baseURL string) AppView
	// Check, when set, refuses an app of this protocol the platform could
	// not serve (ids or keys of the wrong shape), before it is registered.
	Check func(app *payment.App) error
	// NewApp, when set, creates a sandbox app of this protocol with fresh
	// ids and keys of the platform's shape (POST /_mockpay/api/apps).
	NewApp func(spec payment.AppSpec, taken func(appID string) bool) (*payment.App, error)
	// AppPay is the protocol's app payment (an order string the platform's
	// mobile app receives), or nil when it has none.
	AppPay *AppPay
	// Certs, when set, are the certificates an app of this protocol
	// downloads from mockpay (GET /_mockpay/api/apps/{app_id}/certs), or
	// false when the app has none.
	Certs func(app *payment.App) (Certs, bool)
	// Faults, when set, lends fault scenarios what only the platform's
	// wire can do: forged notifications and its "system busy" answer.
	Faults *Faults
	// ScanCode, when set, is the text of the QR code a buyer scans to pay
	// t (WeChat Native's code_url), or false when t's order has none: the
	// cashier and the dashboard draw it.
	ScanCode func(t *payment.Trade) (string, bool)
	// Reveal, when set, is what a notification of this protocol says
	// that its wire body hides (WeChat Pay APIv3's encrypted resource): its
	// event type and the plain payload, shown beside the wire body.
	Reveal func(n *payment.Notification) (event, payload string, ok bool)
	// Banner, when set, is the app's line in the start-up banner of
	// mockpay serve: what a shop configures. Without it the banner shows
	// the app id, sign type, merchant id and name.
	Banner func(app *payment.App) string
	// Trigger, when set, completes the order a triggered event makes for an
	// app of this protocol (POST /_mockpay/api/trades, mockpay trigger): the
	// neutral order as the shop would have placed it, to which the protocol
	// adds what its platform's orders carry (product, charset, sign type),
	// refusing what its gateway would refuse. Without it the protocol's apps
	// cannot be triggered.
	Trigger func(app *payment.App, o payment.Order) (payment.Order, error)
	// TriggerRefund, when set, completes the refund a triggered
	// "refunded" event makes of trade t, as the merchant's refund request
	// would (UnionPay: the txnType 04 terms its notification echoes).
	// Without it the neutral request is used as it is.
	TriggerRefund func(app *payment.App, t *payment.Trade, r payment.RefundRequest) (payment.RefundRequest, error)
}

// Certs are an app's certificates as mockpay hands them out.
type Certs struct {
	// Files are the certificate files by the names the platform's console
	// gives them, each a PEM.
	Files map[string]string
	// View is the JSON that lists them, given each file's download URL.
	View func(fileURLs map[string]string) any
}

// AppView is an app as the control API and the dashboard show it.
type AppView struct {
	// Section is the dashboard's list it appears in (Alipay: "apps" for
	// OpenAPI apps, "partners" for MAPI partners); the dashboard's
	// template names the sections.
	Section string
	// Fields are the app in GET /_mockpay/api/apps, and what its dashboard
	// section shows: its ids and keys under the platform's names.
	Fields any
}

// AppPay is a protocol's app payment as the sandbox plays the mobile app.
type AppPay struct {
	// Order reads and verifies an order string.
	Order func(ctx context.Context, orderStr string) (*payment.App, payment.Order, error)
	// Result is the signed result string the mobile SDK hands the app
	// after a payment.
	Result ReturnFunc
}

// ReturnFunc builds a paid trade's signed return URL at now.
type ReturnFunc func(app *payment.App, t *payment.Trade, now time.Time) (string, error)

// ErrorView is an error as the platform's error page shows it: its code,
// its message and mockpay's explanation.
type ErrorView struct {
	SubCode, SubMsg, Detail string
}

// Notifier is a protocol's asynchronous notification: how an outbox row
// becomes an HTTP request, how the shop's answer is judged, and when the
// platform tries again.
type Notifier interface {
	// Encode renders n as the request of the attempt the platform meant to
	// send at (its notify_time): body and headers, signed.
	Encode(n *payment.Notification, at time.Time) (Request, error)
	// Judge applies the acknowledgement rule to the shop's answer: Alipay
	// wants 200 and exactly "success"; WeChat Pay APIv3 any 200 or 204 and
	// ignores the body.
	Judge(a Answer) (acked bool, verdict string)
	// Schedule is the wait after each failed attempt.
	Schedule() Schedule
	// Timeout bounds one attempt: how long the platform waits for an answer.
	Timeout() time.Duration
}

// Request is one notification attempt as sent: POST to the notification's URL.
type Request struct {
	Body   string
	Header http.Header // Content-Type at least; signature headers where the protocol signs them
}

// Answer is what the shop answered one attempt.
type Answer struct {
	StatusCode int
	Header     http.Header
	Body       []byte // the first bytes of it
}
