// Package instance is the wiring: it assembles a running mockpay instance
// from its parts (store, fixtures, domain service, channels, cashier,
// levers, HTTP server and notification dispatcher). cmd/mockpay and the
// in-process test kits share it; no other package builds these parts
// together. (It was called app, a word the domain spends on payment.App.)
package instance

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"syscall"
	"time"

	"github.com/mockpay/mockpay/ca"
	"github.com/mockpay/mockpay/cashier"
	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/channel/alipay"
	"github.com/mockpay/mockpay/clock"
	"github.com/mockpay/mockpay/expire"
	"github.com/mockpay/mockpay/faults"
	"github.com/mockpay/mockpay/fixtures"
	"github.com/mockpay/mockpay/journal"
	"github.com/mockpay/mockpay/levers"
	"github.com/mockpay/mockpay/notify"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/proxy"
	"github.com/mockpay/mockpay/selfguard"
	"github.com/mockpay/mockpay/server"
	"github.com/mockpay/mockpay/watch"
	"github.com/mockpay/mockpay/web"
)

// Config says how to start mockpay.
type Config struct {
	Addr          string           // listen address; port 0 picks a free port
	DBPath        string           // SQLite file, created if missing, or a postgres:// URL (store/postgres)
	Fixtures      fs.FS            // default apps; nil means the embedded set
	Clock         *clock.Virtual   // platform time; nil means real time
	Wall          clock.Clock      // the merchants' wall clock; nil means real time
	NotifyTimeout time.Duration    // per notification attempt; 0 means each protocol's (Alipay: 10s)
	Schedule      channel.Schedule // nil means each protocol's
	Log           *slog.Logger     // nil discards
	JournalSize   int              // requests the journal keeps; 0 means journal.DefaultSize
	// HTTPS and proxy mode (issue 10). CACert and CAKey name the local CA's
	// files; empty means beside DBPath, made on first start.
	CACert, CAKey string
	TLSAddr       string   // also serve everything over HTTPS here; empty: no HTTPS port
	TLSNames      []string // names the TLS leaf covers besides localhost and the platform hosts
	// NotifyHostRewrites connect notifications for a callback host to
	// another (--notify-host-rewrite localhost=host.docker.internal).
	NotifyHostRewrites notify.HostRewrites
	// WechatV2ClientCert makes WeChat Pay APIv2's /secapi/ paths (refund,
	// reverse) demand the merchant's API certificate as a TLS client
	// certificate on the HTTPS port, as the platform does (P-V2-7); off by
	// default, since shops under test talk plain HTTP.
	WechatV2ClientCert bool
	// NotifyLease is how long a replica's claim on a notification it is
	// delivering holds (0: notify.DefaultLease): on a shared database, how
	// soon another replica takes over the deliveries of one that died.
	NotifyLease time.Duration
}

// Instance is a running mockpay.
type Instance struct {
	URL        string // http://host:port, no trailing slash
	Addr       net.Addr
	DB         Store
	Clock      *clock.Virtual
	Apps       *payment.Registry
	Channels   *channel.Set // the registered platforms
	Fixtures   *fixtures.Set
	Service    *payment.Service
	Dispatcher *notify.Dispatcher
	Expiry     *expire.Worker
	Cashier    *cashier.Cashier
	// Guard knows mockpay's own listeners, so no callback URL can make
	// mockpay call itself (selfguard).
	Guard *selfguard.Guard
	// Changes fires after every commit and every recorded attempt; long
	// polls wait on it.
	Changes *watch.Signal
	// Journal is the request journal: every platform request and its verdict.
	Journal *journal.Ring
	// Routes is every method and path the HTTP server answers.
	Routes []server.Route
	// Levers are the sandbox's levers (act as buyer, redeliver, advance,
	// reset, create app), as the control API and the dashboard pull them.
	Levers *levers.Levers
	// Faults are the fault scenarios selected per app (apps.json's
	// "faults", the control API, the dashboard, the CLI); FaultGateway is
	// the gateway faults around every channel route.
	Faults       *faults.Selection
	FaultGateway *faults.Gateway
	// ca is the local CA merchants trust for HTTPS and proxy mode (LocalCA).
	ca *lazyCA
	// TLSURL and TLSAddr are the HTTPS listener's, when Config.TLSAddr asks
	// for one.
	TLSURL  string
	TLSAddr net.Addr

	faultBuyer *faults.Buyer
	http       *http.Server
	// stopping ends the long polls (server.Deps.Stopping).
	stopping context.CancelFunc
	https    *http.Server
	proxy    *proxy.Handler
	cancel   context.CancelFunc
	wg       sync.WaitGroup
	once     sync.Once
	err      error
}

