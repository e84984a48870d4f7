// Package notify delivers outbox notifications to shops: on schedule, at
// least once, each through the notifier of the protocol it was ordered in
// (its encoding, acknowledgement rule, schedule and timeout).
package notify

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/clock"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/worker"
)

// Outbox is where notifications wait; store.DB implements it. Several
// dispatchers may share one (goroutines here, or mockpay processes on one
// database): each claims what it sends under its own lease.
type Outbox interface {
	// ClaimDue claims for l.Owner until l.Until() the pending notifications
	// due by now that take accepts, among up to limit that no other
	// owner's lease holds, earliest first, and returns them. take runs
	// inside the claim's transaction.
	ClaimDue(ctx context.Context, now time.Time, l payment.Lease, limit int, take func(*payment.Notification) bool) ([]*payment.Notification, error)
	// ReleaseClaim ends owner's claim on a notification that got no
	// recorded attempt.
	ReleaseClaim(ctx context.Context, owner string, id int64) error
	// NextNotificationAt is the earliest due time later than after (zero:
	// any) of a pending notification not in skip and not held by another
	// owner's lease.
	NextNotificationAt(ctx context.Context, after time.Time, l payment.Lease, skip ...int64) (time.Time, bool, error)
	// NextLeaseEnd is when the earliest lease of another owner still
	// holding at l.Now ends (lease clock).
	NextLeaseEnd(ctx context.Context, l payment.Lease) (time.Time, bool, error)
	// RecordAttempt stores a and applies o to the notification as it is
	// now, ending its claim; false (and no error) when the notification is
	// gone.
	RecordAttempt(ctx context.Context, a *payment.Attempt, o payment.AttemptOutcome) (bool, error)
}

// Notifiers picks the notifier of a notification's protocol; channel.Set
// implements it.
type Notifiers interface {
	Notifier(p payment.Protocol) (channel.Notifier, bool)
}

// URLGuard refuses a callback URL that points at mockpay itself
// (selfguard.Guard).
type URLGuard interface {
	Check(rawURL string) error
}

// Default bounds of attempts in flight: per host:port, so one slow shop
// holds at most that many of its own notifications and none of anyone
// else's; and overall, so a flood of due rows cannot open unbounded
// connections.
const (
	DefaultPerHost = 8
	DefaultTotal   = 64
)

// DefaultLease is how long a claim holds when Dispatcher.Lease is 0 (at
// least twice the client's timeout): long enough for any attempt, short
// enough that another dispatcher soon takes over the notifications of one
// that died mid-delivery.
const DefaultLease = time.Minute

const (
	// scanLimit bounds the due rows one step looks through for ones whose
	// host has a free slot; rows beyond it wait for the next step.
	scanLimit = 1000
	// retryAfterError keeps a notification whose attempt could not be
	// recorded out of the next steps for a moment (real time), so a broken
	// database does not turn into a tight loop of requests to the shop.
	retryAfterError = time.Second
)

