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

// slotReceiver is the notify_url of the multi-replica check: it records
// every delivery by notify_id, answers "fail" to the first delivery of the
// orders in failFirst (so their retry slots come), and while hold is set
// keeps each request that long before answering. A delivery whose sender
// went away while it was held (a replica killed mid-delivery) is counted
// as cut, not as delivered: its attempt was never recorded.
type slotReceiver struct {
	URL  string
	srv  *http.Server
	hold atomic.Int64 // nanoseconds

	mu        sync.Mutex
	failFirst map[string]bool            // out_trade_no → refuse its first payment notification
	byID      map[string][]arrival       // notify_id → completed deliveries
	cut       map[string]int             // notify_id → deliveries cut by the sender's death
	holding   int                        // requests being held now
	paidAcked map[string]int             // out_trade_no → payment notifications acknowledged
	payments  map[string]map[string]bool // out_trade_no → notify_ids of its payment notifications
}

type arrival struct {
	At    time.Time
	Acked bool
}

func startSlotReceiver() (*slotReceiver, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	r := &slotReceiver{URL: "http://" + l.Addr().String() + "/notify", failFirst: map[string]bool{},
		byID: map[string][]arrival{}, cut: map[string]int{}, paidAcked: map[string]int{}, payments: map[string]map[string]bool{}}
	r.srv = &http.Server{Handler: http.HandlerFunc(r.serve)}
	go r.srv.Serve(l)
	return r, nil
}

func (r *slotReceiver) serve(w http.ResponseWriter, req *http.Request) {
	at := time.Now()
	b, _ := io.ReadAll(req.Body)
	v, _ := url.ParseQuery(string(b))
	id, otn := v.Get("notify_id"), v.Get("out_trade_no")
	payment := v.Get("gmt_refund") == ""
	if d := time.Duration(r.hold.Load()); d > 0 {
		r.mu.Lock()
		r.holding++
		r.mu.Unlock()
		select {
		case <-time.After(d):
		case <-req.Context().Done(): // the sender died holding the connection
		}
		r.mu.Lock()
		r.holding--
		r.mu.Unlock()
		if req.Context().Err() != nil {
			r.mu.Lock()
			r.cut[id]++
			r.mu.Unlock()
			return
		}
	}
	r.mu.Lock()
	ack := !(payment && r.failFirst[otn] && len(r.byID[id]) == 0)
	r.byID[id] = append(r.byID[id], arrival{At: at, Acked: ack})
	if ack && payment {
		r.paidAcked[otn]++
	}
	if payment {
		if r.payments[otn] == nil {
			r.payments[otn] = map[string]bool{}
		}
		r.payments[otn][id] = true
	}
	r.mu.Unlock()
	if ack {
		io.WriteString(w, "success")
	} else {
		io.WriteString(w, "fail")
	}
}

func (r *slotReceiver) holdingNow() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.holding
}

// ackedPayments counts the orders whose payment notification was
// acknowledged at least once.
func (r *slotReceiver) ackedPayments(orders []string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, o := range orders {
		if r.paidAcked[o] > 0 {
			n++
		}
	}
	return n
}

func (r *slotReceiver) Close() { r.srv.Close() }
