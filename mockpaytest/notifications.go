package mockpaytest

import (
	"context"
	"net/url"
	"time"

	"github.com/mockpay/mockpay/faults"
	"github.com/mockpay/mockpay/payment"
)

// NotificationStatus is where a notification is in its delivery.
type NotificationStatus string

const (
	Pending NotificationStatus = NotificationStatus(payment.NotifyPending) // will be retried
	Acked   NotificationStatus = NotificationStatus(payment.NotifyAcked)   // the shop answered "success"
	GaveUp  NotificationStatus = NotificationStatus(payment.NotifyGaveUp)  // the schedule ran out
)

// Notification is an asynchronous notification and its delivery so far.
type Notification struct {
	ID          int64
	NotifyID    string
	TradeNo     string
	OutTradeNo  string
	TradeStatus string
	URL         string
	Status      NotificationStatus
	NextAttempt time.Time // while pending
	Attempts    []Attempt
}

// Attempt is one delivery and the shop's answer.
type Attempt struct {
	Number      int
	ScheduledAt time.Time // virtual time it was due (its notify_time)
	StartedAt   time.Time // virtual time it was sent
	Form        url.Values
	StatusCode  int
	Answer      string
	Acked       bool
	Verdict     string
	// Failure is set when the attempt is one the team must see:
	// "canary_accepted" (the shop acknowledged a forged notification) or
	// "wrong_ack" (it answered a genuine one with anything but "success").
	Failure string
}

// Notifications returns a trade's notifications, oldest first.
func (s *Sandbox) Notifications(tradeNo string) []Notification {
	s.t.Helper()
	ds, err := s.inst.Levers.Deliveries(context.Background(), tradeNo)
	if err != nil {
		s.t.Fatalf("mockpaytest: notifications: %v", err)
	}
	out := make([]Notification, 0, len(ds))
	for _, d := range ds {
		out = append(out, s.toNotification(d.Notification, d.Attempts))
	}
	return out
}

func (s *Sandbox) toNotification(n *payment.Notification, as []*payment.Attempt) Notification {
	out := Notification{
		ID: n.ID, NotifyID: n.NotifyID, TradeNo: n.Trade.TradeNo, OutTradeNo: n.Trade.OutTradeNo,
		TradeStatus: s.inst.Channels.StatusName(n.Protocol, n.Trade.Status), URL: n.URL, Status: NotificationStatus(n.Status),
	}
	if n.Status == payment.NotifyPending {
		out.NextAttempt = n.NextAttemptAt
	}
	for _, a := range as {
		form, _ := url.ParseQuery(a.Request)
		failure, _ := faults.Failure(a)
		out.Attempts = append(out.Attempts, Attempt{
			Number: a.Number, ScheduledAt: a.ScheduledAt, StartedAt: a.StartedAt, Form: form,
			StatusCode: a.StatusCode, Answer: a.Answer, Acked: a.Acked, Verdict: a.Verdict, Failure: failure,
		})
	}
	return out
}

// WaitTimeout bounds WaitNotification in real time.
var WaitTimeout = 10 * time.Second

// WaitNotification waits until the newest notification of a trade is in
// the given state with at least one attempt, and returns it; the test fails
// after WaitTimeout.
func (s *Sandbox) WaitNotification(tradeNo string, status NotificationStatus) Notification {
	s.t.Helper()
	var ns []Notification
	var found Notification
	err := s.inst.Levers.WaitFor(context.Background(), WaitTimeout, func() (bool, error) {
		ns = s.Notifications(tradeNo)
		if len(ns) == 0 {
			return false, nil
		}
		found = ns[len(ns)-1]
		return found.Status == status && len(found.Attempts) > 0, nil
	})
	if err != nil {
		s.t.Fatalf("mockpaytest: no notification of trade %s reached %s within %v (now: %+v)", tradeNo, status, WaitTimeout, ns)
	}
	return found
}

// Redeliver sends a notification once more, now, even if it was
// acknowledged: to test that the shop handles duplicates. Like the control
// API it allows payment.MaxRedeliveries (20) per notification; past that the
// test fails with redelivery_limit_reached.
func (s *Sandbox) Redeliver(id int64) {
	s.t.Helper()
	if _, err := s.inst.Levers.Redeliver(context.Background(), id); err != nil {
		s.t.Fatalf("mockpaytest: redeliver: %v", err)
	}
}

// TradeStatus returns a trade's status (WAIT_BUYER_PAY, TRADE_SUCCESS, ...).
func (s *Sandbox) TradeStatus(tradeNo string) string {
	s.t.Helper()
	s.Settle()
	t, err := s.inst.Levers.Trade(context.Background(), tradeNo)
	if err != nil {
		s.t.Fatalf("mockpaytest: trade %s: %v", tradeNo, err)
	}
	return s.inst.Channels.StatusName(t.Protocol, t.Status)
}
