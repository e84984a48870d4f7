package notify_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/mockpay/mockpay/clock"
	"github.com/mockpay/mockpay/notify"
	"github.com/mockpay/mockpay/payment"
)

// countingShop counts the requests per notify_id; while held, requests
// wait (each announced on entered) until let go.
type countingShop struct {
	*httptest.Server
	mu      sync.Mutex
	seen    map[string]int
	held    bool
	gate    chan struct{}
	entered chan string
}

func newCountingShop(t *testing.T) *countingShop {
	s := &countingShop{seen: map[string]int{}, gate: make(chan struct{}), entered: make(chan string, 1000)}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		id := r.PostForm.Get("notify_id")
		s.mu.Lock()
		s.seen[id]++
		held, gate := s.held, s.gate
		s.mu.Unlock()
		s.entered <- id
		if held {
			select {
			case <-gate:
			case <-r.Context().Done():
				return
			}
		}
		w.Write([]byte("success"))
	}))
	t.Cleanup(s.Close)
	t.Cleanup(s.letGo) // before Close, which waits for the handlers
	return s
}

// hold makes the requests from now on wait for letGo.
func (s *countingShop) hold() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.held, s.gate = true, make(chan struct{})
}

// answerNew answers the requests from now on at once; those waiting still
// wait.
func (s *countingShop) answerNew() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.held = false
}

// letGo answers the waiting requests, and the later ones at once.
func (s *countingShop) letGo() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.held = false
	select {
	case <-s.gate:
	default:
		close(s.gate)
	}
}

func (s *countingShop) count(id string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.seen[id]
}

func (s *countingShop) await(t *testing.T, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		select {
		case <-s.entered:
		case <-time.After(10 * time.Second):
			t.Fatalf("%d of %d requests arrived", i, n)
		}
	}
}

