package faults

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mockpay/mockpay/payment"
)

func TestParse(t *testing.T) {
	for spec, want := range map[string]string{
		"":                                       "",
		"duplicate":                              "duplicate",
		"drop:2, duplicate-simultaneous":         "drop:2,simultaneous",
		"delay:1d,reorder":                       "delay:24h0m0s,reorder:10m0s",
		"busy:alipay.trade.query:3,timeout":      "busy:alipay.trade.query:3,timeout:*:1",
		"latency:2s,latency:1s:alipay.trade.pay": "latency:2s,latency:1s:alipay.trade.pay",
		"wrong-key forged unsigned probe":        "wrongkey,forge,nosign,signtest",
		"insufficient,twice,late:45m":            "insufficient,twice,late:45m0s",
	} {
		p, err := Parse(spec)
		if err != nil || p.String() != want {
			t.Errorf("Parse(%q) = %q, %v; want %q", spec, p.String(), err, want)
		}
		if again, err := Parse(p.String()); err != nil || again.String() != want {
			t.Errorf("Parse(%q) does not read its own String: %v", want, err)
		}
	}
	for _, bad := range []string{"explode", "drop:0", "drop:x", "delay:forever", "duplicate:2", "busy:a:b", "latency", "latency:11m", strings.Repeat("drop,", MaxSteps+1)} {
		if p, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) = %v, want an error", bad, p)
		}
	}
}

func TestStepAt(t *testing.T) {
	p, _ := Parse("drop:2,duplicate,forge")
	for n, want := range map[int]string{1: "drop:2", 2: "drop:2", 3: "duplicate", 4: "forge", 5: ""} {
		st, _, ok := stepAt(p, n)
		if got := st.String(); ok != (want != "") || (ok && got != want) {
			t.Errorf("attempt %d: %q %v, want %q", n, got, ok, want)
		}
	}
}

// Ordinary amounts never select anything; the reserved range's table does.
func TestMagicAmounts(t *testing.T) {
	for _, yuan := range []string{"0.01", "9.99", "100.00", "13578.99", "13580.00", "135790.00", "13579.99", "13579.00"} {
		a, _ := payment.ParseYuan(yuan)
		if p, ok := AmountPlan(a); ok {
			t.Errorf("%s selects %v", yuan, p)
		}
	}
	for fen, spec := range MagicAmounts {
		p, ok := AmountPlan(MagicMin + payment.Amount(fen))
		if want, _ := Parse(spec); !ok || p.String() != want.String() {
			t.Errorf("13579.%02d: %v %v, want %s", fen, p, ok, spec)
		}
	}
}

func TestForTrade(t *testing.T) {
	app, _ := Parse("duplicate")
	tr := &payment.Trade{Order: payment.Order{Total: 500, PassbackParams: "x=1 mockpay-faults(drop:1,forge) y"}}
	if got := ForTrade(tr, app).String(); got != "drop:1,forge" {
		t.Errorf("marker: %s", got)
	}
	tr.PassbackParams = "mockpay-faults(nonsense)"
	if got := ForTrade(tr, app).String(); got != "duplicate" {
		t.Errorf("bad marker falls back to the app's: %s", got)
	}
	tr.Total = MagicMin + 8
	if got := ForTrade(tr, app).String(); got != "forge" {
		t.Errorf("magic amount: %s", got)
	}
	tr.Total, tr.PassbackParams = 999, ""
	if got := ForTrade(tr, nil); got != nil {
		t.Errorf("nothing selected: %v", got)
	}
}

func TestSelectionCountsGatewayCalls(t *testing.T) {
	s := NewSelection()
	if s.gatewayActive() {
		t.Fatal("active with no plan")
	}
	p, _ := Parse("busy:alipay.trade.query:2,timeout:alipay.trade.query,latency:1ms")
	s.Set("A", p)
	var got []string
	for range 4 {
		lat, st, _ := s.takeCall(ctx, "A", "alipay.trade.query")
		k := "-"
		if st != nil {
			k = string(st.Kind)
		}
		got = append(got, k)
		if len(lat) != 1 || lat[0].D != time.Millisecond {
			t.Fatalf("latency = %v", lat)
		}
	}
	if strings.Join(got, ",") != "busy,busy,timeout,-" {
		t.Errorf("calls = %v", got)
	}
	if _, st, _ := s.takeCall(ctx, "B", "alipay.trade.query"); st != nil {
		t.Error("another app's call took a step")
	}
	s.Set("A", nil)
	if s.gatewayActive() || s.App("A") != nil {
		t.Error("cleared plan still active")
	}
}

