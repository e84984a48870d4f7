package faults

import (
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/mockpay/mockpay/payment"
)

// Selection is the scenarios chosen per app: set through the control API,
// the dashboard, the CLI (all PUT /_mockpay/api/apps/{app_id}/faults) and
// apps.json's "faults" field. It is held in memory: a restart goes back to
// the fixtures' choice, and each mockpay process of a shared database has
// its own. It also counts the gateway calls each step has taken.
type Selection struct {
	mu    sync.Mutex
	apps  map[string]*appPlan
	calls atomic.Int32 // apps with a gateway step: zero means the gateway layer stays out of the way
}

type appPlan struct {
	plan Plan
	left []int // per step: the calls a busy, timeout or reset step still takes
}

// NewSelection is an empty selection.
func NewSelection() *Selection { return &Selection{apps: map[string]*appPlan{}} }

// Set replaces app's plan (an empty one clears it) and restarts its
// gateway counts.
func (s *Selection) Set(appID string, p Plan) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.apps[appID]; ok && len(old.plan.Of(GatewayFamily)) > 0 {
		s.calls.Add(-1)
	}
	if len(p) == 0 {
		delete(s.apps, appID)
		return
	}
	ap := &appPlan{plan: append(Plan(nil), p...), left: make([]int, len(p))}
	for i, st := range p {
		ap.left[i] = st.N
	}
	s.apps[appID] = ap
	if len(p.Of(GatewayFamily)) > 0 {
		s.calls.Add(1)
	}
}

// App is app's plan, nil when none is selected.
func (s *Selection) App(appID string) Plan {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ap, ok := s.apps[appID]; ok {
		return append(Plan(nil), ap.plan...)
	}
	return nil
}

// Remaining is what is left of app's gateway steps: each busy, timeout or
// reset step with the calls it still takes.
func (s *Selection) Remaining(appID string) map[int]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[int]int{}
	if ap, ok := s.apps[appID]; ok {
		for i, st := range ap.plan {
			switch st.Kind {
			case Busy, Timeout, Reset:
				out[i] = ap.left[i]
			}
		}
	}
	return out
}

// Apps lists the apps that have a plan, sorted.
func (s *Selection) Apps() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]string, 0, len(s.apps))
	for id := range s.apps {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// gatewayActive reports whether any app has a gateway step.
func (s *Selection) gatewayActive() bool { return s != nil && s.calls.Load() > 0 }

// takeCall is what app's gateway plan does to this call of method: the
// added latency of every matching latency step, and the first counted step
// (busy, timeout, reset) for the method that has calls left, which this
// call spends. Chained counted steps of one method act one after another.
func (s *Selection) takeCall(appID, method string) (latency Plan, counted *Step) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ap, ok := s.apps[appID]
	if !ok {
		return nil, nil
	}
	for i, st := range ap.plan {
		if !matches(st.Method, method) {
			continue
		}
		switch st.Kind {
		case Latency:
			latency = append(latency, st)
		case Busy, Timeout, Reset:
			if counted == nil && ap.left[i] > 0 {
				ap.left[i]--
				c := st
				counted = &c
			}
		}
	}
	return latency, counted
}

func matches(want, method string) bool { return want == "*" || strings.EqualFold(want, method) }

// Marker is how one trade selects scenarios: anywhere in its
// passback_params (Alipay OpenAPI), extra_common_param (MAPI) or attach
// (WeChat Pay), mockpay-faults(...) with a chain inside, e.g.
// "order=42 mockpay-faults(drop:1,duplicate)". It holds no = or &, which
// MAPI's extra_common_param refuses.
const Marker = "mockpay-faults("

// MarkerPlan reads the chain of a passback's marker; false when it has
// none or the chain does not parse.
func MarkerPlan(passback string) (Plan, bool) {
	i := strings.Index(passback, Marker)
	if i < 0 {
		return nil, false
	}
	rest := passback[i+len(Marker):]
	j := strings.IndexByte(rest, ')')
	if j < 0 {
		return nil, false
	}
	p, err := Parse(rest[:j])
	if err != nil || len(p) == 0 {
		return nil, false
	}
	return p, true
}

// Magic amounts: the reserved range 13579.00 to 13579.99 yuan, where the
// fen pick a chain. No ordinary amount (0.01, 9.99, 100.00, 13578.99…)
// falls in it; an amount in the range the table does not name selects
// nothing.
const (
	MagicMin payment.Amount = 1357900
	MagicMax payment.Amount = 1357999
)

// MagicAmounts maps the fen of a reserved amount to its chain.
var MagicAmounts = map[int]string{
	1:  "duplicate",
	2:  "simultaneous",
	3:  "delay:10m",
	4:  "drop:2",
	5:  "reorder:10m",
	6:  "tamper",
	7:  "wrongkey",
	8:  "forge",
	9:  "nosign",
	10: "signtest",
	11: "drop:1,duplicate",
	12: "forge,duplicate",
	13: "tamper,wrongkey,forge,nosign",
	20: "insufficient",
	21: "twice",
	22: "late:30m",
}

// AmountPlan is the chain a reserved amount selects.
func AmountPlan(total payment.Amount) (Plan, bool) {
	if total < MagicMin || total > MagicMax {
		return nil, false
	}
	spec, ok := MagicAmounts[int(total-MagicMin)]
	if !ok {
		return nil, false
	}
	p, err := Parse(spec)
	return p, err == nil
}

// ForTrade is the plan that acts on one trade: its marker's, else its
// magic amount's, else its app's. A trade's own choice replaces the app's.
func ForTrade(t *payment.Trade, app Plan) Plan {
	if p, ok := MarkerPlan(t.PassbackParams); ok {
		return p
	}
	if p, ok := AmountPlan(t.Total); ok {
		return p
	}
	return app
}
