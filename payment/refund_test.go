package payment_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/mockpay/mockpay/clock"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/store"
)

var refundStart = time.Date(2026, 5, 1, 10, 0, 0, 0, payment.CST)

type domain struct {
	t     *testing.T
	svc   *payment.Service
	db    *store.DB
	clock *clock.Virtual
	app   *payment.App
	woken int
}

// newDomain is the payment service on a real SQLite file and a frozen clock.
func newDomain(t *testing.T) *domain {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	d := &domain{t: t, db: db, clock: clock.NewFake(refundStart), app: &payment.App{AppID: "2021000000000001", PID: "2088000000000001"}}
	d.svc = &payment.Service{Repo: db, Clock: d.clock, Buyer: payment.Buyer{UserID: "2088000000000009", LogonID: "b***@x"},
		Wake: func() { d.woken++ }}
	return d
}

// trade opens a checkout for out and, when pay is set, pays it.
func (d *domain) trade(out string, total payment.Amount, pay bool) *payment.Trade {
	d.t.Helper()
	ctx := context.Background()
	co, err := d.svc.BeginCheckout(ctx, payment.Order{AppID: d.app.AppID, PID: d.app.PID, OutTradeNo: out, Subject: "s",
		Total: total, NotifyURL: "http://shop.test/notify"})
	if err != nil {
		d.t.Fatal(err)
	}
	tr, err := d.svc.OpenCheckout(ctx, co.Token)
	if err != nil {
		d.t.Fatal(err)
	}
	if pay {
		if tr, err = d.svc.Pay(ctx, tr.TradeNo); err != nil {
			d.t.Fatal(err)
		}
	}
	return tr
}

func (d *domain) refund(req payment.RefundRequest) (*payment.RefundResult, error) {
	return d.svc.Refund(context.Background(), d.app, req)
}

// pending returns the queued notifications, oldest first.
func (d *domain) pending() []*payment.Notification {
	d.t.Helper()
	ns, err := d.db.Notifications(context.Background(), payment.NotificationFilter{Status: payment.NotifyPending})
	if err != nil {
		d.t.Fatal(err)
	}
	slices.Reverse(ns) // listed newest first
	return ns
}

// TestRefundPartialThenFull: refunds are cumulative; each queues a
// trade_status_sync carrying the refund; the one that reaches the paid
// amount closes the trade (§4.5, §3.4).
func TestRefundPartialThenFull(t *testing.T) {
	d := newDomain(t)
	tr := d.trade("R-1", 1000, true)
	d.clock.Advance(time.Minute)

	res, err := d.refund(payment.RefundRequest{OutTradeNo: "R-1", OutRequestNo: "rq-1", Amount: 300, Reason: "broken"})
	if err != nil {
		t.Fatal(err)
	}
	if !res.FundChange || res.Refund.Amount != 300 || res.Refund.RefundedTotal != 300 || res.Trade.Status != payment.StatusPaid {
		t.Errorf("partial refund: %+v %+v", res.Refund, res.Trade)
	}
	if !res.Refund.CreatedAt.Equal(refundStart.Add(time.Minute)) || res.Trade.Refunded != 300 {
		t.Errorf("refund time %v, trade refunded %d", res.Refund.CreatedAt, res.Trade.Refunded)
	}

	res, err = d.refund(payment.RefundRequest{TradeNo: tr.TradeNo, OutRequestNo: "rq-2", Amount: 700})
	if err != nil {
		t.Fatal(err)
	}
	if !res.FundChange || res.Refund.RefundedTotal != 1000 || res.Trade.Status != payment.StatusClosed || !res.Trade.ClosedAt.Equal(d.clock.Now()) {
		t.Errorf("full refund: %+v %+v", res.Refund, res.Trade)
	}

	ns := d.pending()
	if len(ns) != 3 {
		t.Fatalf("%d notifications, want pay + 2 refunds", len(ns))
	}
	if ns[0].Refund != nil || ns[0].Trade.Status != payment.StatusPaid {
		t.Errorf("pay notification: %+v", ns[0])
	}
	if r := ns[1].Refund; r == nil || r.OutRequestNo != "rq-1" || r.RefundedTotal != 300 || ns[1].Trade.Status != payment.StatusPaid {
		t.Errorf("partial refund notification: %+v", ns[1])
	}
	if r := ns[2].Refund; r == nil || r.OutRequestNo != "rq-2" || r.RefundedTotal != 1000 || ns[2].Trade.Status != payment.StatusClosed {
		t.Errorf("full refund notification: %+v", ns[2])
	}
	if d.woken != 3 {
		t.Errorf("dispatcher woken %d times, want 3", d.woken)
	}

	// The trade is closed: a new refund is refused, a replay is answered.
	if _, err := d.refund(payment.RefundRequest{OutTradeNo: "R-1", OutRequestNo: "rq-3", Amount: 1}); payment.CodeOf(err) != payment.CodeTradeHasClosed {
		t.Errorf("refund of a closed trade: %v", err)
	}
	res, err = d.refund(payment.RefundRequest{OutTradeNo: "R-1", OutRequestNo: "rq-2", Amount: 700})
	if err != nil || res.FundChange || res.Refund.RefundedTotal != 1000 {
		t.Errorf("replay of the closing refund: %v %+v", err, res)
	}
}