// Dispatcher delivers due notifications, concurrently within bounds: at
// most PerHost attempts to one host:port and Total overall, never two
// attempts of one notification at once (attempt numbers only grow). Run it
// in a goroutine; tests call DeliverDue for one step.
type Dispatcher struct {
	Outbox Outbox
	Clock  clock.Clock
	// Notifiers encode each notification, judge the shop's answer, and say
	// when to try again and how long to wait for an answer.
	Notifiers Notifiers
	// Schedule and Timeout, when set, replace every notifier's (tests and
	// --notify-timeout).
	Schedule channel.Schedule
	Timeout  time.Duration
	// Client makes the requests: NewClient's, whose dialler refuses
	// mockpay's own listeners. Each attempt's timeout is its request's
	// context, so one client serves every protocol.
	Client *http.Client
	// Guard is asked before every attempt; nil allows every URL.
	Guard URLGuard
	// Rewrites send attempts for some callback hosts to another host
	// (--notify-host-rewrite), at NewClient's dial; each such attempt's
	// verdict says so.
	Rewrites HostRewrites
	// Layer, when set, wraps each attempt's send step (faults.Layer).
	Layer Layer
	// PerHost and Total bound the attempts in flight; 0 means
	// DefaultPerHost and DefaultTotal.
	PerHost, Total int
	// Owner names this dispatcher's claims in the outbox; empty means a
	// fresh random name. Two dispatchers sharing an outbox need two names.
	Owner string
	// Lease is how long a claim holds (0: DefaultLease, or twice the
	// client's timeout if longer), on LeaseClock (nil: real time). An
	// attempt still running when its lease ends may be sent again by
	// another dispatcher; the first record stands.
	Lease      time.Duration
	LeaseClock clock.Clock
	Log        *slog.Logger

	initOnce sync.Once
	wake     worker.Waker
	abortCtx context.Context // done once Abort is called
	abort    context.CancelFunc

	stepMu sync.Mutex // one step claims at a time, so no row is claimed from a stale read

	mu       sync.Mutex
	inflight map[int64]string // notification id → host, while its attempt runs
	perHost  map[string]int
	finished chan struct{} // closed (and replaced) whenever an attempt ends
	ended    uint64        // attempts ended so far
	// waiting is set by a step that left due rows for want of a free slot,
	// with ended as it was when that step began and the time it looked at.
	waiting      bool
	waitingSince uint64
	waitingAt    time.Time

	stopLeaseWatch func() // ends the wait for another owner's lease to run out
}

// NewClient returns the HTTP client deliveries use: it never follows a
// redirect (a 3xx is a failed attempt, and the platform never goes to a host
// the merchant did not name), never goes through a proxy, reads at most a
// small header block, and dials through control (selfguard's DialControl:
// no name that resolves to mockpay's own listener gets a connection) after
// the Dispatcher's Rewrites.
func NewClient(control dialControl) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = nil
	tr.DialContext = rewriteDial(dialer(control).DialContext)
	tr.MaxResponseHeaderBytes = 64 << 10
	return &http.Client{
		Transport: tr,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

func (d *Dispatcher) init() {
	d.initOnce.Do(func() {
		d.wake = worker.NewWaker()
		d.abortCtx, d.abort = context.WithCancel(context.Background())
		d.inflight = map[int64]string{}
		d.perHost = map[string]int{}
		d.finished = make(chan struct{})
		if d.Owner == "" {
			d.Owner = newOwner()
		}
		if d.LeaseClock == nil {
			d.LeaseClock = clock.NewReal()
		}
		d.stopLeaseWatch = func() {}
	})
}

// newOwner names a dispatcher: its process and a random part, so a claim
// in a shared database says whose it is.
func newOwner() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return fmt.Sprintf("pid%d-%x", os.Getpid(), b)
}

// lease is a claim made now.
func (d *Dispatcher) lease() payment.Lease {
	term := d.Lease
	if term <= 0 {
		term = DefaultLease
		if d.Client != nil && 2*d.Client.Timeout > term {
			term = 2 * d.Client.Timeout
		}
	}
	return payment.Lease{Owner: d.Owner, Now: d.LeaseClock.Now(), Term: term}
}

// Wake makes Run look for due notifications now.
func (d *Dispatcher) Wake() { d.init(); d.wake.Wake() }

// Abort cancels every attempt in flight and starts no more: what shutdown
// does when its time is up. An attempt cancelled this way is not recorded,
// so its notification stays due at its scheduled time and is sent again
// after a restart (at least once: the shop may have seen it already).
func (d *Dispatcher) Abort() { d.init(); d.abort() }

// Run delivers notifications as they fall due until ctx ends, then waits
// for the attempts in flight (Abort cuts them short). Between steps it
// sleeps until the earliest due row, a Wake or the end of an attempt,
// never polling.
func (d *Dispatcher) Run(ctx context.Context) error {
	d.init()
	err := worker.Loop{
		Name:  "notify",
		Clock: d.Clock,
		Step: func(ctx context.Context) error {
			_, _, err := d.startDue(ctx, func(err error) { d.log().Error("notify", "err", err) })
			return err
		},
		Next: d.next,
		Wake: d.wake,
		Log:  d.Log,
	}.Run(ctx)
	d.stopLeaseWatch()
	_, _ = d.waitIdle(context.Background())
	return err
}

