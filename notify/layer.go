package notify

import (
	"context"
	"time"

	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/payment"
)

// Layer wraps the send step of every attempt: what faults/ does to a
// delivery (duplicate it, hold it back, drop it, send a forged copy) sits
// here, outside the dispatcher, which only claims, sends and records. A
// nil Layer sends each attempt once, as the platform does.
type Layer interface {
	Deliver(ctx context.Context, d *Delivery)
}

// Delivery is one attempt as a Layer sees it: the notification, the record
// being filled, the genuine request, and Send, the dispatcher's own post.
type Delivery struct {
	Notification *payment.Notification
	// Attempt is the record: Number, ScheduledAt, StartedAt and URL are set;
	// the layer leaves Request, StatusCode, Latency, Answer, Acked and
	// Verdict as the shop's answer decided them (usually Send's).
	Attempt  *payment.Attempt
	Request  channel.Request // the genuine, signed request
	Notifier channel.Notifier
	// Send posts r to the attempt's URL within the protocol's timeout and
	// returns the record of that one post, judged by the protocol's rule.
	Send func(ctx context.Context, r channel.Request) payment.Attempt
	// RetryAt, when a layer sets it, is when the next attempt falls due if
	// this one is not acknowledged, instead of the schedule's next wait;
	// the schedule still bounds how many attempts there are.
	RetryAt time.Time
}

// deliver is the send step: the layer's, or one post.
func (d *Dispatcher) deliver(ctx context.Context, n *payment.Notification, a *payment.Attempt, req channel.Request, nt channel.Notifier) time.Time {
	if d.Layer == nil {
		a.Request = req.Body
		d.post(ctx, a, req, nt)
		return time.Time{}
	}
	dl := &Delivery{Notification: n, Attempt: a, Request: req, Notifier: nt,
		Send: func(ctx context.Context, r channel.Request) payment.Attempt {
			b := *a
			b.Request = r.Body
			d.post(ctx, &b, r, nt)
			return b
		}}
	a.Request = req.Body
	d.Layer.Deliver(ctx, dl)
	return dl.RetryAt
}
