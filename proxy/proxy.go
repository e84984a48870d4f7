// Package proxy lets an SDK that compiles in the platform's host names reach
// mockpay unmodified (issue 10): with HTTPS_PROXY pointing at mockpay, the SDK
// sends CONNECT openapi.alipay.com:443 (or, for plain-HTTP hosts, an
// absolute-URI request); the handler answers it itself — TLS terminated with
// a leaf from mockpay's local CA — and serves the request as if it had come
// to mockpay directly.
//
// It is never an open proxy: it dials nothing. A CONNECT or absolute-URI
// request for any host outside the list is refused with 403 and a log line,
// and inside a tunnel a request naming another host than the tunnel's is
// refused the same way.
package proxy

import (
	"bufio"
	"context"
	"crypto/tls"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// Handler serves mockpay's HTTP port: ordinary requests go to Next,
// proxy requests for the platform hosts are served by Next too, and every
// other proxy request is refused.
type Handler struct {
	next  http.Handler
	hosts []string // lower case, no trailing dot
	log   *slog.Logger

	tunnels *connQueue
	inner   *http.Server
	targets sync.Map // *tls.Conn → the CONNECT target host
}

type targetKey struct{}

// New wraps next. hosts are the platform host names served through the
// proxy; cert is presented for them inside CONNECT tunnels (it must name
// them all).
func New(next http.Handler, hosts []string, cert *tls.Certificate, log *slog.Logger) *Handler {
	return NewWith(next, hosts, func(*tls.ClientHelloInfo) (*tls.Certificate, error) { return cert, nil }, log)
}

// NewWith is New with the certificate asked for at each handshake, so it
// can be made on first use (mockpay's local CA is: instance/lazyca.go).
func NewWith(next http.Handler, hosts []string, cert func(*tls.ClientHelloInfo) (*tls.Certificate, error), log *slog.Logger) *Handler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	h := &Handler{next: next, log: log, tunnels: newConnQueue()}
	for _, host := range hosts {
		h.hosts = append(h.hosts, canonical(host))
	}
	h.inner = &http.Server{
		Handler:           http.HandlerFunc(h.serveTunnelled),
		ReadHeaderTimeout: 10 * time.Second,
		// h2 as well as HTTP/1.1, as the real hosts offer.
		TLSConfig: &tls.Config{GetCertificate: cert, NextProtos: []string{"h2", "http/1.1"}},
		ConnContext: func(ctx context.Context, c net.Conn) context.Context {
			if t, ok := h.targets.LoadAndDelete(c); ok {
				ctx = context.WithValue(ctx, targetKey{}, t)
			}
			return ctx
		},
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelDebug),
	}
	go h.inner.Serve(h.tunnels)
	return h
}

// Hosts is the list of host names served through the proxy.
func (h *Handler) Hosts() []string { return slices.Clone(h.hosts) }

// Shutdown ends the tunnels within ctx (requests in them finish first).
func (h *Handler) Shutdown(ctx context.Context) error { return h.inner.Shutdown(ctx) }

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == http.MethodConnect:
		h.connect(w, r)
	case r.URL.IsAbs():
		h.absolute(w, r)
	default:
		h.next.ServeHTTP(w, r)
	}
}

// connect opens a tunnel for CONNECT host:443 when host is a platform host.
// Another port is refused: the platforms answer HTTPS on 443 only, and a
// tunnel to openapi.alipay.com:22 is no SDK's.
func (h *Handler) connect(w http.ResponseWriter, r *http.Request) {
	host, port, err := net.SplitHostPort(r.Host)
	if err != nil || port != "443" || !h.served(host) {
		h.refuse(w, r, r.Host)
		return
	}
	hj, ok := w.(http.Hijacker)
	if !ok { // HTTP/2 CONNECT: no SDK proxies that way
		http.Error(w, "mockpay answers CONNECT over HTTP/1.1 only", http.StatusHTTPVersionNotSupported)
		return
	}
	conn, rw, err := hj.Hijack()
	if err != nil {
		h.log.Warn("proxy: hijack", "err", err)
		return
	}
	// No deadline of the outer server applies to the tunnel: the inner
	// server sets its own.
	_ = conn.SetDeadline(time.Time{})
	if _, err := rw.WriteString("HTTP/1.1 200 Connection Established\r\n\r\n"); err != nil || rw.Flush() != nil {
		conn.Close()
		return
	}
	// Bytes the client sent after CONNECT (its ClientHello) may already sit
	// in the server's buffer.
	tc := tls.Server(&bufferedConn{Conn: conn, r: rw.Reader}, h.inner.TLSConfig)
	h.targets.Store(tc, canonical(host))
	if !h.tunnels.put(tc) {
		h.targets.Delete(tc)
		conn.Close()
	}
}

