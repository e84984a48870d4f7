package faults

import (
	"context"
	"fmt"
	"log/slog"
	"sync"

	"github.com/mockpay/mockpay/clock"
	"github.com/mockpay/mockpay/payment"
)

// Trades reads a trade; store.DB implements it.
type Trades interface {
	Trade(ctx context.Context, tradeNo string) (*payment.Trade, error)
}

// Buyer is the buyer faults, played where the buyer pays (cashier.Act:
// the cashier's button, the control API, the CLI, mockpaytest).
type Buyer struct {
	Select *Selection
	Trades Trades
	Clock  clock.Clock
	Log    *slog.Logger

	mu     sync.Mutex
	failed map[string]bool // trades whose first payment failed already (insufficient)
	late   map[string]bool // trades whose late payment is on its way
	closed chan struct{}   // closed by Close: late payments on their way are dropped
}

func (b *Buyer) done() chan struct{} {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed == nil {
		b.closed = make(chan struct{})
	}
	return b.closed
}

// Close drops the late payments still on their way (shutdown): they live
// in memory only, as the README says.
func (b *Buyer) Close() {
	d := b.done()
	b.mu.Lock()
	defer b.mu.Unlock()
	select {
	case <-d:
	default:
		close(d)
	}
}

// Pay plays the buyer's payment of tradeNo when the trade's plan has a
// buyer step; handled is false when it has none and the caller pays as
// usual. pay and fail are the cashier's own payment and failed payment.
func (b *Buyer) Pay(ctx context.Context, tradeNo string,
	pay, fail func(context.Context) (*payment.Trade, error)) (t *payment.Trade, note string, handled bool, err error) {
	t, err = b.Trades.Trade(ctx, tradeNo)
	if err != nil {
		return nil, "", false, nil // the payment itself reports it
	}
	plan := ForTrade(t, b.Select.App(t.AppID)).Of(BuyerFamily)
	if len(plan) == 0 || t.Status != payment.StatusPending {
		return nil, "", false, nil
	}
	if _, ok := plan.Has(Insufficient); ok && b.firstFailure(tradeNo) {
		t, err := fail(ctx)
		if payment.CodeOf(err) != payment.CodeBuyerBalanceTooLow {
			return nil, "", true, err
		}
		return t, "支付失败：余额不足 insufficient balance (fault insufficient: the buyer's first payment fails; paying again succeeds)", true, nil
	}
	if st, ok := plan.Has(Late); ok {
		return b.payLate(ctx, t, st, pay)
	}
	if _, ok := plan.Has(Twice); ok {
		return payTwice(ctx, pay)
	}
	return nil, "", false, nil
}

func (b *Buyer) firstFailure(tradeNo string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.failed == nil {
		b.failed = map[string]bool{}
	}
	if b.failed[tradeNo] {
		return false
	}
	b.failed[tradeNo] = true
	return true
}

// payTwice pays from two tabs at the same moment: the platform takes one
// payment and refuses the other (the trade is paid already); the shop gets
// one payment notification.
func payTwice(ctx context.Context, pay func(context.Context) (*payment.Trade, error)) (*payment.Trade, string, bool, error) {
	type out struct {
		t   *payment.Trade
		err error
	}
	res := make([]out, 2)
	var wg sync.WaitGroup
	for i := range res {
		wg.Add(1)
		go func() { defer wg.Done(); t, err := pay(ctx); res[i] = out{t, err} }()
	}
	wg.Wait()
	for i, r := range res {
		if r.err == nil {
			other := res[1-i]
			note := "the second tab's payment went through too"
			if other.err != nil {
				note = "the second tab's payment was refused: " + payment.DetailOf(other.err)
			}
			return r.t, " (fault twice: paid from two tabs at once; " + note + ")", true, nil
		}
	}
	return nil, "", true, res[0].err
}

// payLate accepts the payment now and makes it land st.D later on the
// virtual clock: the trade stays unpaid until then, past the shop's own
// timeout. A restart in between forgets it.
func (b *Buyer) payLate(ctx context.Context, t *payment.Trade, st Step, pay func(context.Context) (*payment.Trade, error)) (*payment.Trade, string, bool, error) {
	b.mu.Lock()
	if b.late == nil {
		b.late = map[string]bool{}
	}
	if b.late[t.TradeNo] {
		b.mu.Unlock()
		return t, "支付处理中 the buyer's payment is on its way already (fault " + st.String() + ")", true, nil
	}
	b.late[t.TradeNo] = true
	b.mu.Unlock()
	at := b.Clock.Now().Add(st.D)
	due, stop := b.Clock.Until(at)
	bg := context.WithoutCancel(ctx)
	closed := b.done()
	go func() {
		defer stop()
		select {
		case <-due:
		case <-closed:
			return
		}
		_, err := pay(bg)
		b.mu.Lock()
		delete(b.late, t.TradeNo)
		b.mu.Unlock()
		if err != nil && b.Log != nil {
			b.Log.Warn("late payment refused", "trade_no", t.TradeNo, "fault", st.String(), "err", err)
		}
	}()
	return t, fmt.Sprintf("支付处理中 payment processing: it lands at %s (fault %s: the buyer pays late)", at.Format("2006-01-02 15:04:05 MST"), st), true, nil
}
