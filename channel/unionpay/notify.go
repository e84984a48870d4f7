package unionpay

import (
	"fmt"
	"net/http"
	"time"

	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/channel/unionpay/acp"
	"github.com/mockpay/mockpay/payment"
)

// DefaultSchedule is the wait after each failed back notification: five
// sends in all, the official sample's "0, 1, 2, 4 minutes" for the first
// four and [GO-SW]'s 5 minutes before the fifth (§5.2; the sources
// disagree, so the schedule is configurable: Deps.Schedule, or mockpay's
// --notify-schedule for every channel).
var DefaultSchedule = channel.Schedule{time.Minute, 2 * time.Minute, 4 * time.Minute, 5 * time.Minute}

// NotifyTimeout is how long the gateway waits for the merchant (§5.2).
const NotifyTimeout = 10 * time.Second

// Notifier sends back notifications to backUrl (§5.2): a form POST in the
// transaction's charset, signed in its scheme.
type Notifier struct {
	Apps     *payment.Registry
	schedule channel.Schedule
}

// Encode renders a notification: a consume's or completion's success, or
// a refund's or undo's outcome.
func (n Notifier) Encode(note *payment.Notification, _ time.Time) (channel.Request, error) {
	app, m, f, s, err := n.fields(note)
	if err != nil {
		return channel.Request{}, err
	}
	if err := m.Sign(f, s, app.PlatformPrivateKey()); err != nil {
		return channel.Request{}, err
	}
	return formRequest(f, s)
}

// fields are a notification's fields before they are signed, and the
// scheme they are signed in.
func (n Notifier) fields(note *payment.Notification) (*payment.App, *acp.Merchant, acp.Fields, acp.Scheme, error) {
	app, ok := n.Apps.App(note.AppID)
	if !ok || acp.Of(app) == nil {
		return nil, nil, nil, acp.Scheme{}, fmt.Errorf("no UnionPay merchant %s", note.AppID)
	}
	var f acp.Fields
	var s acp.Scheme
	if note.Refund != nil {
		f, s = refundFields(&note.Trade, note.Refund), refundTerms(note.Refund).scheme()
	} else {
		f, s = tradeFields(&note.Trade), orderTerms(&note.Trade).scheme()
	}
	notifyResp(f)
	return app, acp.Of(app), f, s, nil
}

// formRequest is a signed notification as posted, in its charset.
func formRequest(f acp.Fields, s acp.Scheme) (channel.Request, error) {
	body, err := acp.FormBody(f)
	if err != nil {
		return channel.Request{}, err
	}
	h := http.Header{}
	h.Set("Content-Type", "application/x-www-form-urlencoded;charset="+s.Encoding)
	return channel.Request{Body: body, Header: h}, nil
}

// Judge: HTTP 200 or 302 acknowledges, the body is ignored (§5.2).
func (Notifier) Judge(a channel.Answer) (bool, string) {
	if a.StatusCode == http.StatusOK || a.StatusCode == http.StatusFound {
		return true, fmt.Sprintf("HTTP %d acknowledges (UnionPay ignores the body)", a.StatusCode)
	}
	return false, fmt.Sprintf("HTTP %d is not 200 or 302: UnionPay sends again", a.StatusCode)
}

// Schedule is the retry schedule (DefaultSchedule unless configured).
func (n Notifier) Schedule() channel.Schedule {
	if n.schedule == nil {
		return DefaultSchedule
	}
	return n.schedule
}

// Timeout is the 10 s of §5.2.
func (Notifier) Timeout() time.Duration { return NotifyTimeout }
