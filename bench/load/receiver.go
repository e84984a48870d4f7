package main

import (
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"
)

// receiver is the shops' notify_url: it answers "success" (or, while
// failing is set, "fail", which the platform retries later) and counts
// what it acknowledged, by notify_id and by paid order, so a run can prove
// every notification arrived and none twice.
type receiver struct {
	URL     string
	srv     *http.Server
	failing atomic.Bool

	mu      sync.Mutex
	acked   map[string]int // notify_id → acknowledgements
	paid    map[string]int // out_trade_no → acknowledged payment notifications
	failed  int            // answered "fail"
	waiters map[string]chan time.Time
}

func startReceiver() (*receiver, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	r := &receiver{URL: "http://" + l.Addr().String() + "/notify"}
	r.reset()
	r.srv = &http.Server{Handler: http.HandlerFunc(r.serve)}
	go r.srv.Serve(l)
	return r, nil
}

// reset forgets everything counted: each run starts from zero.
func (r *receiver) reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.acked, r.paid, r.failed, r.waiters = map[string]int{}, map[string]int{}, 0, map[string]chan time.Time{}
}

// expect returns a channel that gets the time out_trade_no's payment
// notification is acknowledged.
func (r *receiver) expect(outTradeNo string) <-chan time.Time {
	c := make(chan time.Time, 1)
	r.mu.Lock()
	r.waiters[outTradeNo] = c
	r.mu.Unlock()
	return c
}

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	b, _ := io.ReadAll(req.Body)
	v, _ := url.ParseQuery(string(b))
	if r.failing.Load() {
		r.mu.Lock()
		r.failed++
		r.mu.Unlock()
		io.WriteString(w, "fail")
		return
	}
	now := time.Now()
	r.mu.Lock()
	r.acked[v.Get("notify_id")]++
	// A refund's notification carries gmt_refund (§3.2); a payment's not.
	if v.Get("gmt_refund") == "" {
		otn := v.Get("out_trade_no")
		r.paid[otn]++
		if c, ok := r.waiters[otn]; ok {
			delete(r.waiters, otn)
			c <- now
		}
	}
	r.mu.Unlock()
	io.WriteString(w, "success")
}

// counts returns how many payment notifications were acknowledged, how
// many notify_ids were acknowledged more than once, and how many "fail"s
// were answered.
func (r *receiver) counts() (paid, duplicates, failed int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, n := range r.paid {
		paid += min(n, 1)
	}
	for _, n := range r.acked {
		if n > 1 {
			duplicates++
		}
	}
	return paid, duplicates, r.failed
}

// paidCount returns how often each order's payment was acknowledged.
func (r *receiver) paidCount(outTradeNo string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.paid[outTradeNo]
}

func (r *receiver) Close() { r.srv.Close() }