// pair is two dispatchers on one store, as two mockpay replicas on one
// database would be, with a lease clock of the test's own.
func pair(t *testing.T) (r *rig, d1, d2 *notify.Dispatcher, leases *clock.Virtual) {
	r = newRig(t)
	leases = clock.NewFake(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
	other := newRig(t) // only for a dispatcher configured as r's
	d1, d2 = r.d, other.d
	d2.Outbox, d2.Clock = r.db, r.clock
	d1.Owner, d2.Owner = "one", "two"
	d1.LeaseClock, d2.LeaseClock = leases, leases
	d1.Lease, d2.Lease = time.Minute, time.Minute
	return r, d1, d2, leases
}

// TestTwoDispatchersSendEachAttemptOnce: the first dispatcher claims half
// the due notifications (its per-host bound) and holds them in flight; the
// second claims the other half and none of the first's; every
// notification is sent exactly once.
func TestTwoDispatchersSendEachAttemptOnce(t *testing.T) {
	const n = 20
	r, d1, d2, _ := pair(t)
	d1.PerHost, d2.PerHost = n/2, n
	shop := newCountingShop(t)
	var ns []*payment.Notification
	for i := 0; i < n; i++ {
		ns = append(ns, r.insert(shop.URL+"/notify", t0))
	}
	shop.hold()
	results := make(chan error, 2)
	go func() { _, err := d1.DeliverDue(context.Background()); results <- err }()
	shop.await(t, n/2)
	go func() { _, err := d2.DeliverDue(context.Background()); results <- err }()
	shop.await(t, n/2)
	shop.letGo()
	for i := 0; i < 2; i++ {
		if err := <-results; err != nil {
			t.Fatal(err)
		}
	}
	for _, x := range ns {
		if got := shop.count(x.NotifyID); got != 1 {
			t.Errorf("%s sent %d times", x.NotifyID, got)
		}
		if got := r.get(x.ID); got.Status != payment.NotifyAcked || got.Attempts != 1 {
			t.Errorf("%s: %+v", x.NotifyID, got)
		}
	}
}

// watchedClock announces every wait on it: the dispatcher's watch for the
// end of another's lease.
type watchedClock struct {
	*clock.Virtual
	waits chan time.Time
}

func (c watchedClock) Until(t time.Time) (<-chan struct{}, func()) {
	c.waits <- t
	return c.Virtual.Until(t)
}

// TestHangingAttemptIsTakenOverWhenItsLeaseEnds: the first dispatcher's
// attempt hangs; a virtual jump of two days ends no lease; once the lease
// clock passes the lease, the second dispatcher's loop wakes, sends the
// attempt again (at least once) and records it; the first one's late
// answer is refused and changes nothing.
func TestHangingAttemptIsTakenOverWhenItsLeaseEnds(t *testing.T) {
	r, d1, d2, leases := pair(t)
	watched := watchedClock{Virtual: leases, waits: make(chan time.Time, 10)}
	d2.LeaseClock = watched
	shop := newCountingShop(t)
	x := r.insert(shop.URL+"/notify", t0)
	shop.hold()
	first := make(chan error, 1)
	go func() { _, err := d1.DeliverDue(context.Background()); first <- err }()
	shop.await(t, 1)
	shop.answerNew() // the held request still waits; the next is answered at once

	r.clock.Advance(48 * time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { d2.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	select {
	case end := <-watched.waits:
		if want := leases.Now().Add(time.Minute); !end.Equal(want) {
			t.Errorf("the second dispatcher waits for %v, want the lease's end %v", end, want)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the second dispatcher does not wait for the lease to end")
	}
	if c := shop.count(x.NotifyID); c != 1 {
		t.Fatalf("sent %d times while the lease holds", c)
	}
	leases.Advance(time.Minute)
	r.waitFor("the second dispatcher delivers", r.acked(x))
	if c := shop.count(x.NotifyID); c != 2 {
		t.Errorf("sent %d times, want the hung attempt and the take-over", c)
	}
	// The first dispatcher's request is still held by the shop: the test's
	// cleanup would answer it; here its client gives up instead.
	d1.Abort()
	if err := <-first; err != nil {
		t.Errorf("the first dispatcher, aborted: %v", err)
	}
	if got := r.get(x.ID); got.Attempts != 1 || got.Status != payment.NotifyAcked {
		t.Errorf("after the take-over: %+v", got)
	}
}

// TestLateRecordAfterTakeOverIsRefused: the first dispatcher's answer comes
// after the second recorded the same attempt: the first record stands and
// the late one is reported as taken.
func TestLateRecordAfterTakeOverIsRefused(t *testing.T) {
	r, d1, d2, leases := pair(t)
	shop := newCountingShop(t)
	x := r.insert(shop.URL+"/notify", t0)
	shop.hold()
	first := make(chan error, 1)
	go func() { _, err := d1.DeliverDue(context.Background()); first <- err }()
	shop.await(t, 1)
	if started, err := d2.DeliverDue(context.Background()); started != 0 || err != nil {
		t.Fatalf("while the lease holds the second dispatcher started %d (%v)", started, err)
	}
	leases.Advance(time.Minute)
	shop.answerNew() // the second one's request is answered; the first still waits
	if started, err := d2.DeliverDue(context.Background()); started != 1 || err != nil {
		t.Fatalf("after the lease the second dispatcher started %d (%v)", started, err)
	}
	shop.letGo()
	if err := <-first; !errors.Is(err, payment.ErrAttemptTaken) {
		t.Errorf("the late record: %v, want ErrAttemptTaken", err)
	}
	if got := r.get(x.ID); got.Attempts != 1 || got.Status != payment.NotifyAcked {
		t.Errorf("after both: %+v", got)
	}
	if as, _ := r.db.Attempts(context.Background(), x.ID); len(as) != 1 {
		t.Errorf("%d attempts recorded", len(as))
	}
}

// TestAbortReleasesTheClaim: an attempt cut short at shutdown is not
// recorded and its claim ends with it: the notification is due at its
// scheduled time for the next dispatcher, without waiting for the lease.
func TestAbortReleasesTheClaim(t *testing.T) {
	r, d1, d2, _ := pair(t)
	shop := newCountingShop(t)
	x := r.insert(shop.URL+"/notify", t0)
	shop.hold()
	first := make(chan error, 1)
	go func() { _, err := d1.DeliverDue(context.Background()); first <- err }()
	shop.await(t, 1)
	d1.Abort()
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if got := r.get(x.ID); got.Attempts != 0 || !got.NextAttemptAt.Equal(t0) {
		t.Fatalf("after the abort: %+v", got)
	}
	shop.letGo()
	if started, err := d2.DeliverDue(context.Background()); started != 1 || err != nil {
		t.Fatalf("the next dispatcher started %d (%v)", started, err)
	}
	if got := r.get(x.ID); got.Attempts != 1 || got.Status != payment.NotifyAcked {
		t.Errorf("after the next dispatcher: %+v", got)
	}
}
