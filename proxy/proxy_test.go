package proxy

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/mockpay/mockpay/ca"
)

var platformHosts = []string{"openapi.alipay.com", "notify.alipay.com"}

type fixture struct {
	url   *url.URL
	roots *x509.CertPool
	log   *syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// start serves a handler that says what it saw behind the proxy, on a real
// port.
func start(t *testing.T) *fixture {
	t.Helper()
	dir := t.TempDir()
	local, err := ca.LoadOrCreateLocal(filepath.Join(dir, "ca.pem"), filepath.Join(dir, "ca-key.pem"))
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := local.Leaf(platformHosts)
	if err != nil {
		t.Fatal(err)
	}
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "host=%s uri=%s tls=%v proto=%s", r.Host, r.RequestURI, r.TLS != nil, r.Proto)
	})
	logs := &syncBuffer{}
	h := New(next, platformHosts, leaf, slog.New(slog.NewTextHandler(logs, nil)))
	srv := httptest.NewServer(h)
	t.Cleanup(func() { srv.Close(); h.Shutdown(t.Context()) })
	u, _ := url.Parse(srv.URL)
	roots := x509.NewCertPool()
	roots.AddCert(local.Cert)
	return &fixture{url: u, roots: roots, log: logs}
}

func (f *fixture) client(roots *x509.CertPool, h2 bool) *http.Client {
	tr := &http.Transport{Proxy: http.ProxyURL(f.url), TLSClientConfig: &tls.Config{RootCAs: roots}, ForceAttemptHTTP2: h2}
	return &http.Client{Transport: tr}
}

func get(t *testing.T, c *http.Client, u string) (int, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestConnectToAPlatformHostIsServedAsIfDirect(t *testing.T) {
	f := start(t)
	for _, h2 := range []bool{false, true} {
		code, body := get(t, f.client(f.roots, h2), "https://openapi.alipay.com/gateway.do?charset=utf-8")
		want := "host=openapi.alipay.com uri=/gateway.do?charset=utf-8 tls=true proto=HTTP/1.1"
		if h2 {
			want = strings.Replace(want, "HTTP/1.1", "HTTP/2.0", 1)
		}
		if code != 200 || body != want {
			t.Errorf("h2=%v: %d %q, want 200 %q", h2, code, body, want)
		}
	}
}

func TestAbsoluteURIForAPlainHTTPPlatformHostIsServedAsIfDirect(t *testing.T) {
	f := start(t)
	code, body := get(t, f.client(nil, false), "http://notify.alipay.com/trade/notify_query.do?notify_id=1")
	if want := "host=notify.alipay.com uri=/trade/notify_query.do?notify_id=1 tls=false proto=HTTP/1.1"; code != 200 || body != want {
		t.Errorf("%d %q, want 200 %q", code, body, want)
	}
}

func TestOrdinaryRequestsPassThrough(t *testing.T) {
	f := start(t)
	code, body := get(t, http.DefaultClient, f.url.String()+"/gateway.do")
	if want := "host=" + f.url.Host + " uri=/gateway.do tls=false proto=HTTP/1.1"; code != 200 || body != want {
		t.Errorf("%d %q, want %q", code, body, want)
	}
}

// rawConnect sends CONNECT target (with the given Host header) and returns
// the status line and the connection.
func rawConnect(t *testing.T, f *fixture, target, host string) (string, net.Conn, *bufio.Reader) {
	t.Helper()
	conn, err := net.Dial("tcp", f.url.Host)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	fmt.Fprintf(conn, "CONNECT %s HTTP/1.1\r\nHost: %s\r\n\r\n", target, host)
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, &http.Request{Method: http.MethodConnect})
	if err != nil {
		t.Fatalf("CONNECT %s: %v", target, err)
	}
	if resp.StatusCode != 200 {
		io.Copy(io.Discard, resp.Body)
	}
	return resp.Status, conn, br
}

