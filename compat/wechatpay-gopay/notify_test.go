package wechatpaygopay

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	wechat "github.com/go-pay/gopay/wechat/v3"
)

// shop is the merchant's notify endpoint: every order gets its own
// notify_url path (/wx/<out_trade_no>, no query, §2.5), so a test waits for
// its own delivery. Each delivery is parsed by gopay's V3ParseNotify exactly
// as a shop's handler would, then answered 200 (or 204 for refunds, both are
// acknowledgements, §2.8).
type shop struct {
	srv     *httptest.Server
	mu      sync.Mutex
	got     map[string][]delivery
	changed chan struct{}
	// refuse[key] deliveries to /wx/<key> are answered 500 before the
	// first acknowledgement, as a shop whose handler failed.
	refuse map[string]int
}

type delivery struct {
	req  *wechat.V3NotifyReq
	body []byte
	hdr  http.Header
}

func newShop(t *testing.T) *shop {
	s := &shop{got: map[string][]delivery{}, changed: make(chan struct{}), refuse: map[string]int{}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *shop) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	nr, err := wechat.V3ParseNotify(r)
	if err != nil {
		http.Error(w, `{"code":"FAIL","message":"unparsable"}`, http.StatusBadRequest)
		return
	}
	key := strings.TrimPrefix(r.URL.Path, "/wx/")
	s.mu.Lock()
	s.got[key] = append(s.got[key], delivery{req: nr, body: body, hdr: r.Header.Clone()})
	close(s.changed)
	s.changed = make(chan struct{})
	refused := len(s.got[key]) <= s.refuse[key]
	s.mu.Unlock()
	if refused {
		http.Error(w, `{"code":"FAIL","message":"shop busy"}`, http.StatusInternalServerError)
		return
	}
	if strings.HasPrefix(nr.EventType, "REFUND.") {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	w.WriteHeader(http.StatusOK)
}

func (s *shop) notifyURL(key string) string { return s.srv.URL + "/wx/" + key }

// wait returns the first delivery to /wx/<key>. A refund may finish on the
// virtual clock (PROCESSING first, §2.6), so with nudge set, after two quiet
// seconds the clock is moved on by a minute, once, as a shop's test would.
func (s *shop) wait(t *testing.T, key string, nudge bool) delivery {
	t.Helper()
	return s.waitN(t, key, 1, nudge)
}

// waitN returns the n-th delivery to /wx/<key> (1-based).
func (s *shop) waitN(t *testing.T, key string, n int, nudge bool) delivery {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	advanced := false
	for {
		s.mu.Lock()
		ds, ch := s.got[key], s.changed
		s.mu.Unlock()
		if len(ds) >= n {
			return ds[n-1]
		}
		if time.Now().After(deadline) {
			t.Fatalf("delivery %d did not reach %s within 20s (%d arrived)", n, s.notifyURL(key), len(ds))
		}
		select {
		case <-ch:
		case <-time.After(2 * time.Second):
			if nudge && !advanced {
				advanceClock(t, "1m")
				advanced = true
			}
		}
	}
}