// absolute serves a plain-HTTP proxy request (GET http://notify.alipay.com/…)
// for a platform host on port 80 as a direct request.
func (h *Handler) absolute(w http.ResponseWriter, r *http.Request) {
	u := r.URL
	if !strings.EqualFold(u.Scheme, "http") || (u.Port() != "" && u.Port() != "80") || !h.served(u.Hostname()) {
		h.refuse(w, r, u.Host)
		return
	}
	direct := r.Clone(r.Context())
	direct.Host = u.Hostname()
	direct.URL.Scheme, direct.URL.Host = "", ""
	direct.RequestURI = direct.URL.RequestURI()
	h.next.ServeHTTP(w, direct)
}

// serveTunnelled serves a request that came through a tunnel: it must name
// the tunnel's host (an SDK always does; anything else is someone testing
// whether the tunnel reaches further).
func (h *Handler) serveTunnelled(w http.ResponseWriter, r *http.Request) {
	target, _ := r.Context().Value(targetKey{}).(string)
	host := r.Host
	if r.URL.IsAbs() {
		host = r.URL.Host
	}
	if hn, port, err := net.SplitHostPort(host); err == nil {
		if port != "443" {
			hn = host // a port other than the tunnel's is another target
		}
		host = hn
	}
	if r.Method == http.MethodConnect || canonical(host) != target {
		h.refuse(w, r, host)
		return
	}
	if r.URL.IsAbs() {
		r = r.Clone(r.Context())
		r.URL.Scheme, r.URL.Host = "", ""
		r.RequestURI = r.URL.RequestURI()
	}
	r.Host = target
	h.next.ServeHTTP(w, r)
}

func (h *Handler) served(host string) bool { return slices.Contains(h.hosts, canonical(host)) }

func (h *Handler) refuse(w http.ResponseWriter, r *http.Request, target string) {
	h.log.Warn("proxy: refused a request for a host mockpay does not emulate (it is not an open proxy)",
		"method", r.Method, "target", target, "remote", r.RemoteAddr)
	http.Error(w, fmt.Sprintf("mockpay is not an open proxy: it serves only the platform hosts (%s), on port 443 through CONNECT and port 80 for plain HTTP; %q is refused",
		strings.Join(h.hosts, ", "), target), http.StatusForbidden)
}

func canonical(host string) string {
	return strings.TrimSuffix(strings.ToLower(strings.Trim(host, "[]")), ".")
}

// bufferedConn reads what the server's reader already holds before the
// connection itself.
type bufferedConn struct {
	net.Conn
	r *bufio.Reader
}

func (c *bufferedConn) Read(p []byte) (int, error) { return c.r.Read(p) }

// connQueue is a net.Listener whose connections are the tunnels handed
// over by connect.
type connQueue struct {
	conns  chan net.Conn
	closed chan struct{}
	once   sync.Once
}

func newConnQueue() *connQueue {
	return &connQueue{conns: make(chan net.Conn), closed: make(chan struct{})}
}

func (q *connQueue) put(c net.Conn) bool {
	select {
	case q.conns <- c:
		return true
	case <-q.closed:
		return false
	}
}

func (q *connQueue) Accept() (net.Conn, error) {
	select {
	case c := <-q.conns:
		return c, nil
	case <-q.closed:
		return nil, net.ErrClosed
	}
}

func (q *connQueue) Close() error { q.once.Do(func() { close(q.closed) }); return nil }

func (q *connQueue) Addr() net.Addr { return tunnelAddr{} }

type tunnelAddr struct{}

func (tunnelAddr) Network() string { return "tunnel" }
func (tunnelAddr) String() string  { return "mockpay-proxy-tunnel" }