// Start opens the database, loads the fixtures, and starts serving and
// delivering in the background. Close stops it.
func Start(ctx context.Context, cfg Config) (*Instance, error) {
	if cfg.Clock == nil {
		cfg.Clock = clock.NewReal()
	}
	if cfg.Wall == nil {
		cfg.Wall = clock.NewReal()
	}
	if cfg.Fixtures == nil {
		cfg.Fixtures = fixtures.Embedded()
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	set, err := fixtures.Load(cfg.Fixtures)
	if err != nil {
		return nil, fmt.Errorf("fixtures: %w", err)
	}
	// Listen first: a busy port fails before the database is touched (no
	// file created, no migration run, no clock row kept).
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return nil, listenError(cfg.Addr, err)
	}
	served := false
	defer func() {
		if !served {
			ln.Close()
		}
	}()
	db, err := openStore(ctx, cfg)
	if err != nil {
		return nil, err
	}
	for _, w := range db.Warnings() {
		cfg.Log.Warn(w)
	}
	if err := keepClock(ctx, db, cfg.Clock, cfg.Log); err != nil {
		db.Close()
		return nil, err
	}
	a := &Instance{DB: db, Clock: cfg.Clock, Fixtures: set, Apps: payment.NewRegistry(), Guard: &selfguard.Guard{}}
	if (cfg.CACert == "") != (cfg.CAKey == "") {
		db.Close()
		return nil, errors.New("local CA: give both the CA certificate and its key, or neither")
	}
	a.Changes = &watch.Signal{}
	a.Dispatcher = &notify.Dispatcher{
		Outbox:   db,
		Clock:    cfg.Clock,
		Schedule: cfg.Schedule,
		Timeout:  cfg.NotifyTimeout,
		Client:   notify.NewClient(a.Guard.DialControl),
		Guard:    a.Guard,
		Rewrites: cfg.NotifyHostRewrites,
		Lease:    cfg.NotifyLease,
		Log:      cfg.Log,
	}
	a.Service = &payment.Service{Repo: db, Clock: cfg.Clock, Apps: a.Apps, Buyer: set.Buyer, Wake: a.Dispatcher.Wake,
		CheckCallback: a.Guard.Check}
	a.Expiry = expire.New(a.Service, db, cfg.Clock, cfg.Log)
	db.OnChange(func() { a.Changes.Fire(); a.Expiry.Wake() })
	tmpl := web.Templates()
	// The cashier and the channels know each other: the channels' routes
	// send the buyer to the cashier's pages, and the cashier speaks each
	// trade's protocol through the set.
	a.Cashier = &cashier.Cashier{Service: a.Service, Apps: a.Apps, Clock: cfg.Clock, Templates: tmpl}
	tokens := &payment.Tokens{Repo: db, Clock: cfg.Clock}
	a.ca = &lazyCA{load: func() (*ca.Local, error) { return localCA(cfg) }}
	certifier := appCertifier(a.ca, cfg.Fixtures, cfg.Log)
	channels, err := registerChannels(alipay.Deps{Service: a.Service, Apps: a.Apps, Tokens: tokens, Clock: cfg.Clock, Wall: cfg.Wall, Pages: a.Cashier,
		Certifier: certifier}, cfg.WechatV2ClientCert)
	if err != nil {
		db.Close()
		return nil, err
	}
	a.Channels, a.Cashier.Channels, a.Dispatcher.Notifiers, a.Service.IDs = channels, channels, channels, channels
	a.Faults = faults.NewStoredSelection(db)
	a.Dispatcher.Layer = &faults.Layer{Select: a.Faults, Protocols: channels}
	a.FaultGateway = &faults.Gateway{Select: a.Faults, Apps: a.Apps, Protocols: channels, Log: cfg.Log}
	a.faultBuyer = &faults.Buyer{Select: a.Faults, Trades: db, Clock: cfg.Clock, Log: cfg.Log}
	a.Cashier.Faults = a.faultBuyer
	a.Service.TermsRules = channels
	a.Service.RefundWindows = channels
	a.Service.RefundOutcomes = channels
	// Apps load once the channels can check them.
	a.Apps.Check = channels.CheckApp
	a.shareWithReplicas(ctx, cfg.Log)
	if err := a.loadApps(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := a.selectFixtureFaults(ctx); err != nil {
		db.Close()
		return nil, err
	}
	hosts := platformHosts(channels)
	a.ca.names = leafNames(hosts, cfg.TLSNames)
	if caExists(cfg) { // loading is cheap, and a broken CA fails the start
		if _, _, err := a.ca.get(); err != nil {
			db.Close()
			return nil, fmt.Errorf("local CA: %w", err)
		}
	}
	if p, ok := channels.AppPay(); ok {
		a.Cashier.AppOrder, a.Cashier.AppResult = p.AppPay.Order, cashier.AppResultFunc(p.AppPay.Result)
	}
	a.Levers = &levers.Levers{Store: resetStore{db, a}, Reader: db, Buyer: a.Cashier, Checkouts: a.Service, Apps: a.Apps, Clock: cfg.Clock,
		Dispatcher: a.Dispatcher, Expiry: a.Expiry, Changes: a.Changes}
	if _, ok := channels.NewApp(); ok {
		a.Levers.NewApp = channels.NewAppOf
	}
	a.Levers.Orders = a.Service
	a.Levers.Sender = a.Dispatcher
	a.Levers.TriggerOrder = func(app *payment.App, o payment.Order) (payment.Order, error) {
		if p, _, ok := channels.Protocol(app.Protocol()); ok && p.Trigger != nil {
			return p.Trigger(app, o)
		}
		return o, payment.Errorf(payment.CodeUnsupportedOperation, "app %s speaks a protocol mockpay cannot trigger events for yet; use an app of another protocol", app.AppID)
	}
	a.Levers.TriggerRefund = func(app *payment.App, t *payment.Trade, r payment.RefundRequest) (payment.RefundRequest, error) {
		if p, _, ok := channels.Protocol(app.Protocol()); ok && p.TriggerRefund != nil {
			return p.TriggerRefund(app, t, r)
		}
		return r, nil
	}
	a.Journal = journal.New(cfg.JournalSize)
	// Ended first thing at Close: long polls and the dashboard's live
	// stream answer at once, so shutdown does not wait out their waits.
	stopping, stop := context.WithCancel(context.Background())
	a.stopping = stop
	e := server.New(server.Deps{
		Service:   a.Service,
		Apps:      a.Apps,
		Clock:     cfg.Clock,
		Channels:  channels,
		Cashier:   a.Cashier,
		Templates: tmpl,
		Store:     db,
		Control:   cfg.Clock,
		Changes:   a.Changes,
		Levers:    a.Levers,
		Ready:     func(ctx context.Context) error { return db.Ping(ctx) },
		Log:       cfg.Log,
		CAPEM:     a.ca.certPEM,
		Journal:   a.Journal,
		Stopping:  stopping,
		Schedule:  cfg.Schedule,
		Faults:    a.Faults,
		Gateway:   a.FaultGateway,
		Checker: &faults.Checker{Apps: a.Apps, Protocols: channels, Store: db, Client: a.Dispatcher.Client,
			Guard: a.Guard, Clock: cfg.Clock},
	})

	a.Routes = server.Routes(e)

	a.Addr = ln.Addr()
	a.Guard.Add(ln.Addr())
	if err := db.SetOwnerAddr(ln.Addr().String()); err != nil {
		ln.Close()
		db.Close()
		return nil, err
	}
	a.URL = "http://" + displayHost(ln.Addr())
	a.proxy = proxy.NewWith(e, hosts, a.ca.certificate, cfg.Log)
	a.http = &http.Server{Handler: a.clockFirst(a.proxy, cfg.Log), ReadHeaderTimeout: 10 * time.Second}
	if cfg.TLSAddr != "" {
		if err := a.serveHTTPS(cfg.TLSAddr, a.clockFirst(a.proxy, cfg.Log), a.ca.certificate, cfg.WechatV2ClientCert, cfg.Log); err != nil {
			a.proxy.Shutdown(ctx)
			ln.Close()
			db.Close()
			return nil, err
		}
	}

	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	a.cancel = cancel
	a.wg.Add(3)
	go func() {
		defer a.wg.Done()
		if err := a.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			cfg.Log.Error("http server", "err", err)
		}
	}()
	go func() {
		defer a.wg.Done()
		_ = a.Dispatcher.Run(runCtx)
	}()
	go func() {
		defer a.wg.Done()
		_ = a.Expiry.Run(runCtx)
	}()
	served = true
	return a, nil
}

