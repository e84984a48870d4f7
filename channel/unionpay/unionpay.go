// Package unionpay is the UnionPay online gateway channel (全渠道 ACP,
// unionpay-protocol.md): front and back transactions, queries, app
// payments and file transfer on the gateway's paths, certificate and
// secure-key signatures (channel/unionpay/acp), back notifications through
// the outbox. It knows no echo and no SQL.
package unionpay

import (
	"time"

	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/channel/unionpay/acp"
	"github.com/mockpay/mockpay/clock"
	"github.com/mockpay/mockpay/payment"
)

// Protocol is the id trades and notifications of UnionPay record.
const Protocol payment.Protocol = "unionpay"

// Deps is what the UnionPay channel is built from.
type Deps struct {
	Service *payment.Service
	Apps    *payment.Registry
	// Tokens keep what UnionPay issues beside trades: tn, and the orderIds
	// of refunds and undos, by which they are queried (§5.3, §5.4).
	Tokens *payment.Tokens
	Clock  clock.Clock
	Pages  channel.Pages
	// Schedule, when set, replaces the back-notification schedule of §5.2
	// (DefaultSchedule).
	Schedule channel.Schedule
}

// Statuses names the domain's states. UnionPay's wire has no trade status
// (a query reports origRespCode, §5.4), so these are the words mockpay
// shows: a consume being paid, succeeded, past its refund window, closed.
var Statuses = channel.StatusNames{
	payment.StatusPending:  "PROCESSING",
	payment.StatusPaid:     "SUCCESS",
	payment.StatusFinished: "SETTLED",
	payment.StatusClosed:   "CLOSED",
}

// Hosts are the real host names (§1.1, §1.2): the test and production
// gateways and file servers.
var Hosts = []string{"gateway.test.95516.com", "gateway.95516.com", "filedownload.test.95516.com", "filedownload.95516.com"}

// RefundWindow is how long a consume stays refundable: about 11 months
// (330 days, §5.6).
const RefundWindow = 330 * 24 * time.Hour

type gateway struct{ d Deps }

// New registers UnionPay.
func New(d Deps) *channel.Channel {
	g := &gateway{d: d}
	schedule := d.Schedule
	if schedule == nil {
		schedule = DefaultSchedule
	}
	nf := Notifier{Apps: d.Apps, schedule: schedule}
	return &channel.Channel{
		Name:     "unionpay",
		Statuses: Statuses,
		Gateway:  frontPath,
		Protocols: []*channel.Protocol{{
			ID: Protocol, Name: "acp", IDs: IDs{}, RefundWindow: RefundWindow, Terms: TermRules{},
			Notifier: nf, Faults: g.faults(nf),
			Return: ReturnURL, Describe: describe, View: view, Check: check, Certs: certs, Banner: banner,
			Trigger: triggers{clock: d.Clock}.order, TriggerRefund: triggers{clock: d.Clock}.refund,
		}},
		Routes: g.routes(),
		Hosts:  Hosts,
	}
}

// check decodes a merchant's credentials once, when it is registered.
func check(app *payment.App) error {
	m, err := acp.Decode(app)
	if err != nil {
		return payment.Errorf(payment.CodeInvalidParameter, "UnionPay merchant %s: %v", app.AppID, err)
	}
	app.SetDecoded(acp.ChannelName, m)
	return nil
}

// describe words an error for the cashier's error page in respCodes.
func describe(err error) channel.ErrorView {
	code, msg := wireOf(err)
	return channel.ErrorView{SubCode: code, SubMsg: msg, Detail: detailOf(err)}
}

// IDs shapes UnionPay's numbers: a trade's number is its 21-digit queryId.
type IDs struct{}

// TradeNo is a queryId (§6).
func (IDs) TradeNo(now time.Time) string { return acp.QueryID(now) }

// NotifyID identifies a notification in mockpay; UnionPay's wire has none.
func (IDs) NotifyID(now time.Time) string { return "UP" + acp.QueryID(now) }
