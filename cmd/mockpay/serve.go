package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/mockpay/mockpay/clock"
	"github.com/mockpay/mockpay/instance"
	"github.com/mockpay/mockpay/journal"
	"github.com/mockpay/mockpay/store/postgres"
)

// defaultAddr is loopback only: a sandbox holding test keys should not be on
// the network unless asked (2088 is the prefix of every Alipay partner id).
const defaultAddr = "127.0.0.1:2088"

// listenAddr picks the address: --addr, then MOCKPAY_ADDR, then
// MOCKPAY_HOST and PORT (each defaulting to the default's part). PORT alone
// (which a shell profile or a platform may set for some other program)
// keeps mockpay on loopback, so leaving the machine is always asked for in
// so many words: the container image sets MOCKPAY_HOST=0.0.0.0, and a
// platform that sets PORT then picks the port.
func listenAddr(flagAddr string, getenv func(string) string) string {
	switch {
	case flagAddr != "":
		return flagAddr
	case getenv("MOCKPAY_ADDR") != "":
		return getenv("MOCKPAY_ADDR")
	}
	host, port, _ := net.SplitHostPort(defaultAddr)
	return net.JoinHostPort(envOr(getenv, "MOCKPAY_HOST", host), envOr(getenv, "PORT", port))
}

// loopbackOnly reports whether a listener accepts connections from this
// machine only. A wildcard (":2088", "0.0.0.0", "::") or any other address
// is reachable from the network.
func loopbackOnly(addr net.Addr) bool {
	tcp, ok := addr.(*net.TCPAddr)
	return ok && tcp.IP != nil && tcp.IP.IsLoopback()
}

