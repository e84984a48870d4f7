// Package cashier is the simulated buyer: the cashier pages a browser sees
// and the buyer's actions (pay, fail, cancel), which the control API reuses.
package cashier

import (
	"context"
	"html/template"
	"net/url"

	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/clock"
	"github.com/mockpay/mockpay/payment"
)

// Action is what the buyer does in the cashier.
type Action string

const (
	Pay    Action = "pay"
	Fail   Action = "fail"
	Cancel Action = "cancel"
)

// ErrorView is an error as the platform's error page shows it.
type ErrorView = channel.ErrorView

// Cashier serves the buyer's side of a payment.
type Cashier struct {
	Service   *payment.Service
	Apps      *payment.Registry
	Clock     clock.Clock
	Templates *template.Template
	// Channels are the registered platforms. The protocol a trade was
	// ordered through names its status, builds its signed sync return and
	// words its error pages: a legacy trade's page shows the legacy
	// gateway's codes (alipay-protocol.md §1.10), an OpenAPI trade's the
	// ACQ.* ones; the default protocol's wording when none is known.
	Channels *channel.Set
	// AppOrder and AppResult are the channel's side of app pay.
	AppOrder  AppOrderFunc
	AppResult AppResultFunc
	// Faults, when set, plays the buyer scenarios (faults.Buyer): a first
	// payment that fails, two tabs, a late payment.
	Faults BuyerFaults
}

// BuyerFaults plays a payment under a buyer scenario; handled is false
// when the trade has none. pay and fail are the cashier's own.
type BuyerFaults interface {
	Pay(ctx context.Context, tradeNo string, pay, fail func(context.Context) (*payment.Trade, error)) (t *payment.Trade, note string, handled bool, err error)
}

// Result is the outcome of a buyer action.
type Result struct {
	Trade *payment.Trade
	// Redirect is where the browser goes next: the signed return URL after
	// pay, the shop after cancel; empty when the cashier shows a page.
	Redirect string
	// Message explains a failed payment or a cancel with nowhere to go.
	Message string
}

// Act performs a buyer action on a trade.
func (h *Cashier) Act(ctx context.Context, tradeNo string, action Action) (*Result, error) {
	switch action {
	case Pay:
		if res, handled, err := h.faultyPay(ctx, tradeNo); handled {
			return res, err
		}
		t, err := h.Service.Pay(ctx, tradeNo)
		if err != nil {
			return nil, err
		}
		return h.paid(t)
	case Fail:
		t, err := h.Service.Fail(ctx, tradeNo)
		if payment.CodeOf(err) != payment.CodeBuyerBalanceTooLow {
			return nil, err // the trade cannot be paid at all
		}
		return &Result{Trade: t, Message: "支付失败：" + payment.DetailOf(err) + " (余额不足 insufficient balance)"}, nil
	case Cancel:
		t, err := h.Service.Cancel(ctx, tradeNo)
		if err != nil {
			return nil, err
		}
		return &Result{Trade: t, Redirect: cancelTarget(t), Message: "已取消付款 Payment cancelled; the order is still unpaid"}, nil
	}
	return nil, payment.Errorf(payment.CodeInvalidParameter, "unknown cashier action %q: use pay, fail or cancel", action)
}

// faultyPay is a payment under a buyer scenario, if the trade has one.
func (h *Cashier) faultyPay(ctx context.Context, tradeNo string) (*Result, bool, error) {
	if h.Faults == nil {
		return nil, false, nil
	}
	pay := func(ctx context.Context) (*payment.Trade, error) { return h.Service.Pay(ctx, tradeNo) }
	fail := func(ctx context.Context) (*payment.Trade, error) { return h.Service.Fail(ctx, tradeNo) }
	t, note, handled, err := h.Faults.Pay(ctx, tradeNo, pay, fail)
	if !handled || err != nil {
		return nil, handled, err
	}
	if t.Status == payment.StatusPending {
		return &Result{Trade: t, Message: note}, true, nil
	}
	res, err := h.paid(t)
	if res != nil {
		res.Message += note
	}
	return res, true, err
}

// paid is the outcome of a payment of t: the signed sync return when the
// shop gave a return_url, else the cashier's own success page.
func (h *Cashier) paid(t *payment.Trade) (*Result, error) {
	res := &Result{Trade: t, Message: "支付成功 Payment succeeded"}
	if t.ReturnURL == "" {
		return res, nil
	}
	app, ok := h.Apps.App(t.AppID)
	if !ok {
		return nil, payment.Errorf(payment.CodeInvalidAppID, "app %s is gone", t.AppID)
	}
	p, _, ok := h.Channels.Protocol(t.Protocol)
	if !ok || p.Return == nil {
		return nil, payment.Errorf(payment.CodeSystemError, "no return URL format for protocol %q", t.Protocol)
	}
	var err error
	if res.Redirect, err = p.Return(app, t, h.Clock.Now()); err != nil {
		return nil, err
	}
	return res, nil
}

// cancelTarget is where a buyer who gives up goes: the wap quit_url, else
// the shop's site (the origin of its return_url). The return_url itself is
// not used, since a shop verifying signed return parameters would reject a
// bare visit.
func cancelTarget(t *payment.Trade) string {
	if t.QuitURL != "" {
		return t.QuitURL
	}
	if u, err := url.Parse(t.ReturnURL); err == nil && u.Host != "" {
		return u.Scheme + "://" + u.Host + "/"
	}
	return ""
}
