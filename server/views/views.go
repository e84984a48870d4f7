// Package views is what the control API (server/api) and the dashboard
// (server/dashboard) both show: trades, notifications and apps as
// controlapi's JSON types, in the words of the channel each came through,
// and an error as the HTTP status and code both answer it with. It knows no
// echo: the two surfaces read their requests, views turns the domain's
// records into what they answer.
package views

import (
	"context"
	"github.com/mockpay/mockpay/faults"
	"time"

	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/controlapi"
	"github.com/mockpay/mockpay/journal"
	"github.com/mockpay/mockpay/payment"
)

// Store is what mockpay's own API and dashboard read; store.DB implements it.
type Store interface {
	Trades(ctx context.Context, f payment.TradeFilter) ([]*payment.Trade, error)
	Trade(ctx context.Context, tradeNo string) (*payment.Trade, error)
	TradeHistory(ctx context.Context, tradeNo string) ([]payment.TradeEvent, error)
	// RefundsOfTrade is a trade's refunds, oldest first (none for a trade
	// that has none, or for no such trade).
	RefundsOfTrade(ctx context.Context, tradeNo string) ([]*payment.Refund, error)
	Notifications(ctx context.Context, f payment.NotificationFilter) ([]*payment.Notification, error)
	Notification(ctx context.Context, id int64) (*payment.Notification, error)
	NotificationsOfTrade(ctx context.Context, tradeNo string) ([]*payment.Notification, error)
	Attempts(ctx context.Context, notificationID int64) ([]*payment.Attempt, error)
	AttemptsAfter(ctx context.Context, after int64, limit int) ([]payment.FeedAttempt, error)
	LastFeedID(ctx context.Context) (int64, error)
}

// Clock reads the virtual clock (the levers jump it).
type Clock interface {
	Now() time.Time
	Scale() float64
}

// Views turns the store's records into the JSON both surfaces show.
type Views struct {
	Channels *channel.Set // the status names and app views of each protocol
	Store    Store
	Schedule channel.Schedule // overrides every protocol's retry schedule when set (app.Config.Schedule)
}

// TradeJSON is a trade under its channel's status name.
func (v Views) TradeJSON(t *payment.Trade) controlapi.Trade {
	return controlapi.Trade{
		TradeNo: t.TradeNo, OutTradeNo: t.OutTradeNo, AppID: t.AppID, PID: t.PID, Status: v.Channels.StatusName(t.Protocol, t.Status),
		ScanCode: v.scanCode(t),
		Subject:  t.Subject, Body: t.Body, TotalAmount: t.Total.Yuan(), ProductCode: t.ProductCode,
		NotifyURL: t.NotifyURL, ReturnURL: t.ReturnURL, BuyerID: t.BuyerID,
		CreatedAt: Stamp(t.CreatedAt), PaidAt: Stamp(t.PaidAt), ClosedAt: Stamp(t.ClosedAt), ExpiresAt: Stamp(t.ExpiresAt),
		RefundedAmount: refunded(t.Refunded),
	}
}

// refunded is the refunded amount as the trade JSON shows it: absent until
// money went back, so a trade's bytes only change once it has refunds.
func refunded(a payment.Amount) string {
	if a == 0 {
		return ""
	}
	return a.Yuan()
}

// RefundStatus is the status of every refund mockpay records: refunds
// complete within the call that makes them, so each one succeeded
// (refund_status REFUND_SUCCESS, §2.7, §1.5), unless a lever ended it
// abnormal or closed (payment.RefundOutcome).
const RefundStatus = "REFUND_SUCCESS"

// RefundStatusOf is r's status as the control API shows it.
func RefundStatusOf(r *payment.Refund) string {
	switch r.Outcome {
	case payment.RefundAbnormal:
		return "REFUND_ABNORMAL"
	case payment.RefundClosed:
		return "REFUND_CLOSED"
	}
	return RefundStatus
}

// WithRefunds is a trade with its refunds, oldest first.
func (v Views) WithRefunds(ctx context.Context, t *payment.Trade) (controlapi.Trade, error) {
	j := v.TradeJSON(t)
	rs, err := v.Refunds(ctx, t.TradeNo)
	if len(rs) > 0 {
		j.Refunds = rs
	}
	return j, err
}

// Refunds is a trade's refunds, oldest first: OpenAPI refunds and legacy
// batch refunds alike, since both record one refund per request.
func (v Views) Refunds(ctx context.Context, tradeNo string) ([]controlapi.Refund, error) {
	rs, err := v.Store.RefundsOfTrade(ctx, tradeNo)
	if err != nil {
		return nil, err
	}
	out := []controlapi.Refund{}
	for _, r := range rs {
		out = append(out, controlapi.Refund{
			ID: r.ID, OutRequestNo: r.OutRequestNo, Amount: r.Amount.Yuan(), RefundedTotal: r.RefundedTotal.Yuan(),
			Reason: r.Reason, RefundedAt: Stamp(r.CreatedAt), Status: RefundStatusOf(r),
		})
	}
	return out, nil
}

// TradeDetail is a trade with its refunds, its status history and its notifications,
// each with every attempt.
func (v Views) TradeDetail(ctx context.Context, t *payment.Trade) (controlapi.Trade, error) {
	j, err := v.WithRefunds(ctx, t)
	if err != nil {
		return j, err
	}
	hist, err := v.Store.TradeHistory(ctx, t.TradeNo)
	if err != nil {
		return j, err
	}
	for _, h := range hist {
		j.History = append(j.History, controlapi.History{At: Stamp(h.At), Status: v.Channels.StatusName(t.Protocol, h.Status)})
	}
	ns, err := v.Store.NotificationsOfTrade(ctx, t.TradeNo)
	if err != nil {
		return j, err
	}
	for _, n := range ns {
		as, err := v.Store.Attempts(ctx, n.ID)
		if err != nil {
			return j, err
		}
		j.Notifications = append(j.Notifications, v.NotificationJSON(n, as))
	}
	return j, nil
}