func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fl := newFlags("serve [flags]", "Run the sandbox: the emulated gateway, the cashier, notifications, the dashboard and the control API.", stderr)
	addr := fl.String("addr", "", "listen address, host:port (env MOCKPAY_ADDR; else MOCKPAY_HOST and PORT, each defaulting to "+defaultAddr+"'s part, so PORT alone stays on loopback); 0.0.0.0:PORT or :PORT opens it to the network; port 0 picks a free port")
	dbPath := fl.String("db", envOr(getenv, "MOCKPAY_DB", "mockpay.db"), "SQLite database file (env MOCKPAY_DB), created if missing; or a postgres://user@host/db URL: PostgreSQL, which several replicas can share")
	fixturesDir := fl.String("fixtures", getenv("MOCKPAY_FIXTURES"), "directory of apps.json and keys to load instead of the embedded fixtures (env MOCKPAY_FIXTURES)")
	timeScale := fl.Float64("time-scale", 1, "run virtual time this many times faster than real time (3600: an hour a second); retries, expiry and notify_id validity follow it")
	notifyTimeout := fl.Duration("notify-timeout", 0, "how long one notification attempt waits for the shop's answer (0: the protocol's own, Alipay 10s)")
	notifyLease := fl.Duration("notify-lease", 0, "how long a claim on a notification being delivered holds (0: 1m, or twice --notify-timeout): on a shared PostgreSQL database, how soon another replica takes over the deliveries of one that died")
	quiet := fl.Bool("quiet", false, "log only errors")
	logFormat := fl.String("log-format", envOr(getenv, "MOCKPAY_LOG_FORMAT", "text"), "the server log's format: text or json, one line per event, one per platform request (env MOCKPAY_LOG_FORMAT)")
	journalDefault, journalEnvErr := envInt(getenv, "MOCKPAY_JOURNAL_SIZE", journal.DefaultSize)
	journalSize := fl.Int("journal-size", journalDefault, "how many platform requests the request journal keeps, the newest (env MOCKPAY_JOURNAL_SIZE; GET /_mockpay/api/requests, mockpay logs)")
	clockStart := fl.String("clock-start", getenv("MOCKPAY_CLOCK_START"), "start virtual time at this RFC 3339 instant instead of now (env MOCKPAY_CLOCK_START)")
	tlsAddr := fl.String("tls-addr", getenv("MOCKPAY_TLS_ADDR"), "also serve everything over HTTPS (HTTP/2 and HTTP/1.1) on this host:port (env MOCKPAY_TLS_ADDR), with a certificate from the local CA for localhost, 127.0.0.1, the platform hosts and --tls-name")
	var names tlsNames
	if v := getenv("MOCKPAY_TLS_NAMES"); v != "" {
		_ = names.Set(v)
	}
	fl.Var(&names, "tls-name", "another name for the HTTPS certificate (repeat, or comma-separate; env MOCKPAY_TLS_NAMES)")
	caCert, caKey := caFiles(fl, getenv)
	var rewrites notifyRewrites
	fl.Var(&rewrites, "notify-host-rewrite", "connect notifications for callback host FROM to host TO instead, as FROM=TO (repeat, or comma-separate; env MOCKPAY_NOTIFY_HOST_REWRITE, replaced by any flag): localhost=host.docker.internal when mockpay runs in a container and the shop registers localhost URLs. The URL, Host header and signed body stay the shop's; the attempt's verdict says it was rewritten")
	v2ClientCert := fl.Bool("wechatpay-v2-client-cert", false, "WeChat Pay APIv2: /secapi/ paths (refund, reverse) demand the merchant's API certificate as a TLS client certificate on the --tls-addr port, as the platform does; plain HTTP calls to them are refused")
	if err := fl.Parse(args); err != nil {
		return flagError(err)
	}
	hostRewrites, err := rewrites.resolve(getenv)
	if err != nil {
		return err
	}
	if fl.NArg() > 0 {
		return usageError{fmt.Sprintf("serve takes no arguments, got %q", fl.Args())}
	}
	level := slog.LevelInfo
	if *quiet {
		level = slog.LevelError
	}
	var handler slog.Handler
	switch opts := (&slog.HandlerOptions{Level: level}); *logFormat {
	case "text":
		handler = slog.NewTextHandler(stderr, opts)
	case "json":
		handler = slog.NewJSONHandler(stderr, opts)
	default:
		return usageError{fmt.Sprintf("--log-format %q: use text or json", *logFormat)}
	}
	if journalEnvErr != nil && !flagGiven(fl.FlagSet, "journal-size") {
		return usageError{journalEnvErr.Error()}
	}
	if *journalSize < 1 {
		return usageError{fmt.Sprintf("--journal-size %d: keep at least one request", *journalSize)}
	}
	log := slog.New(handler)

	if *timeScale <= 0 {
		return usageError{"--time-scale must be positive"}
	}
	start := time.Now()
	if *clockStart != "" {
		var err error
		if start, err = time.Parse(time.RFC3339, *clockStart); err != nil {
			return usageError{fmt.Sprintf("--clock-start %q: use RFC 3339, e.g. 2026-05-01T10:00:00+08:00", *clockStart)}
		}
		if !start.Before(clock.Max) {
			return usageError{fmt.Sprintf("--clock-start %s: virtual time stops at %s", *clockStart, clock.Max.Format(time.RFC3339))}
		}
	}
	cfg := instance.Config{Addr: listenAddr(*addr, getenv), DBPath: *dbPath, NotifyTimeout: *notifyTimeout, Log: log,
		Clock: clock.NewScaled(start, *timeScale), TLSAddr: *tlsAddr, TLSNames: names, CACert: *caCert, CAKey: *caKey,
		NotifyHostRewrites: hostRewrites, WechatV2ClientCert: *v2ClientCert, NotifyLease: *notifyLease, JournalSize: *journalSize}
	if (*caCert == "") != (*caKey == "") {
		return usageError{"give both --ca-cert and --ca-key, or neither"}
	}
	keysAt := "embedded (fixtures/apps/<app_id>/ in the mockpay source)"
	if *fixturesDir != "" {
		if _, err := os.Stat(filepath.Join(*fixturesDir, "apps.json")); err != nil {
			return fmt.Errorf("--fixtures %s: %w", *fixturesDir, err)
		}
		cfg.Fixtures = os.DirFS(*fixturesDir)
		keysAt = filepath.Join(*fixturesDir, "apps", "<app_id>")
	}
	a, err := instance.Start(ctx, cfg)
	if err != nil {
		return err
	}
	printBanner(stdout, a, *dbPath, keysAt)
	if !loopbackOnly(a.Addr) {
		log.Warn("listening beyond loopback: every app's private key and the control API are reachable from the network", "addr", a.Addr.String())
	}

	<-ctx.Done()
	log.Info("shutting down")
	// Inside Docker's 10 s between SIGTERM and SIGKILL: deliveries still in
	// flight at the bound are cancelled and stay due for the next start.
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownBound)
	defer cancel()
	return a.Close(shutdownCtx)
}

