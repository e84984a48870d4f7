package notify_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/clock"
	"github.com/mockpay/mockpay/notify"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/selfguard"
	"github.com/mockpay/mockpay/store"
)

var t0 = time.Date(2026, 5, 1, 10, 0, 0, 0, payment.CST)

// testNotifier is a protocol's notifier reduced to what these tests read: a
// form with the notify_id and the attempt's number, an ack of 200 and
// exactly "success", 3 attempts a minute apart, a minute's timeout (or
// timeout), and a header of its own.
type testNotifier struct{ timeout time.Duration }

func (testNotifier) Encode(n *payment.Notification, _ time.Time) (channel.Request, error) {
	body := url.Values{"notify_id": {n.NotifyID}, "attempt": {strconv.Itoa(n.Attempts + 1)}}.Encode()
	return channel.Request{Body: body, Header: http.Header{
		"Content-Type": {"application/x-www-form-urlencoded"}, "X-Test-Signature": {"sig-" + n.NotifyID},
	}}, nil
}

func (testNotifier) Judge(a channel.Answer) (bool, string) {
	switch {
	case a.StatusCode != http.StatusOK:
		return false, fmt.Sprintf("HTTP %d", a.StatusCode)
	case string(a.Body) == "success":
		return true, "acknowledged"
	}
	return false, fmt.Sprintf("the answer must be exactly %q; got %s", "success", channel.Quote(a.Body))
}

func (testNotifier) Schedule() channel.Schedule { return channel.Schedule{time.Minute, time.Minute} }

func (n testNotifier) Timeout() time.Duration {
	if n.timeout > 0 {
		return n.timeout
	}
	return time.Minute
}

// notifiers gives every protocol the same notifier.
type notifiers struct{ n channel.Notifier }

func (s notifiers) Notifier(payment.Protocol) (channel.Notifier, bool) { return s.n, true }

// rig is a dispatcher over a real store with a frozen clock; the schedule
// allows 3 attempts, a minute apart.
type rig struct {
	t       *testing.T
	db      *store.DB
	clock   *clock.Virtual
	d       *notify.Dispatcher
	changed chan struct{}
	seq     int
}

func newRig(t *testing.T) *rig {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	r := &rig{t: t, db: db, clock: clock.NewFake(t0), changed: make(chan struct{}, 1)}
	db.OnChange(func() {
		select {
		case r.changed <- struct{}{}:
		default:
		}
	})
	r.d = &notify.Dispatcher{Outbox: db, Clock: r.clock, Notifiers: notifiers{testNotifier{}}, Client: notify.NewClient(nil)}
	t.Cleanup(func() { db.Close() })
	return r
}

// insert queues a notification to u, due at due.
func (r *rig) insert(u string, due time.Time) *payment.Notification {
	r.t.Helper()
	r.seq++
	id := fmt.Sprintf("n%d", r.seq)
	n := &payment.Notification{NotifyID: id, AppID: "app", URL: u, Status: payment.NotifyPending, NextAttemptAt: due,
		Trade: payment.Trade{TradeNo: "T" + id}}
	if err := r.db.Tx(context.Background(), func(tx payment.Tx) error { return tx.InsertNotification(n) }); err != nil {
		r.t.Fatal(err)
	}
	return n
}

func (r *rig) get(id int64) *payment.Notification {
	r.t.Helper()
	n, err := r.db.Notification(context.Background(), id)
	if err != nil {
		r.t.Fatal(err)
	}
	return n
}

// waitFor waits for cond, looking again after every commit; the real-time
// bound only keeps a broken dispatcher from hanging the test.
func (r *rig) waitFor(what string, cond func() bool) {
	r.t.Helper()
	deadline := time.After(10 * time.Second)
	for !cond() {
		select {
		case <-r.changed:
		case <-deadline:
			r.t.Fatalf("never: %s", what)
		}
	}
}

// run runs the dispatcher's loop until the test ends.
func (r *rig) run() {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { r.d.Run(ctx); close(done) }()
	r.t.Cleanup(func() { cancel(); <-done })
}

// hangingShop answers "success" on /fast at once and on /slow only after
// release; each /slow request is announced on entered.
func hangingShop(t *testing.T) (srv *httptest.Server, entered chan string, release func()) {
	entered = make(chan string, 100)
	gate := make(chan struct{})
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			r.ParseForm()
			entered <- r.PostForm.Get("notify_id")
			<-gate
		}
		w.Write([]byte("success"))
	}))
	var once sync.Once
	release = func() { once.Do(func() { close(gate) }) }
	t.Cleanup(srv.Close)
	t.Cleanup(release) // before Close, which waits for the handlers
	return srv, entered, release
}

func (r *rig) acked(n *payment.Notification) func() bool {
	return func() bool { return r.get(n.ID).Status == payment.NotifyAcked }
}