// DeliverDue makes one attempt for every notification due now, until none
// is due, and returns how many attempts it started. It returns once no
// attempt is in flight, its own or Run's, so what it returns after is
// recorded.
func (d *Dispatcher) DeliverDue(ctx context.Context) (int, error) {
	d.init()
	var mu sync.Mutex
	var errs []error
	report := func(err error) { mu.Lock(); errs = append(errs, err); mu.Unlock() }
	total := 0
	for {
		before := d.endedCount()
		started, waiting, err := d.startDue(ctx, report)
		total += started
		if err != nil {
			return total, err
		}
		waited, err := d.waitIdle(ctx)
		if err != nil {
			return total, err
		}
		// Done when this round found nothing to start and nothing ran
		// meanwhile: an attempt that was running (Run's, say) may have made
		// its notification due again, even one that ended between the
		// round's look at the outbox and waitIdle.
		if started == 0 && !waiting && !waited && d.endedCount() == before {
			mu.Lock()
			defer mu.Unlock()
			return total, errors.Join(errs...)
		}
	}
}

// startDue claims and starts an attempt for every due notification not in
// flight, as far as the bounds allow, without waiting for any. It reports
// how many it started and whether due rows were left for want of a free
// slot. Only what it can start now is claimed: rows left waiting stay free
// for another dispatcher.
func (d *Dispatcher) startDue(ctx context.Context, report func(error)) (started int, waiting bool, err error) {
	d.stepMu.Lock()
	defer d.stepMu.Unlock()
	if d.abortCtx.Err() != nil || ctx.Err() != nil {
		return 0, false, nil // shutting down: start nothing
	}
	now := d.Clock.Now()
	d.mu.Lock()
	since := d.ended
	d.mu.Unlock()
	defer func() {
		d.mu.Lock()
		d.waiting, d.waitingSince, d.waitingAt = waiting, since, now
		d.mu.Unlock()
	}()
	var took []*payment.Notification
	looked, full := 0, false
	due, err := d.Outbox.ClaimDue(ctx, now, d.lease(), scanLimit, func(n *payment.Notification) bool {
		if looked++; looked == scanLimit {
			waiting = true // rows beyond the scan wait for the next step
		}
		if full {
			return false
		}
		switch d.claim(n) {
		case claimed:
			took = append(took, n)
			return true
		case hostFull:
			waiting = true
		case allFull:
			waiting, full = true, true
		}
		return false
	})
	if err != nil {
		for _, n := range took {
			d.forget(n.ID) // the claim rolled back: so does its slot
		}
		return 0, waiting, err
	}
	for _, n := range due {
		started++
		go d.run(ctx, n, report)
	}
	return started, waiting, nil
}

// next is when Run steps again: the earliest due row not in flight, or,
// when the last step left due rows waiting for a slot, the earliest one due
// after the time that step looked at (the end of an attempt wakes the loop
// for the waiting ones). Rows another dispatcher's lease holds are not
// due here; the end of the earliest such lease wakes the loop on the lease
// clock, to take over a dispatcher that died mid-delivery.
func (d *Dispatcher) next(ctx context.Context) (time.Time, bool, error) {
	d.mu.Lock()
	skip := d.inflightIDs()
	waiting, freed, looked := d.waiting, d.ended != d.waitingSince, d.waitingAt
	d.mu.Unlock()
	l := d.lease()
	if err := d.watchLeases(ctx, l); err != nil {
		return time.Time{}, false, err
	}
	if !waiting {
		return d.Outbox.NextNotificationAt(ctx, time.Time{}, l, skip...)
	}
	if freed {
		return looked, true, nil // a slot came free while the step ran: its wake-up was drained
	}
	return d.Outbox.NextNotificationAt(ctx, looked, l, skip...)
}

