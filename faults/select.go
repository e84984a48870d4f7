package faults

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/mockpay/mockpay/payment"
)

// Store keeps the selection: instance wires the database (store.DB,
// postgres.DB) in, so a restart keeps what was chosen and replicas on one
// database share it. A chain is kept in Parse's syntax ("" is the choice
// of none) with, per step, the calls a counted gateway step still takes
// (left: text the store keeps as it is, "2,0,1").
type Store interface {
	// SaveFaults stores app's chain and counts; with keep, a chain already
	// stored stays and saved is false.
	SaveFaults(ctx context.Context, appID, chain, left string, keep bool) (saved bool, err error)
	// AppFaults is every stored chain by app.
	AppFaults(ctx context.Context) (map[string]string, error)
	// TakeFault runs take on app's stored chain and counts, in one
	// transaction no other TakeFault of the app interleaves with (a row
	// lock across replicas), and stores the counts take returns when it
	// reports a change. With nothing stored, take does not run.
	TakeFault(ctx context.Context, appID string, take func(chain, left string) (string, bool)) error
}

// Selection is the scenarios chosen per app: set through the control API,
// the dashboard, the CLI (all PUT /_mockpay/api/apps/{app_id}/faults) and
// apps.json's "faults" field. The Store holds it; the Selection keeps a
// copy of the chains so that every delivery and gateway call need not ask
// the database, loaded again when another replica chose (Load). The
// counts of the gateway steps live in the Store only, taken under its lock
// (takeCall): a busy:METHOD:2 answers two calls overall, whichever
// replicas they reach.
type Selection struct {
	store Store
	mu    sync.Mutex
	apps  map[string]Plan
	spent map[string]map[int]bool // per app, the counted steps the store had spent: asked no more
	gen   int                     // bumped by every change of apps: a Load that read before one ends reads again
	calls atomic.Int32            // apps with a gateway step: zero means the gateway layer stays out of the way
}

// NewSelection is an empty selection kept in memory only (tests, tools).
func NewSelection() *Selection { return NewStoredSelection(&memStore{rows: map[string]memRow{}}) }

// NewStoredSelection is the selection st keeps; Load reads it.
func NewStoredSelection(st Store) *Selection {
	return &Selection{store: st, apps: map[string]Plan{}, spent: map[string]map[int]bool{}}
}

// Load reads every stored chain again: at start, and when another replica
// chose (a chain the store holds that no longer parses is skipped with an
// error, the others load).
func (s *Selection) Load(ctx context.Context) error {
	for {
		s.mu.Lock()
		gen := s.gen
		s.mu.Unlock()
		stored, err := s.store.AppFaults(ctx)
		if err != nil {
			return err
		}
		if done, err := s.loaded(stored, gen); done {
			return err
		}
	}
}