// listenError says what to do about an address mockpay cannot listen on;
// a port in use is most often a mockpay already running there.
func listenError(addr string, err error) error {
	if errors.Is(err, syscall.EADDRINUSE) {
		return fmt.Errorf("%s is in use: is a mockpay already running there (mockpay healthcheck --server http://%s)? Stop it, or choose another port with --addr 127.0.0.1:PORT (port 0 picks a free one): %w", addr, addr, err)
	}
	return fmt.Errorf("listen on %s: %w", addr, err)
}

// loadApps saves the fixture apps and loads every stored app (fixtures first,
// then apps created at run time, which survive restarts).
func (a *Instance) loadApps(ctx context.Context) error {
	now := a.Clock.Now()
	// Saved all at once, so the store's group commit writes them with one
	// fsync, not one each (start-up, issue 18); their stored order does not
	// matter, the registry takes them in the fixtures' order.
	errs := make([]error, len(a.Fixtures.Apps))
	var wg sync.WaitGroup
	for i, app := range a.Fixtures.Apps {
		wg.Go(func() { errs[i] = a.DB.SaveApp(ctx, app, now) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	for _, app := range a.Fixtures.Apps {
		if err := a.Apps.Put(app); err != nil {
			return err
		}
	}
	stored, err := a.DB.Apps(ctx)
	if err != nil {
		return err
	}
	for _, app := range stored {
		if _, ok := a.Apps.App(app.AppID); ok {
			continue
		}
		if err := a.Apps.Put(app); err != nil {
			return err
		}
	}
	return nil
}

// Close stops mockpay within ctx: it starts no new delivery or expiry,
// stops serving (in-flight requests finish, up to ctx), lets attempts in
// flight finish until ctx is done and then cancels them (they stay due and
// are sent again after a restart), and closes the database.
func (a *Instance) Close(ctx context.Context) error {
	a.once.Do(func() {
		a.stopping()
		a.cancel()
		a.FaultGateway.Close() // calls a timeout fault holds end now
		a.faultBuyer.Close()   // and late payments on their way are dropped
		stop := context.AfterFunc(ctx, a.Dispatcher.Abort)
		defer stop()
		err := a.http.Shutdown(ctx)
		if a.https != nil {
			err = errors.Join(err, a.https.Shutdown(ctx))
		}
		err = errors.Join(err, a.proxy.Shutdown(ctx))
		a.wg.Wait()
		_ = a.Clock.Keep(nil) // the clock may outlive this database (tests restart on it)
		a.err = errors.Join(err, a.DB.Close())
	})
	return a.err
}

// displayHost makes an address usable in a URL: a wildcard listen address is
// shown as loopback.
func displayHost(addr net.Addr) string {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok {
		return addr.String()
	}
	ip := tcp.IP
	if ip == nil || ip.IsUnspecified() {
		ip = net.IPv4(127, 0, 0, 1)
	}
	return net.JoinHostPort(ip.String(), fmt.Sprint(tcp.Port))
}