func TestFailure(t *testing.T) {
	for _, c := range []struct {
		a    payment.Attempt
		want string
	}{
		{payment.Attempt{StatusCode: 200, Acked: true, Verdict: "acknowledged"}, ""},
		{payment.Attempt{StatusCode: 500, Verdict: "HTTP 500"}, WrongAck},
		{payment.Attempt{StatusCode: 0, Verdict: "no answer: refused"}, ""},
		{payment.Attempt{StatusCode: 200, Verdict: canaryFailed + " (forge): …"}, CanaryAccepted},
		{payment.Attempt{StatusCode: 400, Verdict: canaryPrefix + " (forge) refused"}, ""},
	} {
		if got, _ := Failure(&c.a); got != c.want {
			t.Errorf("%+v: %q, want %q", c.a, got, c.want)
		}
	}
}

var ctx = context.Background()

// Two selections on one store are two replicas on one database: a choice
// made through one is the other's once it loads, and a counted step's
// calls are spent once overall, whichever selection takes them.
func TestSelectionsOnOneStoreShareChoiceAndCounts(t *testing.T) {
	st := &memStore{rows: map[string]memRow{}}
	a, b := NewStoredSelection(st), NewStoredSelection(st)
	p, _ := Parse("busy:alipay.trade.query:3")
	if err := a.Set("A", p); err != nil {
		t.Fatal(err)
	}
	if err := b.Load(ctx); err != nil {
		t.Fatal(err)
	}
	if got := b.App("A").String(); got != "busy:alipay.trade.query:3" {
		t.Fatalf("b's plan = %q", got)
	}
	var got []string
	for _, s := range []*Selection{a, b, a, b} {
		_, step, err := s.takeCall(ctx, "A", "alipay.trade.query")
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprint(step != nil))
	}
	if strings.Join(got, ",") != "true,true,true,false" {
		t.Errorf("calls through a, b, a, b: %v; want three busy answers overall", got)
	}
	if left := b.Remaining("A"); left[0] != 0 {
		t.Errorf("remaining = %v", left)
	}
	// Chosen again, the step counts afresh on both, though both had seen
	// it spent.
	if err := b.Set("A", p); err != nil {
		t.Fatal(err)
	}
	if err := a.Load(ctx); err != nil {
		t.Fatal(err)
	}
	if _, step, _ := a.takeCall(ctx, "A", "alipay.trade.query"); step == nil {
		t.Error("a plan chosen again is spent on a")
	}
	if _, step, _ := b.takeCall(ctx, "A", "alipay.trade.query"); step == nil {
		t.Error("a plan chosen again is spent on b")
	}
}

// A spent step is not asked of the store again.
func TestSpentStepsSpareTheStore(t *testing.T) {
	st := &countingStore{memStore: memStore{rows: map[string]memRow{}}}
	s := NewStoredSelection(st)
	p, _ := Parse("busy:alipay.trade.query:1")
	if err := s.Set("A", p); err != nil {
		t.Fatal(err)
	}
	for range 5 {
		s.takeCall(ctx, "A", "alipay.trade.query")
	}
	if st.takes != 1 {
		t.Errorf("the store was asked %d times for a step of one call; want 1", st.takes)
	}
}

type countingStore struct {
	memStore
	takes int
}

func (c *countingStore) TakeFault(ctx context.Context, appID string, take func(string, string) (string, bool)) error {
	c.takes++
	return c.memStore.TakeFault(ctx, appID, take)
}

// A seed (the fixtures') does not replace a stored choice, a chosen none
// included.
func TestSeedLeavesAStoredChoice(t *testing.T) {
	s := NewSelection()
	drop, _ := Parse("drop:1")
	if ok, err := s.Seed(ctx, "A", drop); err != nil || !ok {
		t.Fatalf("seed on nothing stored: %v %v", ok, err)
	}
	dup, _ := Parse("duplicate")
	if ok, _ := s.Seed(ctx, "A", dup); ok || s.App("A").String() != "drop:1" {
		t.Errorf("seed replaced the stored chain: %v", s.App("A"))
	}
	if err := s.Set("A", nil); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.Seed(ctx, "A", dup); ok || s.App("A") != nil {
		t.Errorf("seed replaced a chosen none: %v", s.App("A"))
	}
}
