package instance_test

import (
	"context"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/mockpay/mockpay/instance"
	"github.com/mockpay/mockpay/internal/merchant"
)

// Two mockpay replicas on one PostgreSQL database (make test-postgres): the
// faults chosen through one act on the other at once, and a counted step's
// calls are spent once overall, whichever replica the calls reach.
func TestFaultsSharedByReplicas(t *testing.T) {
	if os.Getenv("MOCKPAY_TEST_POSTGRES") == "" {
		t.Skip("MOCKPAY_TEST_POSTGRES is not set: make test-postgres runs this on a throw-away cluster")
	}
	const app = "2021000122600001"
	e := newEnv(t)
	b, err := instance.Start(context.Background(), instance.Config{Addr: "127.0.0.1:0", DBPath: e.db, Clock: e.clock, Wall: e.clock,
		NotifyTimeout: 2 * time.Second, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close(context.Background()) })
	e.pay("F-REPLICAS", "1.00")
	e.shop.next(t)

	e.setFaults(app, "busy:alipay.trade.query:3")
	seen := ""
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if seen = b.Faults.App(app).String(); seen != "" {
			break
		}
	}
	if seen != "busy:alipay.trade.query:3" {
		t.Fatalf("the other replica's plan: %q", seen)
	}

	a := e.m
	bm := *a // the same shop, calling the other replica
	bm.Gateway = b.URL + "/gateway.do"
	var got []string
	for _, m := range []*merchant.Client{a, &bm, a, &bm} {
		r, err := m.Call("alipay.trade.query", map[string]any{"out_trade_no": "F-REPLICAS"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, r.Code())
	}
	if got[0] != "20000" || got[1] != "20000" || got[2] != "20000" || got[3] != "10000" {
		t.Errorf("queries through a, b, a, b answered %v, want three busy (20000) overall, then 10000", got)
	}
}
