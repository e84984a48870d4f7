// Package mockpaytest runs mockpay inside a Go test: a fresh sandbox on a
// free port with a temporary database and a frozen virtual clock, plus the
// buyer's and the platform's levers (pay, fail, cancel, advance time, watch
// notifications). It shuts down with the test.
//
//	sb := mockpaytest.Start(t)
//	client, _ := alipay.New(sb.App.AppID, sb.App.PrivateKeyPEM, false,
//		alipay.WithSandboxGateway(sb.GatewayURL))
//	client.LoadAliPayPublicKey(sb.App.AlipayPublicKeyPEM)
//	u, _ := client.TradePagePay(...)      // your shop's code
//	tradeNo := sb.Open(u.String())        // the buyer enters the cashier
//	ret := sb.Pay(tradeNo)                // and pays: ret.Params is the signed return
//	n := sb.WaitNotification(tradeNo, mockpaytest.Acked)
package mockpaytest

import (
	"context"
	"io/fs"
	"path/filepath"
	"testing"
	"time"

	"github.com/mockpay/mockpay/clock"
	"github.com/mockpay/mockpay/instance"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/sign"
)

// Sandbox is a running mockpay.
type Sandbox struct {
	// URL is the server's base URL; GatewayURL is URL + "/gateway.do", the
	// address to give an SDK.
	URL, GatewayURL string
	// App is the sandbox's default app (RSA2, public-key mode).
	App App
	// Clock is the virtual clock; with the default frozen clock time moves
	// only through Advance.
	Clock *clock.Virtual

	t    testing.TB
	inst *instance.Instance
}

// App is a sandbox app with its test keys.
type App struct {
	AppID    string
	PID      string // seller_id
	SignType string // RSA2 or RSA
	// PrivateKeyPEM (PKCS#1) and PrivateKeyPKCS8PEM are the merchant's key;
	// AlipayPublicKeyPEM verifies what mockpay signs.
	PrivateKeyPEM      string
	PrivateKeyPKCS8PEM string
	PublicKeyPEM       string
	AlipayPublicKeyPEM string
}

type config struct {
	start    time.Time
	scale    float64
	fixtures fs.FS
}

// Option changes how Start sets the sandbox up.
type Option func(*config)

// WithTimeScale runs virtual time n times faster than real time instead of
// freezing it (3600: an hour a second).
func WithTimeScale(n float64) Option { return func(c *config) { c.scale = n } }

// WithStartTime sets virtual time at start (default: now, to the second).
func WithStartTime(t time.Time) Option { return func(c *config) { c.start = t } }

// WithFixtures loads apps from a fixtures directory instead of the embedded
// ones (see fixtures/README.md for the layout).
func WithFixtures(fsys fs.FS) Option { return func(c *config) { c.fixtures = fsys } }

// Start runs a sandbox for the rest of the test.
func Start(t testing.TB, opts ...Option) *Sandbox {
	t.Helper()
	cfg := config{start: time.Now().Truncate(time.Second)}
	for _, o := range opts {
		o(&cfg)
	}
	clk := clock.NewFake(cfg.start)
	if cfg.scale > 0 {
		clk = clock.NewScaled(cfg.start, cfg.scale)
	}
	a, err := instance.Start(context.Background(), instance.Config{
		Addr:          "127.0.0.1:0",
		DBPath:        filepath.Join(t.TempDir(), "mockpay.db"),
		Fixtures:      cfg.fixtures,
		Clock:         clk,
		NotifyTimeout: 5 * time.Second,
	})
	if err != nil {
		t.Fatalf("mockpaytest: start: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := a.Close(ctx); err != nil {
			t.Errorf("mockpaytest: stop: %v", err)
		}
	})
	s := &Sandbox{URL: a.URL, GatewayURL: a.URL + "/gateway.do", Clock: clk, t: t, inst: a}
	for _, ap := range a.Apps.All() {
		if ap.Protocol() == payment.ProtocolOpenAPI && ap.SignType == sign.RSA2 && ap.AppPrivateKeyPEM != "" {
			s.App = toApp(ap)
			break
		}
	}
	return s
}

func toApp(a *payment.App) App {
	return App{
		AppID: a.AppID, PID: a.PID, SignType: string(a.SignType),
		PrivateKeyPEM: a.AppPrivateKeyPEM, PrivateKeyPKCS8PEM: a.AppPrivateKeyPKCS8PEM,
		PublicKeyPEM: a.AppPublicKeyPEM, AlipayPublicKeyPEM: a.PlatformPublicKeyPEM,
	}
}

// NewApp registers another app with fresh keys; its trades never mix with
// another app's, even for equal out_trade_no. signType is RSA2 or RSA.
func (s *Sandbox) NewApp(name, signType string) App {
	s.t.Helper()
	ap, err := s.inst.Levers.CreateApp(context.Background(), payment.AppSpec{Name: name, SignType: sign.Type(signType)})
	if err != nil {
		s.t.Fatalf("mockpaytest: new app: %v", err)
	}
	return toApp(ap)
}

// Now is virtual now.
func (s *Sandbox) Now() time.Time { return s.Clock.Now() }

// Advance moves virtual time forward; retries and expiries that fall due
// happen at once, in order. It returns the new virtual now. Like the
// control API it refuses a jump past the clock's maximum (the year 2200):
// the test fails.
func (s *Sandbox) Advance(d time.Duration) time.Time {
	s.t.Helper()
	now, err := s.inst.Levers.Advance(d)
	if err != nil {
		s.t.Fatalf("mockpaytest: advance: %v", err)
	}
	s.Settle()
	return now
}

// Settle waits until every notification attempt that is due has been made
// and recorded, and every expired trade is closed.
func (s *Sandbox) Settle() {
	s.t.Helper()
	if err := s.inst.Levers.Settle(context.Background()); err != nil {
		s.t.Fatalf("mockpaytest: settle: %v", err)
	}
}