// TestFastNotificationPassesHangingOnesToTheSameHost: four notifications
// whose handler hangs, due first, and a fast one to the same host:port: the
// fast one is acknowledged while the four still hang.
func TestFastNotificationPassesHangingOnesToTheSameHost(t *testing.T) {
	r := newRig(t)
	shop, entered, release := hangingShop(t)
	var slow []*payment.Notification
	for i := 4; i > 0; i-- {
		slow = append(slow, r.insert(shop.URL+"/slow", t0.Add(-time.Duration(i)*time.Second)))
	}
	fast := r.insert(shop.URL+"/fast", t0)
	r.run()
	for range slow {
		<-entered
	}
	r.waitFor("the fast notification is acknowledged", r.acked(fast))
	for _, n := range slow {
		if got := r.get(n.ID); got.Attempts != 0 {
			t.Fatalf("a hanging attempt is recorded before its handler answered: %+v", got)
		}
	}
	release()
	for _, n := range slow {
		r.waitFor("the slow ones are acknowledged once answered", r.acked(n))
	}
}

// TestNewlyDueNotificationIsNotHeldByAttemptsInFlight: while one shop's
// handler hangs, a notification that falls due later for another shop goes
// out at once.
func TestNewlyDueNotificationIsNotHeldByAttemptsInFlight(t *testing.T) {
	r := newRig(t)
	slowShop, entered, release := hangingShop(t)
	fastShop, _, _ := hangingShop(t)
	slow := r.insert(slowShop.URL+"/slow", t0)
	r.run()
	<-entered
	fast := r.insert(fastShop.URL+"/fast", t0)
	r.d.Wake()
	r.waitFor("the new notification is acknowledged", r.acked(fast))
	if got := r.get(slow.ID); got.Attempts != 0 {
		t.Fatalf("the hanging attempt is recorded: %+v", got)
	}
	release()
	r.waitFor("the slow one is acknowledged once answered", r.acked(slow))
}

// counter tracks requests in flight: now and the most seen.
type counter struct{ cur, max int }

func (c *counter) enter() { c.cur++; c.max = max(c.max, c.cur) }

// TestBoundsHold: with at most 2 attempts per host and 3 overall, three
// shops with four notifications each never see more; the total bound is
// reached (the dispatcher does run attempts side by side).
func TestBoundsHold(t *testing.T) {
	r := newRig(t)
	r.d.PerHost, r.d.Total = 2, 3
	var mu sync.Mutex
	total := &counter{}
	perShop := map[string]*counter{}
	entered := make(chan struct{}, 100)
	gate := make(chan struct{})
	var ns []*payment.Notification
	for s := 0; s < 3; s++ {
		name := strconv.Itoa(s)
		perShop[name] = &counter{}
		shop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			mu.Lock()
			total.enter()
			perShop[name].enter()
			mu.Unlock()
			entered <- struct{}{}
			<-gate
			mu.Lock()
			total.cur--
			perShop[name].cur--
			mu.Unlock()
			w.Write([]byte("success"))
		}))
		t.Cleanup(shop.Close)
		for i := 0; i < 4; i++ {
			ns = append(ns, r.insert(shop.URL+"/notify", t0.Add(time.Duration(len(ns)-20)*time.Second)))
		}
	}
	done := make(chan error, 1)
	go func() { _, err := r.d.DeliverDue(context.Background()); done <- err }()
	for i := 0; i < 3; i++ {
		<-entered
	}
	close(gate)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if total.max != 3 {
		t.Errorf("at most %d attempts were in flight at once, want the bound, 3", total.max)
	}
	for name, c := range perShop {
		if c.max > 2 {
			t.Errorf("shop %s saw %d attempts at once, above the per-host bound 2", name, c.max)
		}
	}
	for _, n := range ns {
		if got := r.get(n.ID); got.Status != payment.NotifyAcked || got.Attempts != 1 {
			t.Errorf("notification %d: %+v", n.ID, got)
		}
	}
}

