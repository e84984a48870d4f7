package instance_test

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/mockpay/mockpay/clock"
	"github.com/mockpay/mockpay/instance"
	"github.com/mockpay/mockpay/notify"
)

// hostShop is a shop on 127.0.0.2 that records the Host header and body
// of each notification.
type hostShop struct {
	*httptest.Server
	mu    sync.Mutex
	hosts []string
	body  []string
}

func newHostShop(t *testing.T) *hostShop {
	ln, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Skipf("no second loopback address here: %v", err)
	}
	s := &hostShop{}
	s.Server = &httptest.Server{Listener: ln, Config: &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.hosts, s.body = append(s.hosts, r.Host), append(s.body, string(b))
		s.mu.Unlock()
		io.WriteString(w, "success")
	})}}
	s.Start()
	t.Cleanup(s.Close)
	return s
}

func rewriteEnv(t *testing.T, r notify.HostRewrites) *env {
	return newEnvWithConfig(t, clock.NewFake(start), func(c *instance.Config) { c.NotifyHostRewrites = r })
}

// A shop that registered localhost (or a name nothing resolves) is reached
// where the rewrite says, with its own URL's Host header and the signed
// body as sent; the attempt's verdict says it was rewritten.
func TestNotifyHostRewriteReachesTheShopWhereTheRewriteSays(t *testing.T) {
	s := newHostShop(t)
	_, port, _ := net.SplitHostPort(s.Listener.Addr().String())
	e := rewriteEnv(t, notify.HostRewrites{"localhost": "127.0.0.2", "shop.test": "127.0.0.2"})
	ret := e.pay("REWRITE-1", "1.00")
	e.shop.next(t) // the order's own notify_url (127.0.0.1) is not rewritten
	ids := map[string]int64{}
	for _, host := range []string{"localhost", "shop.test"} {
		ids[host] = e.queueCopy(ret.Get("trade_no"), "http://"+host+":"+port+"/notify")
	}
	e.settle()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.hosts) != 2 {
		t.Fatalf("the shop on 127.0.0.2 got %d notifications, want 2", len(s.hosts))
	}
	for host, id := range ids {
		at := e.notification(id)["attempts"].([]any)[0].(map[string]any)
		if want := "acknowledged [" + host + " rewritten to 127.0.0.2 by --notify-host-rewrite]"; at["verdict"] != want {
			t.Errorf("%s: verdict %q, want %q", host, at["verdict"], want)
		}
		if !slices.Contains(s.hosts, host+":"+port) {
			t.Errorf("no request with Host %s:%s: %q", host, port, s.hosts)
		}
		found := false
		for _, b := range s.body {
			found = found || b == at["request"]
		}
		if !found {
			t.Errorf("%s: the body the shop got is not the attempt's request %q", host, at["request"])
		}
	}
}

// A rewrite that lands on mockpay's own listener is refused at the dial,
// like any other name that leads there: nothing is sent.
func TestNotifyHostRewriteOntoMockpayItselfIsRefused(t *testing.T) {
	e := rewriteEnv(t, notify.HostRewrites{"shop.test": "127.0.0.1"})
	ret := e.pay("REWRITE-2", "1.00")
	e.shop.next(t)
	_, port, _ := net.SplitHostPort(e.app.Addr.String())
	id := e.queueCopy(ret.Get("trade_no"), "http://shop.test:"+port+"/notify")
	e.settle()
	at := e.notification(id)["attempts"].([]any)[0].(map[string]any)
	v := at["verdict"].(string)
	if !strings.HasPrefix(v, "not sent: points at mockpay itself") || !strings.HasSuffix(v, "[shop.test rewritten to 127.0.0.1 by --notify-host-rewrite]") || at["status_code"].(float64) != 0 {
		t.Errorf("verdict %q, status %v: want refused as mockpay itself, and the rewrite named", v, at["status_code"])
	}
}