// shutdownBound is how long a SIGTERM waits for requests and deliveries in
// flight.
const shutdownBound = 8 * time.Second

// printBanner writes the banner in one write, so a process watching the
// output never sees half of it.
func printBanner(out io.Writer, a *instance.Instance, dbPath, keysAt string) {
	w := &strings.Builder{}
	defer func() { io.WriteString(out, w.String()) }()
	abs, err := filepath.Abs(dbPath)
	if err != nil {
		abs = dbPath
	}
	if postgres.IsURL(dbPath) {
		abs = postgres.Redact(dbPath) + " (PostgreSQL, shared by replicas)"
	}
	fmt.Fprintf(w, "mockpay %s — offline Alipay sandbox\n", version)
	if loopbackOnly(a.Addr) {
		fmt.Fprintf(w, "  listening: %s (loopback only)\n", a.Addr)
	} else {
		// The fixture keys are public, and every app's private key and the
		// control API (reset, new apps) answer anyone who can connect.
		fmt.Fprintf(w, "  listening: %s (NOT loopback)\n", a.Addr)
		fmt.Fprintf(w, "  WARNING:   reachable from the network: anyone who can connect reads every app's private key\n")
		fmt.Fprintf(w, "             and drives the control API (reset, apps, payments). Use --addr 127.0.0.1:PORT unless you mean it.\n")
	}
	fmt.Fprintf(w, "  gateway:   %s/gateway.do\n", a.URL)
	fmt.Fprintf(w, "  dashboard: %s/_mockpay/\n", a.URL)
	if a.TLSURL != "" {
		fmt.Fprintf(w, "  https:     %s/gateway.do (HTTP/2 and HTTP/1.1)\n", a.TLSURL)
	}
	// Proxy mode, for SDKs that compile in the platform's hosts.
	fmt.Fprintf(w, "  proxy:     HTTPS_PROXY=%s with the CA %s/_mockpay/ca.pem (mockpay ca) trusted\n", a.URL, a.URL)
	if r := a.Dispatcher.Rewrites; len(r) > 0 {
		fmt.Fprintf(w, "  notify:    %s (--notify-host-rewrite)\n", describeRewrites(r))
	}
	if dbPath == ":memory:" {
		fmt.Fprintf(w, "  database:  :memory: (in memory: nothing is kept when mockpay stops)\n")
	} else {
		fmt.Fprintf(w, "  database:  %s\n", abs)
	}
	if sc := a.Clock.Scale(); sc != 1 {
		fmt.Fprintf(w, "  clock:     %gx real time (virtual now %s)\n", sc, a.Clock.Now().Format(time.RFC3339))
	}
	fmt.Fprintf(w, "  apps (keys as JSON: %s/_mockpay/api/apps; PEM files: %s):\n", a.URL, keysAt)
	for _, ap := range a.Apps.All() {
		fmt.Fprintf(w, "    %s\n", a.Channels.Banner(ap)) // each in its channel's terms: what a shop configures
	}
	fmt.Fprintf(w, "  buyer:     %s (pay password %s)\n", a.Fixtures.Buyer.LogonID, a.Fixtures.Buyer.Password)
}

// envInt is an integer environment variable, def when unset or not an
// integer (then with the error, for when no flag overrides it).
func envInt(getenv func(string) string, key string, def int) (int, error) {
	v := getenv(key)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return def, fmt.Errorf("%s=%q is not a whole number", key, v)
	}
	return n, nil
}

// flagGiven reports whether the command line set the flag.
func flagGiven(fs *flag.FlagSet, name string) bool {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}

func envOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}