// TestAttemptsOfOneNotificationNeverOverlap: a notification redelivered
// from inside its own attempts, among others failing to the same shop, with
// Run and DeliverDue both stepping: its attempts never overlap, their
// numbers only grow, and every redelivery asked for in flight is made.
func TestAttemptsOfOneNotificationNeverOverlap(t *testing.T) {
	r := newRig(t)
	r.clock.Advance(time.Hour) // every retry is due as soon as it is scheduled
	var mu sync.Mutex
	inFlight, last := map[string]int{}, map[string]int{}
	var problems []string
	var watched *payment.Notification
	shop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		req.ParseForm()
		id, number := req.PostForm.Get("notify_id"), req.PostForm.Get("attempt")
		k, _ := strconv.Atoi(number)
		mu.Lock()
		if inFlight[id]++; inFlight[id] > 1 {
			problems = append(problems, id+": two attempts at once")
		}
		if k <= last[id] {
			problems = append(problems, fmt.Sprintf("%s: attempt %d after %d", id, k, last[id]))
		}
		last[id] = k
		redo := id == watched.NotifyID && k <= 3
		mu.Unlock()
		if redo {
			if _, err := r.db.Redeliver(context.Background(), watched.ID, r.clock.Now()); err != nil {
				t.Error(err)
			}
			r.d.Wake()
		}
		mu.Lock()
		inFlight[id]--
		mu.Unlock()
		w.WriteHeader(http.StatusInternalServerError)
	}))
	t.Cleanup(shop.Close)
	watched = r.insert(shop.URL+"/notify", t0)
	var others []*payment.Notification
	for i := 0; i < 10; i++ {
		others = append(others, r.insert(shop.URL+"/notify", t0))
	}
	r.run()
	gaveUp := func(n *payment.Notification) func() bool {
		return func() bool { return r.get(n.ID).Status == payment.NotifyGaveUp }
	}
	r.waitFor("the watched notification gives up", gaveUp(watched))
	for _, n := range others {
		r.waitFor("the others give up", gaveUp(n))
	}
	if _, err := r.d.DeliverDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, p := range problems {
		t.Error(p)
	}
	// 3 redeliveries asked for during attempts 1-3 are 3 extra attempts
	// (2-4), which move no slot of the schedule: its 3 attempts (1, 5, 6)
	// are all made, 6 in all.
	if got := r.get(watched.ID); got.Attempts != 6 || got.Redeliveries != 3 || got.Manuals != 3 || last[watched.NotifyID] != 6 {
		t.Errorf("watched: %+v, last attempt seen %d", got, last[watched.NotifyID])
	}
	as, err := r.db.Attempts(context.Background(), watched.ID)
	if err != nil {
		t.Fatal(err)
	}
	for i, a := range as {
		if a.Number != i+1 {
			t.Errorf("recorded attempt %d is number %d", i+1, a.Number)
		}
	}
	for _, n := range others {
		if got := r.get(n.ID); got.Attempts != 3 || last[n.NotifyID] != 3 {
			t.Errorf("other %s: %+v", n.NotifyID, got)
		}
	}
}

// TestAttemptsToMockpayItselfAreNotSent: the guard's URL check and its
// dial check (for a name that only resolves to mockpay's address) each
// keep the request from leaving; the attempt says why and the schedule
// goes on.
func TestAttemptsToMockpayItselfAreNotSent(t *testing.T) {
	hits := 0
	var mu sync.Mutex
	self := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		mu.Lock()
		hits++
		mu.Unlock()
		w.Write([]byte("success"))
	}))
	t.Cleanup(self.Close)
	guard := &selfguard.Guard{}
	guard.Add(self.Listener.Addr()) // pretend this server is mockpay
	cases := []struct {
		name, url, verdict string
		urlCheck           bool
	}{
		{"reserved path, URL check", self.URL + "/_mockpay/api/reset", "not sent: points at mockpay itself: the path /_mockpay", true},
		{"own address, dial check only", self.URL + "/notify", "not sent: points at mockpay itself: " + self.Listener.Addr().String(), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := newRig(t)
			r.d.Client = notify.NewClient(guard.DialControl)
			if c.urlCheck {
				r.d.Guard = guard
			}
			n := r.insert(c.url, t0)
			if _, err := r.d.DeliverDue(context.Background()); err != nil {
				t.Fatal(err)
			}
			got := r.get(n.ID)
			as, _ := r.db.Attempts(context.Background(), n.ID)
			if len(as) != 1 || !strings.HasPrefix(as[0].Verdict, c.verdict) || as[0].StatusCode != 0 {
				t.Fatalf("attempts: %+v", as)
			}
			if got.Status != payment.NotifyPending || !got.NextAttemptAt.Equal(t0.Add(time.Minute)) {
				t.Errorf("a refused attempt should follow the schedule: %+v", got)
			}
		})
	}
	if hits != 0 {
		t.Errorf("mockpay was called %d times", hits)
	}
}

