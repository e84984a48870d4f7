package levers

import (
	"context"
	"time"

	"github.com/mockpay/mockpay/payment"
)

// Reader is what an in-process kit reads to see a lever's effect;
// store.DB implements it.
type Reader interface {
	Trade(ctx context.Context, tradeNo string) (*payment.Trade, error)
	NotificationsOfTrade(ctx context.Context, tradeNo string) ([]*payment.Notification, error)
	Attempts(ctx context.Context, notificationID int64) ([]*payment.Attempt, error)
}

// Delivery is a notification with the attempts recorded when it was read.
type Delivery struct {
	Notification *payment.Notification
	Attempts     []*payment.Attempt
}

// Trade reads a trade.
func (l *Levers) Trade(ctx context.Context, tradeNo string) (*payment.Trade, error) {
	return l.Reader.Trade(ctx, tradeNo)
}

// Deliveries reads a trade's notifications, oldest first, each with its
// attempts. An attempt recorded after its notification was read is left
// out, so each delivery is one consistent view.
func (l *Levers) Deliveries(ctx context.Context, tradeNo string) ([]Delivery, error) {
	ns, err := l.Reader.NotificationsOfTrade(ctx, tradeNo)
	if err != nil {
		return nil, err
	}
	out := make([]Delivery, 0, len(ns))
	for _, n := range ns {
		as, err := l.Reader.Attempts(ctx, n.ID)
		if err != nil {
			return nil, err
		}
		d := Delivery{Notification: n}
		for _, a := range as {
			if a.Number > n.Attempts {
				break
			}
			d.Attempts = append(d.Attempts, a)
		}
		out = append(out, d)
	}
	return out, nil
}

// WaitFor re-checks cond after every change until it holds, ctx ends or
// wait (real time) runs out: watch.ErrTimeout.
func (l *Levers) WaitFor(ctx context.Context, wait time.Duration, cond func() (bool, error)) error {
	return l.Changes.Until(ctx, wait, cond)
}