// loaded replaces the copy with what the store held, unless a save of this
// process ended after the store was read (the copy would lose it).
func (s *Selection) loaded(stored map[string]string, gen int) (bool, error) {
	apps := map[string]Plan{}
	var bad error
	for id, chain := range stored {
		p, err := Parse(chain)
		if err != nil {
			bad = fmt.Errorf("stored faults of app %s: %w", id, err)
			continue
		}
		if len(p) > 0 {
			apps[id] = p
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.gen != gen {
		return false, nil
	}
	s.gen++
	s.apps, s.spent = apps, map[string]map[int]bool{}
	s.count()
	return true, bad
}

// Set replaces app's plan (an empty one clears it) and restarts its
// gateway counts. It is stored first: when the store fails, nothing
// changes.
func (s *Selection) Set(appID string, p Plan) error {
	_, err := s.save(context.Background(), appID, p, false)
	return err
}

// Seed sets app's plan unless one is stored already (a chosen "none"
// included), and reports whether it did: fixtures' faults are a default
// that a choice made at run time outlives.
func (s *Selection) Seed(ctx context.Context, appID string, p Plan) (bool, error) {
	return s.save(ctx, appID, p, true)
}

func (s *Selection) save(ctx context.Context, appID string, p Plan, keep bool) (bool, error) {
	left := make([]int, len(p))
	for i, st := range p {
		left[i] = st.N
	}
	saved, err := s.store.SaveFaults(ctx, appID, p.String(), joinCounts(left), keep)
	if err != nil || !saved {
		return saved, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gen++
	delete(s.spent, appID)
	if len(p) == 0 {
		delete(s.apps, appID)
	} else {
		s.apps[appID] = append(Plan(nil), p...)
	}
	s.count()
	return true, nil
}

// count keeps calls true to the plans; s.mu is held.
func (s *Selection) count() {
	n := int32(0)
	for _, p := range s.apps {
		if len(p.Of(GatewayFamily)) > 0 {
			n++
		}
	}
	s.calls.Store(n)
}

// App is app's plan, nil when none is selected.
func (s *Selection) App(appID string) Plan {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p, ok := s.apps[appID]; ok {
		return append(Plan(nil), p...)
	}
	return nil
}

// Remaining is what is left of app's gateway steps: each busy, timeout or
// reset step with the calls it still takes, as the store counts them (all
// replicas' calls).
func (s *Selection) Remaining(appID string) map[int]int {
	out := map[int]int{}
	_ = s.store.TakeFault(context.Background(), appID, func(chain, counts string) (string, bool) {
		p, left, err := decode(chain, counts)
		if err != nil {
			return "", false
		}
		for i, st := range p {
			switch st.Kind {
			case Busy, Timeout, Reset:
				out[i] = left[i]
			}
		}
		return "", false
	})
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
// The store takes the count under its lock; the copy of the plan spares
// the store the calls no counted step could match, and the steps it found
// spent (a count only goes down until the plan is chosen again, which
// forgets what was spent).
func (s *Selection) takeCall(ctx context.Context, appID, method string) (latency Plan, counted *Step, err error) {
	s.mu.Lock()
	plan, gone, gen := s.apps[appID], s.spent[appID], s.gen
	s.mu.Unlock()
	counts := false
	for i, st := range plan {
		if !matches(st.Method, method) {
			continue
		}
		switch st.Kind {
		case Latency:
			latency = append(latency, st)
		case Busy, Timeout, Reset:
			counts = counts || !gone[i]
		}
	}
	if !counts {
		return latency, nil, nil
	}
	var stored string
	var spent []int
	err = s.store.TakeFault(ctx, appID, func(chain, counts string) (string, bool) {
		p, left, err := decode(chain, counts)
		if err != nil {
			return "", false
		}
		stored = chain
		changed := false
		for i, st := range p {
			if !matches(st.Method, method) || (st.Kind != Busy && st.Kind != Timeout && st.Kind != Reset) {
				continue
			}
			if left[i] > 0 && !changed {
				left[i]--
				c := st
				counted, changed = &c, true
			}
			if left[i] == 0 {
				spent = append(spent, i)
			}
		}
		return joinCounts(left), changed
	})
	if err == nil {
		s.markSpent(appID, stored, spent, gen)
	}
	return latency, counted, err
}

// markSpent notes the steps the store had spent, unless the plan changed
// meanwhile (the indexes would be another chain's).
func (s *Selection) markSpent(appID, chain string, steps []int, gen int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(steps) == 0 || s.gen != gen || s.apps[appID].String() != chain {
		return
	}
	if s.spent[appID] == nil {
		s.spent[appID] = map[int]bool{}
	}
	for _, i := range steps {
		s.spent[appID][i] = true
	}
}

// decode reads a stored chain and its counts, one per step.
func decode(chain, counts string) (Plan, []int, error) {
	p, err := Parse(chain)
	if err != nil {
		return nil, nil, err
	}
	left := make([]int, len(p))
	parts := strings.Split(counts, ",")
	if counts == "" {
		parts = nil
	}
	if len(parts) != len(p) {
		return nil, nil, fmt.Errorf("stored faults %q: %d counts for %d steps", chain, len(parts), len(p))
	}
	for i, c := range parts {
		if left[i], err = strconv.Atoi(c); err != nil {
			return nil, nil, fmt.Errorf("stored faults %q: bad count %q", chain, c)
		}
	}
	return p, left, nil
}

// joinCounts is the counts as stored: "2,0,1".
func joinCounts(left []int) string {
	parts := make([]string, len(left))
	for i, n := range left {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, ",")
}

// memStore is a Store in memory: one process, gone at exit.
type memStore struct {
	mu   sync.Mutex
	rows map[string]memRow
}

type memRow struct{ chain, left string }

func (m *memStore) SaveFaults(_ context.Context, appID, chain, left string, keep bool) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.rows[appID]; ok && keep {
		return false, nil
	}
	m.rows[appID] = memRow{chain, left}
	return true, nil
}

func (m *memStore) AppFaults(context.Context) (map[string]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[string]string{}
	for id, r := range m.rows {
		out[id] = r.chain
	}
	return out, nil
}

func (m *memStore) TakeFault(_ context.Context, appID string, take func(chain, left string) (string, bool)) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if r, ok := m.rows[appID]; ok {
		if left, changed := take(r.chain, r.left); changed {
			m.rows[appID] = memRow{r.chain, left}
		}
	}
	return nil
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