// TestOddAnswersAreQuotedShort: whatever answers (a port speaking another
// protocol, a binary body, a long text), the verdict and the stored answer
// are a short, escaped excerpt.
func TestOddAnswersAreQuotedShort(t *testing.T) {
	junk := make([]byte, 100<<10)
	for i := range junk {
		junk[i] = byte(i)
	}
	raw := func(reply []byte) string { return rawServer(t, reply) }
	body := func(b []byte) string {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write(b) }))
		t.Cleanup(srv.Close)
		return srv.URL
	}
	cases := []struct {
		name, url, verdict, answer string
	}{
		{"binary stream, no HTTP", raw(junk), "no answer: ", ""},
		{"another protocol's greeting line", raw([]byte("SSH-2.0-" + strings.Repeat("A", 5000) + "\r\n")), "no answer: ", ""},
		{"binary body", body(junk[:4096]), `the answer must be exactly "success"; got "\x00\x01`, `(not text) "\x00\x01`},
		{"long text body", body([]byte(strings.Repeat("é", 1000))), `the answer must be exactly "success"; got "ééé`, "éé"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := newRig(t)
			n := r.insert(c.url, t0)
			if _, err := r.d.DeliverDue(context.Background()); err != nil {
				t.Fatal(err)
			}
			as, _ := r.db.Attempts(context.Background(), n.ID)
			if len(as) != 1 {
				t.Fatalf("attempts: %+v", as)
			}
			a := as[0]
			if !strings.HasPrefix(a.Verdict, c.verdict) || !strings.HasPrefix(a.Answer, c.answer) {
				t.Errorf("verdict %q, answer %q", a.Verdict, a.Answer)
			}
			for what, s := range map[string]string{"verdict": a.Verdict, "answer": a.Answer} {
				if len(s) > 320 || !utf8.ValidString(s) || strings.IndexFunc(s, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0 {
					t.Errorf("%s is not a short printable excerpt (%d bytes): %q", what, len(s), s)
				}
			}
		})
	}
}

// rawServer accepts connections and answers each with reply, not HTTP.
func rawServer(t *testing.T, reply []byte) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				c.Write(reply)
			}()
		}
	}()
	return "http://" + ln.Addr().String() + "/notify"
}

// TestAbortLeavesTheAttemptDue: an attempt cut short by Abort (shutdown at
// its bound) is not recorded: the notification stays due at its time.
func TestAbortLeavesTheAttemptDue(t *testing.T) {
	r := newRig(t)
	shop, entered, _ := hangingShop(t)
	n := r.insert(shop.URL+"/slow", t0)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { r.d.Run(ctx); close(done) }()
	<-entered
	cancel() // shutdown begins: no new attempts; the one in flight goes on
	r.d.Abort()
	<-done // Run returns although the shop's handler still hangs
	got := r.get(n.ID)
	if got.Status != payment.NotifyPending || got.Attempts != 0 || !got.NextAttemptAt.Equal(t0) {
		t.Errorf("after abort: %+v", got)
	}
	if started, err := r.d.DeliverDue(context.Background()); started != 0 || err != nil {
		t.Errorf("an aborted dispatcher started %d attempts (%v)", started, err)
	}
}

// TestDeliverDueWaitsForRunsAttempts: DeliverDue called while Run's attempt
// is in flight returns only after that attempt and the retry it makes due
// (the clock is past it) are recorded: what tests that settle rely on.
func TestDeliverDueWaitsForRunsAttempts(t *testing.T) {
	r := newRig(t)
	r.clock.Advance(time.Hour)
	entered := make(chan struct{}, 10)
	gate := make(chan struct{})
	var calls atomic.Int32
	shop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if calls.Add(1) == 1 {
			entered <- struct{}{}
			<-gate
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("success"))
	}))
	t.Cleanup(shop.Close)
	n := r.insert(shop.URL+"/notify", t0)
	r.run()
	<-entered
	done := make(chan error, 1)
	go func() { _, err := r.d.DeliverDue(context.Background()); done <- err }()
	close(gate)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got := r.get(n.ID); got.Status != payment.NotifyAcked || got.Attempts != 2 {
		t.Errorf("when DeliverDue returned: %s after %d attempts", got.Status, got.Attempts)
	}
}

// TestLaterNotificationGoesOutWhileAHostIsFull: one attempt per host; the
// shop A hangs on its first notification, its second waits for the slot;
// a notification to B that falls due later (the clock reaches it) goes out
// on time all the same.
func TestLaterNotificationGoesOutWhileAHostIsFull(t *testing.T) {
	r := newRig(t)
	r.d.PerHost = 1
	a, entered, release := hangingShop(t)
	b, _, _ := hangingShop(t)
	a1, a2 := r.insert(a.URL+"/slow", t0), r.insert(a.URL+"/slow", t0)
	later := r.insert(b.URL+"/fast", t0.Add(time.Minute))
	r.run()
	<-entered
	r.clock.Advance(time.Minute)
	r.waitFor("the later notification is acknowledged", r.acked(later))
	if got := r.get(a2.ID); got.Attempts != 0 || len(entered) != 0 {
		t.Fatalf("a second attempt reached the full host: %+v", got)
	}
	release()
	r.waitFor("both of A's are acknowledged", func() bool { return r.acked(a1)() && r.acked(a2)() })
}
