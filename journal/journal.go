// Package journal is mockpay's request journal: every request to an
// emulated platform surface (a channel's routes, the cashier's actions) with
// its verdict, in a bounded in-memory ring, so that a rejected call leaves a
// trace (issue 11). It knows no channel and no HTTP server; entries never
// hold a secret (the channel's Verdict carries none).
package journal

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"sync"
	"time"

	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/watch"
)

// DefaultSize is how many entries a ring keeps unless told otherwise.
const DefaultSize = 1000

// Entry is one request as the journal keeps it.
type Entry struct {
	ID       int64     // 1, 2, …: the order requests were recorded in
	Wall     time.Time // real time the request was answered
	Virtual  time.Time // the platform's (virtual) time then
	Surface  string    // "channel" or "cashier"
	HTTP     string    // the HTTP method
	Path     string    // the URL path, without the query (it may carry sign)
	Status   int       // the HTTP status answered
	Latency  time.Duration
	Recorded bool // the route reported a verdict (cashier pages and file servers may not)
	channel.Verdict
}

// Accepted reports whether the request was accepted: a verdict without an
// error, or, when the route reported none, an HTTP status below 400.
func (e Entry) Accepted() bool {
	if e.Recorded {
		return e.Verdict.Accepted()
	}
	return e.Status < 400
}

// Ring keeps the last Size entries.
type Ring struct {
	mu      sync.Mutex
	size    int
	entries []Entry // oldest first, at most size
	next    int64
	changed watch.Signal
	id      string
}

// New returns a ring of size entries (DefaultSize when size < 1).
func New(size int) *Ring {
	if size < 1 {
		size = DefaultSize
	}
	var b [8]byte
	_, _ = rand.Read(b[:])
	return &Ring{size: size, id: hex.EncodeToString(b[:])}
}

// ID names this ring: a new process has a new ring, whose entry ids start
// again at 1, so a client following it knows to start over.
func (r *Ring) ID() string { return r.id }

// Size is how many entries the ring keeps.
func (r *Ring) Size() int { return r.size }

// Add records e, giving it the next id, and drops the oldest entry when the
// ring is full. It returns the entry as stored.
func (r *Ring) Add(e Entry) Entry {
	r.mu.Lock()
	r.next++
	e.ID = r.next
	if len(r.entries) == r.size {
		copy(r.entries, r.entries[1:])
		r.entries = r.entries[:len(r.entries)-1]
	}
	r.entries = append(r.entries, e)
	r.mu.Unlock()
	r.changed.Fire()
	return e
}

// Filter picks entries: all of them when zero.
type Filter struct {
	App     string
	Verdict string // "accepted", "rejected" or ""
	Since   int64  // only entries with a larger id
	Limit   int    // at most this many, the oldest first; 0: all
}

// Verdicts are the values Filter.Verdict accepts.
const (
	VerdictAccepted = "accepted"
	VerdictRejected = "rejected"
)

func (f Filter) match(e Entry) bool {
	switch {
	case e.ID <= f.Since:
		return false
	case f.App != "" && e.App != f.App:
		return false
	case f.Verdict == VerdictAccepted && !e.Accepted(), f.Verdict == VerdictRejected && e.Accepted():
		return false
	}
	return true
}

// List returns the entries f picks, the oldest first.
func (r *Ring) List(f Filter) []Entry {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []Entry
	for _, e := range r.entries {
		if f.match(e) {
			out = append(out, e)
			if f.Limit > 0 && len(out) == f.Limit {
				break
			}
		}
	}
	return out
}

// Wait is List, waiting up to wait (real time) for an entry f picks when
// there is none yet. It answers an empty list when the wait runs out.
func (r *Ring) Wait(ctx context.Context, f Filter, wait time.Duration) ([]Entry, error) {
	var out []Entry
	err := r.changed.Until(ctx, wait, func() (bool, error) {
		out = r.List(f)
		return len(out) > 0, nil
	})
	if err == watch.ErrTimeout {
		err = nil
	}
	return out, err
}

// Last is the id of the newest entry, 0 when none.
func (r *Ring) Last() int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.next
}

// Get is the entry with id, while the ring still keeps it.
func (r *Ring) Get(id int64) (Entry, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, e := range r.entries {
		if e.ID == id {
			return e, true
		}
	}
	return Entry{}, false
}

// Newest is up to n entries f picks, the newest first.
func (r *Ring) Newest(f Filter, n int) []Entry {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []Entry
	for i := len(r.entries) - 1; i >= 0 && len(out) < n; i-- {
		if f.match(r.entries[i]) {
			out = append(out, r.entries[i])
		}
	}
	return out
}

// Changed is closed at the next entry (watch.Signal.Changed).
func (r *Ring) Changed() <-chan struct{} { return r.changed.Changed() }
