package legacy

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"
)

// notice is one return or notification as the shop's page saw it.
type notice struct {
	Params map[string]string // raw bytes in the shop's charset
	Raw    string
	SignOK bool
	Verify string // what notify_verify answered
	Answer string // what the notify page printed
}

// shop is the merchant's site: the demo's notify_url.jsp and return_url.jsp.
type shop struct {
	*httptest.Server
	cfg     *alipayConfig
	mu      sync.Mutex
	returns []notice
	arrived chan notice
}

func newShop(t *testing.T, cfg *alipayConfig) *shop {
	s := &shop{cfg: cfg, arrived: make(chan notice, 50)}
	mux := http.NewServeMux()
	mux.HandleFunc("/notify", s.notify)
	mux.HandleFunc("/refund_notify", s.notify)
	mux.HandleFunc("/return", s.ret)
	s.Server = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

// notify checks the sign and, synchronously, notify_verify; only when both
// hold does it print exactly "success" (§1.5, §1.6).
func (s *shop) notify(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	form, _ := url.ParseQuery(string(body))
	n := notice{Params: params(form), Raw: string(body), Answer: "fail"}
	n.SignOK, n.Verify = s.cfg.verify(n.Params)
	if n.SignOK && n.Verify == "true" {
		n.Answer = "success"
	}
	_, _ = w.Write([]byte(n.Answer))
	s.arrived <- n
}

// ret is the return page: the same two checks, shown to the buyer.
func (s *shop) ret(w http.ResponseWriter, r *http.Request) {
	n := notice{Params: params(r.URL.Query()), Raw: r.URL.RawQuery}
	n.SignOK, n.Verify = s.cfg.verify(n.Params)
	s.mu.Lock()
	s.returns = append(s.returns, n)
	s.mu.Unlock()
	if n.SignOK && n.Verify == "true" {
		_, _ = w.Write([]byte("验证成功"))
		return
	}
	_, _ = w.Write([]byte("验证失败"))
}

// next waits for the next notification (real time: mockpay runs a real clock).
func (s *shop) next(t *testing.T) notice {
	t.Helper()
	select {
	case n := <-s.arrived:
		return n
	case <-time.After(20 * time.Second):
		t.Fatal("no notification arrived within 20s")
		return notice{}
	}
}

func (s *shop) lastReturn(t *testing.T) notice {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.returns) == 0 {
		t.Fatal("the return page was never visited")
	}
	return s.returns[len(s.returns)-1]
}
