package levers

import (
	"context"
	"errors"
	"time"

	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/watch"
)

// Redeliver sends a notification once more, now, whatever its state, even
// acknowledged: the way to test that a shop handles duplicates. It makes
// the notification due at once (at most payment.MaxRedeliveries times:
// redelivery_limit_reached after that) and wakes the dispatcher.
func (l *Levers) Redeliver(ctx context.Context, id int64) (*payment.Notification, error) {
	if _, err := l.Store.Notification(ctx, id); err != nil {
		return nil, payment.Errorf(payment.CodeNotificationNotFound, "no notification %d", id)
	}
	n, err := l.Store.Redeliver(ctx, id, l.Clock.Now())
	if err != nil {
		return nil, err
	}
	l.Changes.Fire()
	l.Dispatcher.Wake()
	return n, nil
}

// RedeliverAndWait is Redeliver, then a wait of up to wait (real time) for
// the attempt it asked for to be recorded. attempted is false when the
// shop had not answered by then (the attempt is still under way). An
// attempt already under way when the redelivery was asked for is recorded
// first and leaves the redelivery due: it waits for the next one, its own.
func (l *Levers) RedeliverAndWait(ctx context.Context, id int64, wait time.Duration) (n *payment.Notification, attempted bool, err error) {
	n, err = l.Redeliver(ctx, id)
	if err != nil {
		return nil, false, err
	}
	err = l.Changes.Until(ctx, wait, func() (bool, error) {
		cur, err := l.Store.Notification(ctx, n.ID)
		if err != nil {
			return false, err
		}
		stillDue := cur.Status == payment.NotifyPending && !cur.NextAttemptAt.After(n.NextAttemptAt)
		return cur.Attempts > n.Attempts && !stillDue, nil
	})
	if errors.Is(err, watch.ErrTimeout) {
		return n, false, nil
	}
	return n, err == nil, err
}

// Sender delivers a notification once to another URL, recording nothing;
// notify.Dispatcher is it.
type Sender interface {
	SendTo(ctx context.Context, n *payment.Notification, url string) (*payment.Attempt, error)
}

// Send delivers notification id once to url, signed now, as `mockpay send`
// does: the shop's handler (or any other) gets a real notification without
// a new payment, and the notification's own deliveries are untouched.
func (l *Levers) Send(ctx context.Context, id int64, url string) (*payment.Notification, *payment.Attempt, error) {
	if url == "" {
		return nil, nil, payment.Errorf(payment.CodeMissingParameter, "url is required")
	}
	if l.Sender == nil {
		return nil, nil, payment.Errorf(payment.CodeUnsupportedOperation, "sending is not wired")
	}
	n, err := l.Store.Notification(ctx, id)
	if err != nil {
		if errors.Is(err, payment.ErrNotFound) {
			return nil, nil, payment.Errorf(payment.CodeNotificationNotFound, "no notification %d", id)
		}
		return nil, nil, err
	}
	a, err := l.Sender.SendTo(ctx, n, url)
	return n, a, err
}
