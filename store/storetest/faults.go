package storetest

import (
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/mockpay/mockpay/faults"
)

// The fault chains chosen per app (faults.Store): kept across a restart,
// seeded only where nothing is stored, cleared by a reset, and each counted
// call taken once however many take at once.

func testFaultChoicesKept(t *testing.T, h Harness) {
	s := h.Open(t)
	if saved, err := s.SaveFaults(ctx, "A", "busy:alipay.trade.query:2", "2", false); err != nil || !saved {
		t.Fatalf("save: %v %v", saved, err)
	}
	if saved, err := s.SaveFaults(ctx, "A", "drop:1", "1", true); err != nil || saved {
		t.Errorf("a seed replaced a stored chain: %v %v", saved, err)
	}
	if saved, err := s.SaveFaults(ctx, "B", "", "", false); err != nil || !saved {
		t.Fatalf("save none: %v %v", saved, err)
	}
	if saved, _ := s.SaveFaults(ctx, "B", "duplicate", "0", true); saved {
		t.Error("a seed replaced a chosen none")
	}
	if saved, err := s.SaveFaults(ctx, "C", "duplicate", "0", true); err != nil || !saved {
		t.Errorf("seed of an app with nothing stored: %v %v", saved, err)
	}
	s = h.Reopen(t, s)
	got, err := s.AppFaults(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"A": "busy:alipay.trade.query:2", "B": "", "C": "duplicate"}
	if len(got) != len(want) {
		t.Errorf("after a restart: %v, want %v", got, want)
	}
	for id, chain := range want {
		if c, ok := got[id]; !ok || c != chain {
			t.Errorf("app %s after a restart: %q (stored %v), want %q", id, c, ok, chain)
		}
	}
	var seen string
	if err := s.TakeFault(ctx, "A", func(chain, left string) (string, bool) {
		seen = chain + " " + left
		return "1", true
	}); err != nil {
		t.Fatal(err)
	}
	if seen != "busy:alipay.trade.query:2 2" {
		t.Errorf("take saw %q, want the chain and its counts", seen)
	}
	_ = s.TakeFault(ctx, "A", func(_, left string) (string, bool) { seen = left; return "0", false })
	if seen != "1" {
		t.Errorf("counts after one call: %q, want 1", seen)
	}
	ran := false
	if err := s.TakeFault(ctx, "nobody", func(string, string) (string, bool) { ran = true; return "", true }); err != nil || ran {
		t.Errorf("take on an app with nothing stored ran (%v) or failed: %v", ran, err)
	}
	if err := s.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.AppFaults(ctx); len(got) != 0 {
		t.Errorf("after reset: %v", got)
	}
}

// testFaultCallsTakenOnce: many calls at once (replicas, or one replica's
// concurrent requests) take a step's calls once overall.
func testFaultCallsTakenOnce(t *testing.T, h Harness) {
	s := h.Open(t)
	const calls, takers = 5, 20
	if _, err := s.SaveFaults(ctx, "A", "busy:*:5", strconv.Itoa(calls), false); err != nil {
		t.Fatal(err)
	}
	if n := TakeAtOnce(t, "A", takers, s); n != calls {
		t.Errorf("%d takers took %d calls of a step of %d", takers, n, calls)
	}
}

// TakeAtOnce makes takers calls of app's counted step at the same moment,
// spread over the stores (replicas on one database), and returns how many
// found a call left and took it.
func TakeAtOnce(t *testing.T, appID string, takers int, stores ...faults.Store) int {
	var taken atomic.Int32
	var wg sync.WaitGroup
	for i := range takers {
		s := stores[i%len(stores)]
		wg.Go(func() {
			err := s.TakeFault(ctx, appID, func(_, left string) (string, bool) {
				n, _ := strconv.Atoi(left)
				if n == 0 {
					return "", false
				}
				taken.Add(1)
				return strconv.Itoa(n - 1), true
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	return int(taken.Load())
}
