// Package levers is the one home of the sandbox's levers: what a tester
// pulls instead of a buyer, a platform operator or a calendar — act as the
// buyer (pay, fail, cancel), redeliver a notification, advance the virtual
// clock, reset, create an app, settle what fell due. The control API, the
// dashboard's forms and mockpaytest all pull them here, so each lever
// behaves the same wherever it is pulled. It is built on the small
// interfaces below (the wiring hands it the store, the dispatcher and the
// clock) and knows no HTTP and no SQL.
package levers

import (
	"context"
	"time"

	"github.com/mockpay/mockpay/cashier"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/watch"
)

// Store is what the levers change; store.DB implements it.
type Store interface {
	Notification(ctx context.Context, id int64) (*payment.Notification, error)
	// Redeliver makes a notification due at now, refusing one redelivered
	// payment.MaxRedeliveries times.
	Redeliver(ctx context.Context, id int64, now time.Time) (*payment.Notification, error)
	// Reset deletes every trade and notification; apps stay.
	Reset(ctx context.Context) error
	SaveApp(ctx context.Context, app *payment.App, now time.Time) error
}

// Buyer presses the cashier's buttons; cashier.Cashier is it, so a lever
// pays through the very code the buyer's browser does.
type Buyer interface {
	Act(ctx context.Context, tradeNo string, action cashier.Action) (*cashier.Result, error)
}

// Checkouts finds an order by the merchant's number and enters its
// cashier when no browser did; payment.Service is it.
type Checkouts interface {
	OpenLatestCheckout(ctx context.Context, pid, outTradeNo string) (*payment.Trade, string, error)
}

// Clock is the virtual clock as the levers move it; clock.Virtual is it.
type Clock interface {
	Now() time.Time
	// TryAdvance jumps forward, or refuses a jump past the clock's maximum
	// (clock.Max) and leaves time as it is.
	TryAdvance(d time.Duration) (time.Time, error)
}

// Dispatcher delivers notifications; notify.Dispatcher is it.
type Dispatcher interface {
	// Wake makes it look at the outbox now.
	Wake()
	// DeliverDue makes every attempt that is due and waits for their
	// records.
	DeliverDue(ctx context.Context) (int, error)
}

// Expiry closes trades whose time ran out; expire.Worker is it.
type Expiry interface {
	Step(ctx context.Context) (int, error)
}

// Levers holds what the levers move.
type Levers struct {
	Store     Store
	Reader    Reader
	Buyer     Buyer
	Checkouts Checkouts
	Apps      *payment.Registry
	// NewApp makes a sandbox app with ids and keys of its platform's shape:
	// the wiring injects the registered protocol that creates apps
	// (channel.Protocol.NewApp).
	NewApp func(spec payment.AppSpec, taken func(appID string) bool) (*payment.App, error)
	Clock  Clock
	// Orders and TriggerOrder play the shop for Trigger: the domain's
	// merchant calls, and the protocol's order for an app
	// (channel.Protocol.Trigger, chosen by the wiring).
	Orders       Orders
	TriggerOrder func(app *payment.App, o payment.Order) (payment.Order, error)
	// TriggerRefund completes a triggered refund the same way
	// (channel.Protocol.TriggerRefund); nil uses the request as it is.
	TriggerRefund func(app *payment.App, t *payment.Trade, r payment.RefundRequest) (payment.RefundRequest, error)
	Dispatcher    Dispatcher
	Sender        Sender // delivers a notification to another URL (Send)
	Expiry        Expiry
	// Changes fires after every commit and every recorded attempt; a lever
	// that changes state without a commit of its own (reset) fires it too.
	Changes *watch.Signal
}

// Act presses a buyer button (pay, fail, cancel) on a trade, as the
// cashier's buttons do: pay answers the signed return too.
func (l *Levers) Act(ctx context.Context, tradeNo string, action cashier.Action) (*cashier.Result, error) {
	return l.Buyer.Act(ctx, tradeNo, action)
}

// ActOnOrder presses a buyer button on an app's order, by the merchant's
// out_trade_no. When no browser entered the cashier yet, the buyer enters
// it first.
func (l *Levers) ActOnOrder(ctx context.Context, appID, outTradeNo string, action cashier.Action) (*cashier.Result, error) {
	app, ok := l.Apps.App(appID)
	if !ok {
		return nil, payment.Errorf(payment.CodeInvalidAppID, "no app %q", appID)
	}
	t, _, err := l.Checkouts.OpenLatestCheckout(ctx, app.PID, outTradeNo)
	if err != nil {
		return nil, err
	}
	return l.Act(ctx, t.TradeNo, action)
}

// CreateApp registers a new sandbox app: stored (it survives restarts) and
// live at once. Each app gets its own pid, so parallel test suites that use
// separate apps never see each other's trades.
func (l *Levers) CreateApp(ctx context.Context, spec payment.AppSpec) (*payment.App, error) {
	if l.NewApp == nil {
		return nil, payment.Errorf(payment.CodeUnsupportedOperation, "no registered channel creates sandbox apps")
	}
	if spec.RefundWindow < 0 {
		return nil, payment.Errorf(payment.CodeInvalidParameter, "a refund window cannot be negative")
	}
	app, err := l.NewApp(spec, func(id string) bool { _, ok := l.Apps.App(id); return ok })
	if err != nil {
		return nil, err
	}
	app.RefundWindow = spec.RefundWindow
	if err := l.Store.SaveApp(ctx, app, l.Clock.Now()); err != nil {
		return nil, err
	}
	return app, l.Apps.Put(app)
}

// Reset deletes every trade and notification; apps stay.
func (l *Levers) Reset(ctx context.Context) error {
	if err := l.Store.Reset(ctx); err != nil {
		return err
	}
	l.Changes.Fire()
	return nil
}

// Settle makes whatever fell due happen now and waits for it: expired
// trades closed, due attempts made and recorded. In-process kits call it
// after Advance; a running server does the same in the background.
func (l *Levers) Settle(ctx context.Context) error {
	if _, err := l.Expiry.Step(ctx); err != nil {
		return err
	}
	_, err := l.Dispatcher.DeliverDue(ctx)
	return err
}
