package instance

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/mockpay/mockpay/clock"
	"github.com/mockpay/mockpay/expire"
	"github.com/mockpay/mockpay/faults"
	"github.com/mockpay/mockpay/levers"
	"github.com/mockpay/mockpay/notify"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/server/views"
	"github.com/mockpay/mockpay/store"
	"github.com/mockpay/mockpay/store/postgres"
)

// Store is the database an instance runs on: SQLite (store, the embedded
// default, one process) or PostgreSQL (store/postgres, shared by replicas).
// It is what store/storetest holds both to, and their lifecycle.
type Store interface {
	payment.Repo
	payment.TokenRepo
	notify.Outbox
	views.Store
	levers.Store
	levers.Reader
	expire.Deadlines
	Apps(ctx context.Context) ([]*payment.App, error)
	SaveClock(ctx context.Context, a clock.Anchor) error
	LoadClock(ctx context.Context) (clock.Anchor, bool, error)
	faults.Store // the fault chains chosen per app, kept across restarts and shared by replicas

	OnChange(func())
	Warnings() []string
	SetOwnerAddr(addr string) error
	Ping(ctx context.Context) error
	Close() error
}

var (
	_ Store = (*store.DB)(nil)
	_ Store = (*postgres.DB)(nil)
)

// openStore opens the database cfg.DBPath names: a postgres:// URL is
// PostgreSQL, anything else a SQLite file.
func openStore(ctx context.Context, cfg Config) (Store, error) {
	if postgres.IsURL(cfg.DBPath) {
		return postgres.Open(ctx, cfg.DBPath)
	}
	return store.Open(ctx, cfg.DBPath)
}

// shareWithReplicas wires what other replicas on a shared database change
// behind this process's back: their commits wake this process's long
// polls, expiry worker and dispatcher (a replica killed mid-delivery is
// taken over when its lease ends, and only a woken dispatcher looks); their
// clock jumps move this clock; their new apps and their choices of faults
// load here. SQLite has one
// process, so nothing to share.
func (a *Instance) shareWithReplicas(ctx context.Context, log *slog.Logger) {
	pg, ok := a.DB.(*postgres.DB)
	if !ok {
		return
	}
	a.Apps.Fetch = func(appID string) (*payment.App, bool) {
		app, err := pg.App(context.WithoutCancel(ctx), appID)
		return app, err == nil
	}
	// Long polls hear of every remote commit at once; the workers at most
	// every remoteWakeEvery: the replica that committed wakes its own, so
	// the others' look is only a net for a replica that died (its claims
	// wait for their lease anyway), and waking every worker of every
	// replica on every commit would cost each flow N-1 extra scans.
	workers := throttle(remoteWakeEvery, func() { a.Dispatcher.Wake(); a.Expiry.Wake() })
	pg.OnEvents(postgres.Events{
		Change: func() { a.Changes.Fire(); workers() },
		Clock:  func() { a.syncClock(ctx, log) },
		App: func(appID string) {
			if err := a.reloadApps(context.WithoutCancel(ctx), appID); err != nil {
				log.Warn("load an app another replica saved", "app_id", appID, "err", err)
			}
		},
		// A choice of faults made through another replica (or its reset)
		// acts here at once: the table is one row per app, read whole.
		Faults: func(appID string) {
			if err := a.Faults.Load(context.WithoutCancel(ctx)); err != nil {
				log.Warn("load the faults another replica chose", "app_id", appID, "err", err)
			}
		},
	})
}

// remoteWakeEvery bounds how often another replica's commits wake this
// replica's dispatcher and expiry worker.
const remoteWakeEvery = 250 * time.Millisecond

// throttle returns a function that runs f once, d after the first call
// since f last ran: calls in between fold into that one run.
func throttle(d time.Duration, f func()) func() {
	var mu sync.Mutex
	pending := false
	return func() {
		mu.Lock()
		defer mu.Unlock()
		if pending {
			return
		}
		pending = true
		time.AfterFunc(d, func() {
			mu.Lock()
			pending = false
			mu.Unlock()
			f()
		})
	}
}

// syncClock moves this clock to the stored one when that is ahead: another
// replica advanced it.
func (a *Instance) syncClock(ctx context.Context, log *slog.Logger) {
	stored, ok, err := a.DB.LoadClock(context.WithoutCancel(ctx))
	if err != nil {
		log.Warn("read the shared clock", "err", err)
		return
	}
	if ok {
		a.Clock.Restore(stored)
	}
}

// reloadApps puts the stored app appID ("": every stored app) in the
// registry again.
func (a *Instance) reloadApps(ctx context.Context, appID string) error {
	stored, err := a.DB.Apps(ctx)
	if err != nil {
		return err
	}
	for _, app := range stored {
		if appID == "" || app.AppID == appID {
			if err := a.Apps.Put(app); err != nil {
				return err
			}
		}
	}
	return nil
}

// clockFirst reads the shared clock before each request on a store shared
// by replicas, so a request right after an advance through another replica
// sees the advanced time (the LISTEN notice alone could arrive a few
// milliseconds after the request). One indexed one-row read per request.
func (a *Instance) clockFirst(h http.Handler, log *slog.Logger) http.Handler {
	if _, ok := a.DB.(*postgres.DB); !ok {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a.syncClock(r.Context(), log)
		h.ServeHTTP(w, r)
	})
}
