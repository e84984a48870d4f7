package main

import (
	"fmt"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// flowResult is a Go-driven run: how many completed, how long the whole
// took, and each item's latency.
type flowResult struct {
	N         int
	Elapsed   time.Duration
	Latencies []time.Duration // sorted
	// NotifyDelays are, in a flash sale, from the pay answer to the
	// notification's acknowledgement.
	NotifyDelays []time.Duration // sorted
}

func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(float64(len(sorted))*p/100))]
}

// flashSale runs flows purchases over the shops, conc at a time: page.pay
// (303 to the cashier), the buyer paying through the control API, and the
// payment notification acknowledged by the receiver. bodies[i] is flow i's
// page.pay, for shops[i%len(shops)] and order orders[i]. Flow i opens its
// order on ms[i%len(ms)] and pays it on the next replica (one mockpay: the
// same).
func flashSale(ms []*mockpay, rc *receiver, shops []*shop, orders, bodies []string, conc int) (flowResult, error) {
	n := len(bodies)
	lat := make([]time.Duration, n)
	delay := make([]time.Duration, n)
	var next atomic.Int64
	var mu sync.Mutex
	var firstErr error
	fail := func(err error) {
		mu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
	}
	start := time.Now()
	var wg sync.WaitGroup
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				s := shops[i%len(shops)]
				t0 := time.Now()
				acked := rc.expect(orders[i])
				m := ms[i%len(ms)]
				code, body, err := postForm(m.URL+"/gateway.do", bodies[i])
				if err == nil && code != http.StatusSeeOther {
					err = fmt.Errorf("page.pay %s: HTTP %d, want 303: %.200s", orders[i], code, body)
				}
				if err != nil {
					fail(err)
					return
				}
				if _, err := ms[(i+1)%len(ms)].payOrder(s.keys.AppID, orders[i]); err != nil {
					fail(err)
					return
				}
				paid := time.Now()
				select {
				case at := <-acked:
					lat[i], delay[i] = at.Sub(t0), at.Sub(paid)
				case <-time.After(30 * time.Second):
					fail(fmt.Errorf("order %s: no notification acknowledged within 30s of its payment", orders[i]))
					return
				}
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return flowResult{}, firstErr
	}
	slices.Sort(lat)
	slices.Sort(delay)
	return flowResult{N: n, Elapsed: time.Since(start), Latencies: lat, NotifyDelays: delay}, nil
}

// payAll opens and pays orders (page.pay, then the control API), conc at a
// time, without waiting for notifications: the set-up of the dispatch run.
func payAll(m *mockpay, s *shop, orders, bodies []string, conc int) error {
	var next atomic.Int64
	errs := make(chan error, conc)
	var wg sync.WaitGroup
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(bodies) {
					return
				}
				code, body, err := postForm(m.URL+"/gateway.do", bodies[i])
				if err == nil && code != http.StatusSeeOther {
					err = fmt.Errorf("page.pay: HTTP %d: %.200s", code, body)
				}
				if err == nil {
					_, err = m.payOrder(s.keys.AppID, orders[i])
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	return <-errs
}

// dispatch measures notification delivery alone: n paid orders whose first
// attempt the receiver refused ("fail"), all falling due at once when the
// virtual clock jumps past Alipay's first retry (4 minutes, kit.Schedule);
// the run ends when the receiver has acknowledged every one.
func dispatch(m *mockpay, rc *receiver, s *shop, prefix string, n, conc int) (flowResult, usage, error) {
	orders := make([]string, n)
	for i := range orders {
		orders[i] = fmt.Sprintf("%s-%d", prefix, i)
	}
	bodies := parallel(n, func(i int) string { return s.pagePay(orders[i], rc.URL) })
	rc.reset()
	rc.failing.Store(true)
	if err := payAll(m, s, orders, bodies, conc); err != nil {
		return flowResult{}, usage{}, err
	}
	if err := waitFor(60*time.Second, func() bool { _, _, f := rc.counts(); return f >= n }); err != nil {
		return flowResult{}, usage{}, fmt.Errorf("first attempts: %w", err)
	}
	waits := make([]<-chan time.Time, n)
	for i, o := range orders {
		waits[i] = rc.expect(o)
	}
	rc.failing.Store(false)
	stop := meter(m.Pid)
	start := time.Now()
	if err := m.advance("5m"); err != nil {
		return flowResult{}, usage{}, err
	}
	lat := make([]time.Duration, n)
	for i, w := range waits {
		select {
		case at := <-w:
			lat[i] = at.Sub(start)
		case <-time.After(60 * time.Second):
			return flowResult{}, usage{}, fmt.Errorf("order %s: retry not acknowledged within 60s", orders[i])
		}
	}
	elapsed := time.Since(start)
	u := stop()
	slices.Sort(lat)
	return flowResult{N: n, Elapsed: elapsed, Latencies: lat}, u, nil
}

func waitFor(d time.Duration, ok func() bool) error {
	deadline := time.Now().Add(d)
	for !ok() {
		if time.Now().After(deadline) {
			return fmt.Errorf("not done within %s", d)
		}
		time.Sleep(5 * time.Millisecond)
	}
	return nil
}
