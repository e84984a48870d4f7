package notify_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/payment"
)

// TestAttemptSendsTheNotifiersHeaders: an attempt carries the headers its
// protocol's notifier encoded (WeChat Pay signs in headers), and mockpay's
// User-Agent.
func TestAttemptSendsTheNotifiersHeaders(t *testing.T) {
	got := make(chan http.Header, 1)
	shop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		got <- req.Header.Clone()
		w.Write([]byte("success"))
	}))
	defer shop.Close()
	r := newRig(t)
	n := r.insert(shop.URL+"/notify", t0)
	if _, err := r.d.DeliverDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	h := <-got
	if h.Get("Content-Type") != "application/x-www-form-urlencoded" || h.Get("X-Test-Signature") != "sig-"+n.NotifyID ||
		h.Get("User-Agent") != "mockpay-notify/1.0" {
		t.Errorf("headers sent: %v", h)
	}
	if st := r.get(n.ID).Status; st != payment.NotifyAcked {
		t.Errorf("status %s, want acked", st)
	}
}

// TestAttemptWaitsTheProtocolsTimeout: a shop that never answers fails the
// attempt once its protocol's timeout has passed, and the verdict says so.
// Dispatcher.Timeout and Schedule replace the notifier's.
func TestAttemptWaitsTheProtocolsTimeout(t *testing.T) {
	release := make(chan struct{})
	shop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		select {
		case <-req.Context().Done():
		case <-release:
		}
	}))
	defer shop.Close()
	defer close(release)

	cases := []struct {
		name     string
		notifier testNotifier
		timeout  time.Duration
		schedule channel.Schedule
		want     string
		next     time.Duration
	}{
		{"the notifier's", testNotifier{timeout: 50 * time.Millisecond}, 0, nil, "no answer within 50ms: ", time.Minute},
		{"the dispatcher's overrides", testNotifier{}, 60 * time.Millisecond, channel.Schedule{5 * time.Minute}, "no answer within 60ms: ", 5 * time.Minute},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := newRig(t)
			r.d.Notifiers, r.d.Timeout, r.d.Schedule = notifiers{c.notifier}, c.timeout, c.schedule
			n := r.insert(shop.URL+"/notify", t0)
			if _, err := r.d.DeliverDue(context.Background()); err != nil {
				t.Fatal(err)
			}
			as, _ := r.db.Attempts(context.Background(), n.ID)
			if len(as) != 1 || !strings.HasPrefix(as[0].Verdict, c.want) || as[0].StatusCode != 0 {
				t.Fatalf("attempts: %+v", as)
			}
			if got := r.get(n.ID); got.Status != payment.NotifyPending || !got.NextAttemptAt.Equal(t0.Add(c.next)) {
				t.Errorf("next attempt %v, want %v", got.NextAttemptAt, t0.Add(c.next))
			}
		})
	}
}
