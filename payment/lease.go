package payment

import (
	"errors"
	"time"
)

// A Lease is a dispatcher's claim on the notifications it is delivering:
// while it holds (until Now+Term), no other dispatcher — another goroutine,
// or another mockpay on the same database — is given them, so an attempt
// is sent once. A dispatcher that dies mid-delivery holds nothing once the
// term is over: its rows are taken over.
//
// Leases run on their own clock (real time in production), not the virtual
// one: a jump of virtual hours must not end every lease at once and hand a
// second dispatcher the attempts still in flight.
type Lease struct {
	Owner string        // the claiming dispatcher, unique among those sharing a store
	Now   time.Time     // now on the lease clock
	Term  time.Duration // how long a claim made now holds
}

// Until is when a claim made under l ends.
func (l Lease) Until() time.Time { return l.Now.Add(l.Term) }

// ErrAttemptTaken is returned (wrapped) when an attempt is recorded whose
// number is already taken: its lease ended while it ran and another
// dispatcher sent (and recorded) the same attempt. The first record stands.
var ErrAttemptTaken = errors.New("the attempt is already recorded: its lease ended and another dispatcher took the notification over")
