package instance

import (
	"crypto/tls"
	"sync"

	"github.com/mockpay/mockpay/ca"
)

// lazyCA is the local CA, made or loaded on first use (a CONNECT tunnel, a
// TLS handshake on --tls-addr, GET /_mockpay/ca.pem, a cert-mode app
// created) rather than at start: making an RSA-2048 key is most of a first
// start's time, and most runs never use the CA (issue 18, item 4: ready in
// < 50 ms on a fresh database). Its TLS leaf is made with it.
type lazyCA struct {
	once  sync.Once
	load  func() (*ca.Local, error)
	names []string // what the leaf names

	local *ca.Local
	leaf  *tls.Certificate
	err   error
}

func (l *lazyCA) get() (*ca.Local, *tls.Certificate, error) {
	l.once.Do(func() {
		if l.local, l.err = l.load(); l.err == nil {
			l.leaf, l.err = l.local.Leaf(l.names)
		}
	})
	return l.local, l.leaf, l.err
}

// certificate is the leaf for a TLS handshake.
func (l *lazyCA) certificate(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	_, leaf, err := l.get()
	return leaf, err
}

// certPEM is the CA's certificate, for GET /_mockpay/ca.pem.
func (l *lazyCA) certPEM() (string, error) {
	local, _, err := l.get()
	if err != nil {
		return "", err
	}
	return local.CertPEM, nil
}

// LocalCA is the local CA merchants trust for HTTPS and proxy mode, made
// (or loaded) now if nothing used it yet.
func (a *Instance) LocalCA() (*ca.Local, error) {
	local, _, err := a.ca.get()
	return local, err
}
