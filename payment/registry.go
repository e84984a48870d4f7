package payment

import (
	"sort"
	"sync"
)

// Registry holds the sandbox's apps with their parsed keys, in memory: every
// gateway request looks its app up, and keys are parsed once at load.
type Registry struct {
	// Check, when set, refuses an app its channel cannot serve (the
	// wiring injects the registered channels' rules, channel.Set.CheckApp).
	Check func(*App) error
	// Fetch, when set, is asked for an app the registry does not hold: on a
	// store shared by replicas, one just created through another replica
	// (the wiring injects the store's read). What it finds is put, so an
	// app works on every replica the moment it is saved.
	Fetch func(appID string) (*App, bool)

	mu    sync.RWMutex
	byID  map[string]*App
	order []string
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return &Registry{byID: map[string]*App{}} }

// Put prepares app's keys, checks it (its channel decodes its credentials
// then) and adds or replaces it.
func (r *Registry) Put(app *App) error {
	if err := app.Prepare(); err != nil {
		return err
	}
	if r.Check != nil {
		if err := r.Check(app); err != nil {
			return err
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.byID[app.AppID]; !ok {
		r.order = append(r.order, app.AppID)
	}
	r.byID[app.AppID] = app
	return nil
}

// App returns the app with that id.
func (r *Registry) App(appID string) (*App, bool) {
	r.mu.RLock()
	a, ok := r.byID[appID]
	r.mu.RUnlock()
	if ok || r.Fetch == nil {
		return a, ok
	}
	if a, ok = r.Fetch(appID); !ok || r.Put(a) != nil {
		return nil, false
	}
	return a, true
}

// All returns the apps in the order they were added.
func (r *Registry) All() []*App {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]*App, 0, len(r.order))
	for _, id := range r.order {
		out = append(out, r.byID[id])
	}
	return out
}

// IDs returns the app ids, sorted.
func (r *Registry) IDs() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	ids := append([]string(nil), r.order...)
	sort.Strings(ids)
	return ids
}