// TestRefundIdempotency: out_request_no is the key; the same amount replays
// with no money moved, another amount is a discordant request (§4.5).
func TestRefundIdempotency(t *testing.T) {
	d := newDomain(t)
	d.trade("R-2", 1000, true)
	first, err := d.refund(payment.RefundRequest{OutTradeNo: "R-2", OutRequestNo: "k", Amount: 100})
	if err != nil {
		t.Fatal(err)
	}
	d.clock.Advance(time.Hour)
	again, err := d.refund(payment.RefundRequest{OutTradeNo: "R-2", OutRequestNo: "k", Amount: 100})
	if err != nil || again.FundChange || again.Refund.ID != first.Refund.ID || !again.Refund.CreatedAt.Equal(first.Refund.CreatedAt) {
		t.Errorf("replay: %v %+v", err, again)
	}
	if again.Trade.Refunded != 100 {
		t.Errorf("replay moved money: refunded %d", again.Trade.Refunded)
	}
	res, err := d.refund(payment.RefundRequest{OutTradeNo: "R-2", OutRequestNo: "k", Amount: 200})
	if payment.CodeOf(err) != payment.CodeDiscordantRepeat || res == nil || res.Trade.OutTradeNo != "R-2" {
		t.Errorf("same key, other amount: %v %+v", err, res)
	}
	if n := len(d.pending()); n != 2 {
		t.Errorf("%d notifications, want pay + one refund", n)
	}

	// No out_request_no: the out_trade_no is the key, so it works once.
	if _, err := d.refund(payment.RefundRequest{OutTradeNo: "R-2", Amount: 50}); err != nil {
		t.Fatal(err)
	}
	_, r, err := d.svc.RefundQuery(context.Background(), d.app, "R-2", "", "R-2")
	if err != nil || r == nil || r.Amount != 50 || r.RefundedTotal != 150 {
		t.Errorf("refund without out_request_no: %v %+v", err, r)
	}
	if _, err := d.refund(payment.RefundRequest{OutTradeNo: "R-2", Amount: 60}); payment.CodeOf(err) != payment.CodeDiscordantRepeat {
		t.Errorf("second refund without out_request_no: %v", err)
	}
}

// TestRefundRefusals: over-refund, unpaid, unknown and foreign trades.
func TestRefundRefusals(t *testing.T) {
	d := newDomain(t)
	d.trade("R-3", 1000, true)
	unpaid := d.trade("R-UNPAID", 1000, false)
	if _, err := d.refund(payment.RefundRequest{OutTradeNo: "R-3", OutRequestNo: "a", Amount: 600}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		req  payment.RefundRequest
		want payment.Code
	}{
		{"cumulative above paid", payment.RefundRequest{OutTradeNo: "R-3", OutRequestNo: "b", Amount: 401}, payment.CodeRefundAmountExceeded},
		{"single above paid", payment.RefundRequest{OutTradeNo: "R-3", OutRequestNo: "c", Amount: 1001}, payment.CodeRefundAmountExceeded},
		{"zero", payment.RefundRequest{OutTradeNo: "R-3", OutRequestNo: "d", Amount: 0}, payment.CodeInvalidParameter},
		{"negative", payment.RefundRequest{OutTradeNo: "R-3", OutRequestNo: "d", Amount: -5}, payment.CodeInvalidParameter},
		{"unpaid", payment.RefundRequest{TradeNo: unpaid.TradeNo, Amount: 1}, payment.CodeTradeStatusError},
		{"unknown", payment.RefundRequest{OutTradeNo: "NOPE", Amount: 1}, payment.CodeTradeNotExist},
	}
	for _, c := range cases {
		if _, err := d.refund(c.req); payment.CodeOf(err) != c.want {
			t.Errorf("%s: %v, want %s", c.name, err, c.want)
		}
	}
	other := &payment.App{AppID: "2021000000000002", PID: "2088000000000002"}
	if _, err := d.svc.Refund(context.Background(), other, payment.RefundRequest{OutTradeNo: "R-3", Amount: 1}); payment.CodeOf(err) != payment.CodeTradeNotExist {
		t.Errorf("another merchant's trade: %v", err)
	}
	// Exactly the rest is allowed.
	res, err := d.refund(payment.RefundRequest{OutTradeNo: "R-3", OutRequestNo: "e", Amount: 400})
	if err != nil || res.Trade.Status != payment.StatusClosed {
		t.Errorf("refunding the rest: %v %+v", err, res)
	}

	// An unpaid trade that expired is closed, not unpaid.
	d.clock.Advance(payment.DefaultUnpaidTimeout)
	if _, err := d.refund(payment.RefundRequest{TradeNo: unpaid.TradeNo, Amount: 1}); payment.CodeOf(err) != payment.CodeTradeHasClosed {
		t.Errorf("expired unpaid trade: %v", err)
	}
}

