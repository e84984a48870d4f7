package notify

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"
)

// HostRewrites are --notify-host-rewrite: for a callback URL whose host is a
// key, the dispatcher connects to the value instead (same port). It is for
// shops that register localhost URLs while mockpay runs in a container
// (localhost=host.docker.internal).
//
// Only the dial changes, as a hosts-file line would: the URL, the Host
// header, TLS's server name and the signed body stay what the shop
// registered, because the platform posts to the URL the shop gave and a
// shop behind a virtual host (nginx server_name, a framework's allowed
// hosts) routes on that name. The dialler's Control (selfguard) sees the
// address the rewritten name reaches, so a rewrite onto mockpay's own
// listener is refused like any other URL that leads there.
type HostRewrites map[string]string

// Add reads one rewrite, "from=to": two host names or IP addresses,
// without scheme, port or path. A host may be rewritten once.
func (r HostRewrites) Add(spec string) error {
	from, to, ok := strings.Cut(strings.TrimSpace(spec), "=")
	if !ok {
		return fmt.Errorf("%q: want from=to, e.g. localhost=host.docker.internal", spec)
	}
	from, errFrom := rewriteHost(from)
	to, errTo := rewriteHost(to)
	switch {
	case errFrom != nil:
		return fmt.Errorf("%q: from: %w", spec, errFrom)
	case errTo != nil:
		return fmt.Errorf("%q: to: %w", spec, errTo)
	case from == to:
		return fmt.Errorf("%q: rewrites %s to itself", spec, from)
	}
	if prev, ok := r[from]; ok {
		return fmt.Errorf("%q: %s is already rewritten to %s", spec, from, prev)
	}
	r[from] = to
	return nil
}

// rewriteHost checks one side of a rewrite and gives it as a URL's
// Hostname gives it: lower case, no trailing dot, an IPv6 address without
// brackets.
func rewriteHost(h string) (string, error) {
	h = strings.ToLower(strings.TrimSuffix(strings.TrimSpace(h), "."))
	if ip, err := netip.ParseAddr(strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")); err == nil {
		return ip.String(), nil
	}
	if h == "" {
		return "", fmt.Errorf("empty host")
	}
	for _, label := range strings.Split(h, ".") {
		if label == "" || strings.HasPrefix(label, "-") || strings.HasSuffix(label, "-") {
			return "", fmt.Errorf("%q is not a host name (no scheme, port or path)", h)
		}
		for _, c := range label {
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return "", fmt.Errorf("%q is not a host name (no scheme, port or path)", h)
			}
		}
	}
	return h, nil
}

// of is the rewrite that applies to a callback URL: its host as written
// and the host dialled instead.
func (r HostRewrites) of(rawURL string) (from, to string, ok bool) {
	if len(r) == 0 {
		return "", "", false
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", "", false
	}
	from = strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	to, ok = r[from]
	return from, to, ok
}

// rewrittenKey carries an attempt's rewrite to NewClient's dialler.
type rewrittenKey struct{}

type rewrite struct{ from, to string }

// withRewrite asks NewClient's dialler to connect to to when the request's
// host is from.
func withRewrite(ctx context.Context, from, to string) context.Context {
	return context.WithValue(ctx, rewrittenKey{}, rewrite{from, to})
}

// rewriteDial wraps dial: an address whose host the context's rewrite
// names is dialled on the rewrite's host, same port.
func rewriteDial(dial func(ctx context.Context, network, addr string) (net.Conn, error)) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		if rw, ok := ctx.Value(rewrittenKey{}).(rewrite); ok {
			if host, port, err := net.SplitHostPort(addr); err == nil && strings.EqualFold(strings.TrimSuffix(host, "."), rw.from) {
				addr = net.JoinHostPort(rw.to, port)
			}
		}
		return dial(ctx, network, addr)
	}
}

// rewriteNote is what an attempt's verdict says about its rewrite.
func rewriteNote(from, to string) string {
	return fmt.Sprintf(" [%s rewritten to %s by --notify-host-rewrite]", from, to)
}