func TestConnectIsRefusedForAnyOtherTarget(t *testing.T) {
	f := start(t)
	for _, target := range []string{
		"127.0.0.1:22",          // a local service
		"example.com:443",       // another host
		"openapi.alipay.com:22", // the platform host on a port it does not serve
		"openapi.alipay.com:80", // plain HTTP goes as an absolute URI, not a tunnel
		"openapi.alipay.com.evil:443",
		"[::1]:443",
		"openapi.alipay.com", // no port
	} {
		status, _, _ := rawConnect(t, f, target, target)
		if !strings.HasPrefix(status, "403") {
			t.Errorf("CONNECT %s: %s, want 403", target, status)
		}
		if !strings.Contains(f.log.String(), "target="+target) {
			t.Errorf("CONNECT %s: no log line naming it:\n%s", target, f.log.String())
		}
	}
	// The CONNECT target decides, whatever the Host header says.
	if status, _, _ := rawConnect(t, f, "example.com:443", "openapi.alipay.com:443"); !strings.HasPrefix(status, "403") {
		t.Errorf("CONNECT example.com:443 with Host openapi.alipay.com: %s, want 403", status)
	}
	if status, _, _ := rawConnect(t, f, "OpenAPI.Alipay.com.:443", "x"); !strings.HasPrefix(status, "200") {
		t.Errorf("CONNECT in another case with a trailing dot: %s, want 200", status)
	}
}

func TestATunnelServesOnlyItsOwnHost(t *testing.T) {
	f := start(t)
	for _, tc := range []struct{ requestLine, host string }{
		{"GET /gateway.do HTTP/1.1", "example.com"},
		{"GET /gateway.do HTTP/1.1", "notify.alipay.com"}, // a platform host, but not this tunnel's
		{"GET /gateway.do HTTP/1.1", "openapi.alipay.com:8443"},
		{"GET http://example.com/ HTTP/1.1", "openapi.alipay.com"},
		{"CONNECT 127.0.0.1:22 HTTP/1.1", "127.0.0.1:22"},
	} {
		status, conn, br := rawConnect(t, f, "openapi.alipay.com:443", "openapi.alipay.com:443")
		if !strings.HasPrefix(status, "200") {
			t.Fatalf("CONNECT: %s", status)
		}
		tc2 := tls.Client(&readerConn{conn, br}, &tls.Config{ServerName: "openapi.alipay.com", RootCAs: f.roots})
		fmt.Fprintf(tc2, "%s\r\nHost: %s\r\n\r\n", tc.requestLine, tc.host)
		resp, err := http.ReadResponse(bufio.NewReader(tc2), nil)
		if err != nil {
			t.Fatalf("%s Host %s: %v", tc.requestLine, tc.host, err)
		}
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 403 {
			t.Errorf("inside the tunnel, %s Host %s: %d %s, want 403", tc.requestLine, tc.host, resp.StatusCode, b)
		}
	}
}

type readerConn struct {
	net.Conn
	r *bufio.Reader
}

func (c *readerConn) Read(p []byte) (int, error) { return c.r.Read(p) }

func TestAbsoluteURIsAreRefusedForAnyOtherTarget(t *testing.T) {
	f := start(t)
	c := f.client(nil, false)
	for _, u := range []string{
		"http://example.com/",
		"http://127.0.0.1:22/",
		"http://notify.alipay.com:8080/trade/notify_query.do",
		"http://notify.alipay.com.evil/",
	} {
		if code, body := get(t, c, u); code != 403 || !strings.Contains(body, "not an open proxy") {
			t.Errorf("GET %s through the proxy: %d %q, want 403", u, code, body)
		}
	}
	// An https absolute URI sent in the clear is no SDK's request either.
	conn, err := net.Dial("tcp", f.url.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprint(conn, "GET https://openapi.alipay.com/gateway.do HTTP/1.1\r\nHost: openapi.alipay.com\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 403 {
		t.Errorf("GET https://… in the clear: %d, want 403", resp.StatusCode)
	}
}

func TestAClientThatDoesNotTrustTheCAFailsCleanly(t *testing.T) {
	f := start(t)
	_, err := f.client(x509.NewCertPool(), false).Get("https://openapi.alipay.com/gateway.do")
	var unknown x509.UnknownAuthorityError
	if !errors.As(err, &unknown) {
		t.Fatalf("err %v, want x509: certificate signed by unknown authority", err)
	}
}