// TestRefundQuery: a known refund, an unknown out_request_no on an existing
// trade (no refund, no error; §2.7) and an unknown trade.
func TestRefundQuery(t *testing.T) {
	d := newDomain(t)
	d.trade("R-4", 500, true)
	if _, err := d.refund(payment.RefundRequest{OutTradeNo: "R-4", OutRequestNo: "q1", Amount: 120, Reason: "late"}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	tr, r, err := d.svc.RefundQuery(ctx, d.app, "R-4", "", "q1")
	if err != nil || tr.OutTradeNo != "R-4" || r == nil || r.Amount != 120 || r.Reason != "late" {
		t.Errorf("known refund: %v %+v %+v", err, tr, r)
	}
	tr, r, err = d.svc.RefundQuery(ctx, d.app, "", tr.TradeNo, "q-unknown")
	if err != nil || tr == nil || r != nil {
		t.Errorf("unknown out_request_no: %v %+v %+v", err, tr, r)
	}
	if _, _, err := d.svc.RefundQuery(ctx, d.app, "NOPE", "", "q1"); payment.CodeOf(err) != payment.CodeTradeNotExist {
		t.Errorf("unknown trade: %v", err)
	}
}

// TestRefundWithoutNotifyURL queues nothing and still refunds.
func TestRefundWithoutNotifyURL(t *testing.T) {
	d := newDomain(t)
	ctx := context.Background()
	co, err := d.svc.BeginCheckout(ctx, payment.Order{AppID: d.app.AppID, PID: d.app.PID, OutTradeNo: "QUIET", Subject: "s", Total: 100})
	if err != nil {
		t.Fatal(err)
	}
	tr, _ := d.svc.OpenCheckout(ctx, co.Token)
	if _, err := d.svc.Pay(ctx, tr.TradeNo); err != nil {
		t.Fatal(err)
	}
	res, err := d.refund(payment.RefundRequest{OutTradeNo: "QUIET", Amount: 100})
	if err != nil || res.Trade.Status != payment.StatusClosed {
		t.Fatalf("%v %+v", err, res)
	}
	if n := len(d.pending()); n != 0 || d.woken != 0 {
		t.Errorf("%d notifications, woken %d", n, d.woken)
	}
}

// TestRefundOnlyNamedURL: a refund of a protocol that notifies only the
// URL its request names is not notified at the order's notify URL, and is
// notified at the named one.
func TestRefundOnlyNamedURL(t *testing.T) {
	d := newDomain(t)
	ctx := context.Background()
	co, err := d.svc.BeginCheckout(ctx, payment.Order{AppID: d.app.AppID, PID: d.app.PID, OutTradeNo: "NAMED", Subject: "s", Total: 100,
		NotifyURL: "http://shop.test/notify"})
	if err != nil {
		t.Fatal(err)
	}
	tr, _ := d.svc.OpenCheckout(ctx, co.Token)
	if _, err := d.svc.Pay(ctx, tr.TradeNo); err != nil {
		t.Fatal(err)
	}
	before := len(d.pending())
	if _, err := d.refund(payment.RefundRequest{OutTradeNo: "NAMED", OutRequestNo: "r1", Amount: 10, OnlyNamedURL: true}); err != nil {
		t.Fatal(err)
	}
	if n := len(d.pending()); n != before {
		t.Errorf("a refund naming no URL was notified: %d → %d notifications", before, n)
	}
	if _, err := d.refund(payment.RefundRequest{OutTradeNo: "NAMED", OutRequestNo: "r2", Amount: 10, OnlyNamedURL: true,
		NotifyURL: "http://shop.test/refunds"}); err != nil {
		t.Fatal(err)
	}
	ns := d.pending()
	if len(ns) != before+1 || ns[len(ns)-1].URL != "http://shop.test/refunds" || ns[len(ns)-1].Kind != payment.KindRefund {
		t.Errorf("notifications %+v", ns)
	}
}
