// Package selfguard keeps mockpay from calling itself. A notify_url or
// return_url that names one of mockpay's own listeners, or any path under the
// reserved /_mockpay/ prefix, would let a hostile page turn the dispatcher
// (whose POST carries no Origin) into a client of mockpay's control API —
// one signed order with notify_url=…/_mockpay/api/reset wipes the sandbox,
// and two notifications aimed at each other's /redeliver loop forever. The
// guard is asked twice: at order time (Check, on the URL as written) and at
// delivery time (DialControl, on the address actually dialled, so no DNS
// name can smuggle a loopback address past the first check).
package selfguard

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"
	"syscall"
)

// Reserved is the path prefix of mockpay's own surfaces (design.md, Surfaces).
const Reserved = "/_mockpay"

// ErrSelf is returned (wrapped) for a URL or address that points at mockpay.
var ErrSelf = errors.New("points at mockpay itself")

// Guard knows mockpay's listening addresses. The zero value guards only the
// reserved path; Add each listener as it opens. It is safe for concurrent use.
type Guard struct {
	mu        sync.RWMutex
	listeners []netip.AddrPort // an unspecified address means every local address
	localIPs  func() []netip.Addr
}

// Add records a listener's address (a *net.TCPAddr, or anything whose
// String is host:port).
func (g *Guard) Add(addr net.Addr) {
	ap, err := netip.ParseAddrPort(addr.String())
	if tcp, ok := addr.(*net.TCPAddr); ok {
		ip, _ := netip.AddrFromSlice(tcp.IP)
		ap, err = netip.AddrPortFrom(ip.Unmap(), uint16(tcp.Port)), nil
	}
	if err != nil {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.listeners = append(g.listeners, netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port()))
}

// Check refuses a callback URL that points at mockpay: a path under the
// reserved prefix (on any host, another mockpay included), or a host and port
// that is one of the listeners. Host names other than localhost are not
// resolved here (the sandbox is offline and a shop's name may not resolve
// yet); DialControl catches them when the dispatcher connects.
func (g *Guard) Check(raw string) error {
	if raw == "" {
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil // the caller's own URL rules report malformed URLs
	}
	if reservedPath(u.Path) || reservedPath(u.RawPath) {
		return fmt.Errorf("%w: the path %s… is mockpay's own API, not a shop", ErrSelf, Reserved)
	}
	port := u.Port()
	if port == "" {
		switch strings.ToLower(u.Scheme) {
		case "https":
			port = "443"
		default:
			port = "80"
		}
	}
	p, err := strconv.ParseUint(port, 10, 16)
	if err != nil {
		return nil
	}
	host := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	var ips []netip.Addr
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		ips = []netip.Addr{netip.MustParseAddr("127.0.0.1"), netip.IPv6Loopback()}
	} else if ip, err := netip.ParseAddr(host); err == nil {
		ips = []netip.Addr{ip.Unmap()}
	}
	for _, ip := range ips {
		if g.isListener(netip.AddrPortFrom(ip, uint16(p))) {
			return fmt.Errorf("%w: %s is the address mockpay listens on", ErrSelf, net.JoinHostPort(u.Hostname(), port))
		}
	}
	return nil
}

// DialControl is a net.Dialer Control function: it refuses to connect to
// one of mockpay's own listeners, whatever name led there.
func (g *Guard) DialControl(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return nil
	}
	if g.isListener(netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())) {
		return fmt.Errorf("%w: %s is the address mockpay listens on", ErrSelf, address)
	}
	return nil
}

func (g *Guard) isListener(target netip.AddrPort) bool {
	g.mu.RLock()
	defer g.mu.RUnlock()
	for _, l := range g.listeners {
		if l.Port() != target.Port() {
			continue
		}
		// Connecting to the unspecified address (0.0.0.0, ::) reaches this
		// host, a loopback-only listener included (Linux).
		if l.Addr() == target.Addr() || target.Addr().IsUnspecified() {
			return true
		}
		// A wildcard listener (0.0.0.0, ::) answers on every local address,
		// loopback included.
		if l.Addr().IsUnspecified() && g.isLocal(target.Addr()) {
			return true
		}
	}
	return false
}

func (g *Guard) isLocal(ip netip.Addr) bool {
	if ip.IsLoopback() || ip.IsUnspecified() {
		return true
	}
	for _, local := range g.local() {
		if local == ip {
			return true
		}
	}
	return false
}

func (g *Guard) local() []netip.Addr {
	if g.localIPs != nil {
		return g.localIPs()
	}
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil
	}
	var out []netip.Addr
	for _, a := range addrs {
		if p, err := netip.ParsePrefix(a.String()); err == nil {
			out = append(out, p.Addr().Unmap())
		}
	}
	return out
}

// reservedPath reports whether p (decoded or raw) lies under /_mockpay after
// the cleaning a router does ("/./_mockpay", "//_mockpay", "/x/../_mockpay").
func reservedPath(p string) bool {
	if p == "" {
		return false
	}
	if dec, err := url.PathUnescape(p); err == nil {
		p = dec
	}
	clean := strings.ToLower(path.Clean("/" + strings.ReplaceAll(p, "\\", "/")))
	for strings.HasPrefix(clean, "//") {
		clean = clean[1:]
	}
	return clean == Reserved || strings.HasPrefix(clean, Reserved+"/")
}
