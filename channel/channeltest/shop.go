package channeltest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// Received is one notification attempt as the shop got it.
type Received struct {
	Header http.Header
	Body   string
}

// shop is the merchant's server: it records every notification and answers
// as told, per out_trade_no the driver reads from it.
type shop struct {
	*httptest.Server
	driver Driver

	mu       sync.Mutex
	got      []Received
	changed  chan struct{}
	refusing map[string]bool // out_trade_no → answer without acknowledging
}

func newShop(t *testing.T, d Driver) *shop {
	s := &shop{driver: d, changed: make(chan struct{}), refusing: map[string]bool{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/notify" {
			_, _ = io.WriteString(w, "shop page "+r.URL.Path)
			return
		}
		b, _ := io.ReadAll(r.Body)
		rec := Received{Header: r.Header.Clone(), Body: string(b)}
		note := d.Notification(t, rec)
		s.mu.Lock()
		refuse := s.refusing[note.OutTradeNo]
		s.got = append(s.got, rec)
		close(s.changed)
		s.changed = make(chan struct{})
		s.mu.Unlock()
		if refuse {
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = io.WriteString(w, "not now")
			return
		}
		code, body := d.Ack()
		w.WriteHeader(code)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *shop) refuse(outTradeNo string, on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refusing[outTradeNo] = on
}

// await returns the next notification, after the from-th, that match
// accepts, and the count seen so far. Delivery is asynchronous: the bound is
// real time, generous, and only reached when the suite fails.
func (s *shop) await(t *testing.T, from int, match func(Note) bool) (Note, int) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for i := from; ; {
		s.mu.Lock()
		got, changed := s.got, s.changed
		s.mu.Unlock()
		for ; i < len(got); i++ {
			if n := s.driver.Notification(t, got[i]); match(n) {
				return n, i + 1
			}
		}
		select {
		case <-changed:
		case <-deadline:
			t.Fatalf("no matching notification arrived (%d received)", len(got))
			return Note{}, i
		}
	}
}

func (s *shop) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.got)
}