func (v Views) scanCode(t *payment.Trade) string {
	text, _ := v.Channels.ScanCode(t)
	return text
}

// NotificationJSON is a notification with the attempts given.
func (v Views) NotificationJSON(n *payment.Notification, as []*payment.Attempt) controlapi.Notification {
	j := controlapi.Notification{
		ID: n.ID, NotifyID: n.NotifyID, AppID: n.AppID, TradeNo: n.Trade.TradeNo, OutTradeNo: n.Trade.OutTradeNo,
		TradeStatus: v.Channels.StatusName(n.Protocol, n.Trade.Status), URL: n.URL, Status: string(n.Status), AttemptCount: n.Attempts, Redeliveries: n.Redeliveries,
		CreatedAt: Stamp(n.CreatedAt), AckedAt: Stamp(n.AckedAt), Attempts: []controlapi.Attempt{},
	}
	if n.Status == payment.NotifyPending {
		j.NextAttemptAt = Stamp(n.NextAttemptAt)
	}
	if event, payload, ok := v.Channels.Reveal(n); ok {
		j.EventType, j.Payload = event, payload
	}
	for _, a := range as {
		if a.Number > n.Attempts {
			break // recorded after the notification row was read: keep the view consistent
		}
		j.Attempts = append(j.Attempts, AttemptJSON(a))
	}
	return j
}

// AttemptJSON is one delivery attempt.
func AttemptJSON(a *payment.Attempt) controlapi.Attempt {
	return controlapi.Attempt{
		Number: a.Number, ScheduledAt: Stamp(a.ScheduledAt), StartedAt: Stamp(a.StartedAt), URL: a.URL,
		StatusCode: a.StatusCode, LatencyMS: a.Latency.Milliseconds(), LagMS: a.StartedAt.Sub(a.ScheduledAt).Milliseconds(),
		Answer: a.Answer, Acked: a.Acked,
		Verdict: a.Verdict, Request: a.Request, Manual: a.Manual, Failure: failureOf(a),
	}
}

// failureOf is the failure an attempt is for the team to see
// (faults.Failure): canary_accepted, wrong_ack, or "".
func failureOf(a *payment.Attempt) string {
	kind, _ := faults.Failure(a)
	return kind
}

// AppView is an app as its protocol shows it (channel.Protocol.View), with
// the links it hands out under baseURL (scheme://host the client reached
// mockpay under).
func (v Views) AppView(a *payment.App, baseURL string) channel.AppView {
	p, _, ok := v.Channels.Protocol(a.Protocol())
	if !ok || p.View == nil {
		p = v.Channels.Default()
	}
	return p.View(a, baseURL)
}

// StatusFilter reads a status filter in any channel's words (WAIT_BUYER_PAY)
// or the domain's; a name nobody uses matches no trade, as before.
func (v Views) StatusFilter(name string) payment.Status {
	if st, ok := v.Channels.ParseStatus(name); ok || name == "" {
		return st
	}
	return payment.Status("unknown:" + name)
}

// Stamp formats a virtual time for mockpay's API: RFC 3339 in GMT+8, the
// platform's zone, so it reads like the protocol's own timestamps.
func Stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(payment.CST).Format(time.RFC3339)
}

// PollContext is a long poll's context: the request's, ended too when
// stopping ends (the server shutting down), so that open long polls answer
// at once instead of holding the shutdown up. A nil stopping never ends.
func PollContext(req, stopping context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(req)
	if stopping == nil {
		return ctx, cancel
	}
	stop := context.AfterFunc(stopping, cancel)
	return ctx, func() { stop(); cancel() }
}

// Stopped reports whether stopping (PollContext's) has ended.
func Stopped(stopping context.Context) bool { return stopping != nil && stopping.Err() != nil }

// ScheduleOf is the retry schedule of a protocol's notifications, as the
// dispatcher follows it: the override when set, else the notifier's.
func (v Views) ScheduleOf(p payment.Protocol) channel.Schedule {
	if v.Schedule != nil {
		return v.Schedule
	}
	if nt, ok := v.Channels.Notifier(p); ok {
		return nt.Schedule()
	}
	return nil
}

// RequestJSON is a journal entry as the control API and the dashboard show it.
func RequestJSON(e journal.Entry) controlapi.Request {
	r := controlapi.Request{ID: e.ID, Time: e.Wall.Format(time.RFC3339Nano), Surface: e.Surface,
		HTTP: e.HTTP, Path: e.Path, Status: e.Status, LatencyMS: e.Latency.Milliseconds(),
		AppID: e.App, Method: e.Method, Verdict: journal.VerdictAccepted,
		Code: e.Code, SubCode: e.SubCode, Message: e.Message}
	if !e.Virtual.IsZero() {
		r.Virtual = Stamp(e.Virtual)
	}
	if !e.Accepted() {
		r.Verdict = journal.VerdictRejected
	}
	if d := e.Diagnosis; d != nil {
		r.Diagnosis = &controlapi.Diagnosis{Cause: d.Cause, Canonical: d.Canonical, Summary: d.Summary, Details: d.Details}
		for _, p := range d.Params {
			r.Diagnosis.Params = append(r.Diagnosis.Params, controlapi.DiagnosisParam{Key: p.Key, Value: p.Value, Signed: p.Signed})
		}
	}
	return r
}
