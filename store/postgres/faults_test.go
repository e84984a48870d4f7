package postgres_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/mockpay/mockpay/store/postgres"
	"github.com/mockpay/mockpay/store/storetest"
)

// TestReplicasShareFaults: two handles on one database are two replicas. A
// chain chosen through one reaches the other's Events.Faults with the app's
// id (and not its own), the other reads it, a reset is heard as every
// app's; and calls taken through both at once spend a step's calls once
// overall.
func TestReplicasShareFaults(t *testing.T) {
	dsn := freshDB(t)
	a, b := open(t, dsn), open(t, dsn)
	ctx := context.Background()
	heard := func(db *postgres.DB) chan string {
		c := make(chan string, 16)
		db.OnEvents(postgres.Events{Faults: func(id string) { c <- id }})
		return c
	}
	aHeard, bHeard := heard(a), heard(b)
	expect := func(what string, c chan string, want string) {
		t.Helper()
		select {
		case id := <-c:
			if id != want {
				t.Errorf("%s: heard %q, want %q", what, id, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: nothing heard within 5s", what)
		}
	}
	quiet := func(what string, c chan string) {
		t.Helper()
		select {
		case id := <-c:
			t.Errorf("%s: heard %q", what, id)
		case <-time.After(200 * time.Millisecond):
		}
	}

	const calls = 6
	if _, err := a.SaveFaults(ctx, "A", "busy:alipay.trade.query:6", strconv.Itoa(calls), false); err != nil {
		t.Fatal(err)
	}
	expect("a's choice, on b", bHeard, "A")
	quiet("a's choice, on a", aHeard)
	got, err := b.AppFaults(ctx)
	if err != nil || got["A"] != "busy:alipay.trade.query:6" {
		t.Fatalf("b reads %v %v", got, err)
	}
	if saved, _ := b.SaveFaults(ctx, "A", "drop:1", "1", true); saved {
		t.Error("b's seed replaced a's choice")
	}
	quiet("a seed that saved nothing", aHeard)

	if n := storetest.TakeAtOnce(t, "A", 20, a, b); n != calls {
		t.Errorf("20 calls through two replicas took %d calls of a step of %d", n, calls)
	}

	if err := b.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	expect("b's reset, on a", aHeard, "")
	if got, _ := a.AppFaults(ctx); len(got) != 0 {
		t.Errorf("after b's reset a reads %v", got)
	}
}
