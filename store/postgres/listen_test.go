package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/mockpay/mockpay/clock"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/store/postgres"
)

// TestReplicasHearEachOther: two handles on one database are two replicas.
// A commit that wrote rows on one reaches the other's Events.Change (and
// not its own: it acted at its commit, OnChange), a saved clock its
// Events.Clock, a saved app its Events.App with the app's id; a rolled-back
// transaction says nothing.
func TestReplicasHearEachOther(t *testing.T) {
	dsn := freshDB(t)
	a, b := open(t, dsn), open(t, dsn)
	ctx := context.Background()
	events := func(db *postgres.DB) (change, clk chan struct{}, app chan string) {
		change, clk, app = make(chan struct{}, 16), make(chan struct{}, 16), make(chan string, 16)
		db.OnEvents(postgres.Events{
			Change: func() { change <- struct{}{} },
			Clock:  func() { clk <- struct{}{} },
			App:    func(id string) { app <- id },
		})
		return
	}
	aChange, aClock, aApp := events(a)
	bChange, bClock, bApp := events(b)
	local := make(chan struct{}, 16)
	a.OnChange(func() { local <- struct{}{} })

	wait := func(what string, c <-chan struct{}) {
		t.Helper()
		select {
		case <-c:
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: nothing heard within 5s", what)
		}
	}
	quiet := func(what string, cs ...<-chan struct{}) {
		t.Helper()
		for _, c := range cs {
			select {
			case <-c:
				t.Errorf("%s: heard", what)
			case <-time.After(200 * time.Millisecond):
			}
		}
	}

	tr := &payment.Trade{TradeNo: "T-listen", Status: payment.StatusPending, CreatedAt: time.Now(),
		Order: payment.Order{AppID: "app", PID: "p", OutTradeNo: "o-listen", Subject: "s", Total: 1}}
	if err := a.Tx(ctx, func(tx payment.Tx) error { return tx.InsertTrade(tr) }); err != nil {
		t.Fatal(err)
	}
	wait("a's own commit, locally", local)
	wait("a's commit, on b", bChange)
	quiet("a's commit, on a's listener", aChange)

	rollback := context.Canceled
	_ = a.Tx(ctx, func(tx payment.Tx) error {
		if err := tx.InsertTrade(&payment.Trade{TradeNo: "T-gone", Status: payment.StatusPending, CreatedAt: time.Now(),
			Order: payment.Order{AppID: "app", PID: "p", OutTradeNo: "o-gone"}}); err != nil {
			return err
		}
		return rollback
	})
	quiet("a rolled-back transaction", bChange, local)

	if err := a.SaveClock(ctx, clock.Anchor{Virtual: time.Now().Add(time.Hour), Real: time.Now(), Scale: 1}); err != nil {
		t.Fatal(err)
	}
	wait("a's clock, on b", bClock)
	quiet("a's clock, on a", aClock)

	if err := b.SaveApp(ctx, &payment.App{AppID: "app-listen", PID: "p"}, time.Now()); err != nil {
		t.Fatal(err)
	}
	select {
	case id := <-aApp:
		if id != "app-listen" {
			t.Errorf("b saved app-listen, a heard %q", id)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("b's app: nothing heard on a within 5s")
	}
	select {
	case id := <-bApp:
		t.Errorf("b heard its own app %q", id)
	case <-time.After(200 * time.Millisecond):
	}
	if got, err := a.App(ctx, "app-listen"); err != nil || got.AppID != "app-listen" {
		t.Errorf("a reads b's app: %+v %v", got, err)
	}
	if _, err := a.App(ctx, "no-such-app"); err != payment.ErrNotFound {
		t.Errorf("an app nobody saved: %v, want ErrNotFound", err)
	}
}
