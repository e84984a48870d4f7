package instance

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/mockpay/mockpay/ca"
	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/fixtures"
)

// pendingHosts are platform hosts of channels not registered yet: WeChat
// Pay's main and disaster-recovery hosts (wechatpay-go and wechatpay-node-v3
// compile them in). They move into the WeChat channel's Hosts when it lands
// (issue 13); until then the gopay/wechat proxy tests rely on them here.
var pendingHosts = []string{"api.mch.weixin.qq.com", "api2.mch.weixin.qq.com"}

// platformHosts are the real platforms' host names that proxy mode and the
// TLS leaf answer for: every registered channel's Hosts, and pendingHosts.
func platformHosts(channels *channel.Set) []string {
	hosts := channels.Hosts()
	for _, h := range pendingHosts {
		if !slices.Contains(hosts, h) {
			hosts = append(hosts, h)
		}
	}
	return hosts
}

// localCA loads the CA given in cfg, or the one beside the database (made
// on first start); an in-memory database gets an in-memory CA.
func localCA(cfg Config) (*ca.Local, error) {
	certFile, keyFile := cfg.CACert, cfg.CAKey
	if certFile != "" {
		return ca.LoadLocal(certFile, keyFile)
	}
	if cfg.DBPath == "" || cfg.DBPath == ":memory:" {
		return ca.NewLocal()
	}
	certFile, keyFile = ca.LocalFiles(cfg.DBPath)
	return ca.LoadOrCreateLocal(certFile, keyFile)
}

// caExists says the CA is given or was made before: only making a new one
// waits for its first use (lazyCA).
func caExists(cfg Config) bool {
	if cfg.CACert != "" {
		return true
	}
	if cfg.DBPath == "" || cfg.DBPath == ":memory:" {
		return false
	}
	_, keyFile := ca.LocalFiles(cfg.DBPath)
	_, err := os.Stat(keyFile)
	return err == nil
}

// appCertifier is the local CA as the issuer of created certificate-mode
// apps, its bundle opening with the fixtures' ECC root (ca.Local.Certifier).
// An ECDSA CA from an older mockpay still serves TLS; creating a cert-mode
// app then answers 400 with the reason, which the log also says once.
func appCertifier(lazy *lazyCA, fixtureFS fs.FS, log *slog.Logger) func() (*ca.Authority, error) {
	var once sync.Once
	var authority *ca.Authority
	var err error
	return func() (*ca.Authority, error) {
		once.Do(func() {
			bundle, berr := fixtures.RootBundle(fixtureFS)
			if berr != nil {
				bundle = "" // fixtures without a CA: the bundle is the local CA alone
			}
			var local *ca.Local
			if local, _, err = lazy.get(); err != nil {
				return
			}
			if authority, err = local.Certifier(bundle); err != nil {
				log.Warn("certificate-mode apps cannot be created", "err", err)
			}
		})
		return authority, err
	}
}

// leafNames are the names mockpay's TLS certificate covers: this machine,
// the platform hosts and any names the operator adds (a Docker network
// alias, a LAN name).
func leafNames(platform, extra []string) []string {
	names := append([]string{"localhost", "127.0.0.1", "::1"}, platform...)
	for _, n := range extra {
		if !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	return names
}

// serveHTTPS opens the --tls-addr listener: everything the HTTP port
// serves (proxy mode included), over HTTPS with HTTP/2 and HTTP/1.1.
func (a *Instance) serveHTTPS(addr string, handler http.Handler, leaf func(*tls.ClientHelloInfo) (*tls.Certificate, error), log *slog.Logger) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("--tls-addr: %w", err)
	}
	a.TLSAddr = ln.Addr()
	a.Guard.Add(ln.Addr())
	a.TLSURL = "https://" + displayHost(ln.Addr())
	a.https = &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second,
		TLSConfig: &tls.Config{GetCertificate: leaf},
		ErrorLog:  slog.NewLogLogger(log.Handler(), slog.LevelDebug)}
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		if err := a.https.ServeTLS(ln, "", ""); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("https server", "err", err)
		}
	}()
	return nil
}