// watchLeases wakes the loop when the earliest lease another owner holds
// ends, replacing the previous watch.
func (d *Dispatcher) watchLeases(ctx context.Context, l payment.Lease) error {
	d.stopLeaseWatch()
	d.stopLeaseWatch = func() {}
	end, ok, err := d.Outbox.NextLeaseEnd(ctx, l)
	if err != nil || !ok {
		return err
	}
	ended, stop := d.LeaseClock.Until(end)
	quit := make(chan struct{})
	go func() {
		select {
		case <-ended:
			d.wake.Wake()
		case <-quit:
		}
	}()
	d.stopLeaseWatch = func() { stop(); close(quit) }
	return nil
}

type claim int

const (
	claimed claim = iota
	inFlight
	hostFull
	allFull
)

// claim marks n in flight if the bounds allow.
func (d *Dispatcher) claim(n *payment.Notification) claim {
	h := hostOf(n.URL)
	d.mu.Lock()
	defer d.mu.Unlock()
	switch {
	case d.claimedID(n.ID):
		return inFlight
	case len(d.inflight) >= bound(d.Total, DefaultTotal):
		return allFull
	case d.perHost[h] >= bound(d.PerHost, DefaultPerHost):
		return hostFull
	}
	d.inflight[n.ID] = h
	d.perHost[h]++
	return claimed
}

// run makes n's attempt and releases its slot. An attempt cut short by
// Abort is not recorded: its claim is released too, so the notification
// is due at its scheduled time again, after a restart or for another
// dispatcher at once (the lease would hold it for nobody otherwise).
func (d *Dispatcher) run(ctx context.Context, n *payment.Notification, report func(error)) {
	err := d.attempt(ctx, n)
	if d.abortCtx.Err() != nil {
		if rerr := d.Outbox.ReleaseClaim(context.WithoutCancel(ctx), d.Owner, n.ID); rerr != nil {
			report(fmt.Errorf("release notification %d: %w", n.ID, rerr))
		}
	}
	if err != nil {
		report(err)
		time.AfterFunc(retryAfterError, func() { d.release(n.ID) })
		return
	}
	d.release(n.ID)
}

// endedCount is how many attempts have ended so far.
func (d *Dispatcher) endedCount() uint64 {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.ended
}

// forgetLocked frees id's slot; d.mu is held.
func (d *Dispatcher) forgetLocked(id int64) {
	h := d.inflight[id]
	delete(d.inflight, id)
	if d.perHost[h]--; d.perHost[h] <= 0 {
		delete(d.perHost, h)
	}
}

// forget frees the slot of an attempt that never started.
func (d *Dispatcher) forget(id int64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.forgetLocked(id)
}

func (d *Dispatcher) release(id int64) {
	d.mu.Lock()
	d.forgetLocked(id)
	d.ended++
	close(d.finished)
	d.finished = make(chan struct{})
	d.mu.Unlock()
	d.wake.Wake() // a slot is free, and the notification may be due again at once
}

// waitIdle waits until no attempt is in flight, and reports whether any
// was.
func (d *Dispatcher) waitIdle(ctx context.Context) (waited bool, err error) {
	for {
		d.mu.Lock()
		busy, finished := len(d.inflight) > 0, d.finished
		d.mu.Unlock()
		if !busy {
			return waited, nil
		}
		waited = true
		select {
		case <-finished:
		case <-ctx.Done():
			return waited, ctx.Err()
		}
	}
}

func (d *Dispatcher) claimedID(id int64) bool { _, ok := d.inflight[id]; return ok }

// inflightIDs lists the claimed ids; d.mu is held.
func (d *Dispatcher) inflightIDs() []int64 {
	ids := make([]int64, 0, len(d.inflight))
	for id := range d.inflight {
		ids = append(ids, id)
	}
	return ids
}

func bound(n, def int) int {
	if n <= 0 {
		return def
	}
	return n
}

// hostOf is the host:port a notification goes to, the unit of PerHost.
func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return raw
	}
	port := u.Port()
	if port == "" {
		port = "80"
		if strings.EqualFold(u.Scheme, "https") {
			port = "443"
		}
	}
	return net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}

func (d *Dispatcher) log() *slog.Logger {
	if d.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return d.Log
}
