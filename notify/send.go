package notify

import (
	"context"
	"fmt"

	"github.com/mockpay/mockpay/payment"
)

// SendTo delivers n once to url instead of its own notify_url, signed as
// the platform signs it now (notify_time now), and judges the answer by the
// protocol's rule: `mockpay send`, for trying a handler at any address with
// a real notification. Nothing is recorded and n's schedule is untouched;
// url passes the same guard as every attempt (not mockpay itself).
func (d *Dispatcher) SendTo(ctx context.Context, n *payment.Notification, url string) (*payment.Attempt, error) {
	now := d.Clock.Now()
	a := &payment.Attempt{NotificationID: n.ID, ScheduledAt: now, StartedAt: now, URL: url, Manual: true}
	nt, ok := d.Notifiers.Notifier(n.Protocol)
	if !ok {
		return nil, payment.Errorf(payment.CodeUnsupportedOperation, "no notifier for protocol %q", n.Protocol)
	}
	req, err := nt.Encode(n, now)
	if err != nil {
		return nil, fmt.Errorf("encode notification %d: %w", n.ID, err)
	}
	a.Request = req.Body
	if err := d.refuse(url); err != nil {
		a.Verdict = "not sent: " + clip(err.Error())
		return a, nil
	}
	d.post(ctx, a, req, nt)
	return a, nil
}
