package faults

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/notify"
	"github.com/mockpay/mockpay/payment"
)

// Protocols finds a protocol's fault hooks; channel.Set implements it.
type Protocols interface {
	Protocol(id payment.Protocol) (*channel.Protocol, *channel.Channel, bool)
}

// Layer is the delivery faults, a notify.Layer: it looks up the plan of
// each attempt's trade (ForTrade) and plays the step that attempt falls
// on. Without a step the attempt is sent once, untouched.
type Layer struct {
	Select    *Selection
	Protocols Protocols
}

var _ notify.Layer = (*Layer)(nil)

// forgeries are the canaries' breakages on the wire.
var forgeries = map[Kind]channel.Forgery{
	Tamper: channel.ForgeTamper, WrongKey: channel.ForgeWrongKey, Forge: channel.ForgeBadSignature,
	NoSign: channel.ForgeNoSignature, SignTest: channel.ForgeProbe,
}

// Deliver plays the attempt's step.
func (l *Layer) Deliver(ctx context.Context, d *notify.Delivery) {
	n, a := d.Notification, d.Attempt
	plan := ForTrade(&n.Trade, l.Select.App(n.AppID)).Of(DeliveryFamily)
	st, nth, ok := stepAt(plan, a.Number)
	if ok && st.Kind == Reorder && (n.Kind != payment.KindTrade || n.Refund != nil) {
		ok = false // only the earlier state's notification is held back: the later one overtakes it
	}
	if !ok {
		*a = d.Send(ctx, d.Request)
		return
	}
	switch st.Kind {
	case Duplicate:
		first := d.Send(ctx, d.Request)
		second := d.Send(ctx, d.Request)
		*a = twice(st, first, second)
	case Simultaneous:
		var first, second payment.Attempt
		var wg sync.WaitGroup
		wg.Add(2)
		go func() { defer wg.Done(); first = d.Send(ctx, d.Request) }()
		go func() { defer wg.Done(); second = d.Send(ctx, d.Request) }()
		wg.Wait()
		*a = twice(st, first, second)
	case Delay, Reorder:
		d.RetryAt = a.StartedAt.Add(st.D)
		why := "so that a later notification of the trade made meanwhile (a refund, a close) overtakes it"
		if st.Kind == Delay {
			why = "the platform is late"
		}
		a.Verdict = fmt.Sprintf("not sent: held back %v by fault %s (%s); it goes out at %s",
			st.D, st, why, d.RetryAt.Format("2006-01-02 15:04:05 MST"))
	case Drop:
		a.Verdict = fmt.Sprintf("not sent: lost on the way by fault %s (%d of %d); the platform tries again on its schedule", st, nth, st.N)
	default:
		l.canary(ctx, d, st)
	}
}

// stepAt is the step attempt number falls on (and which of its attempts
// it is): the chain's steps take attempts in order, drop:N N of them,
// every other step one.
func stepAt(p Plan, number int) (Step, int, bool) {
	at := 1
	for _, st := range p {
		span := 1
		if st.Kind == Drop {
			span = st.N
		}
		if number < at+span {
			return st, number - at + 1, true
		}
		at += span
	}
	return Step{}, 0, false
}

// twice is the record of an attempt delivered twice: acknowledged only when
// both copies were (a shop that chokes on the second has a bug the
// platform's retries will find), showing the copy that was not.
func twice(st Step, first, second payment.Attempt) payment.Attempt {
	rec := first
	if first.Acked && !second.Acked {
		rec = second
		rec.Request = first.Request
	}
	rec.Acked = first.Acked && second.Acked
	rec.Verdict = fmt.Sprintf("delivered twice by fault %s: first copy: %s; second copy: %s", st, answerOf(first), answerOf(second))
	return rec
}

func answerOf(a payment.Attempt) string {
	if a.StatusCode == 0 {
		return a.Verdict
	}
	return fmt.Sprintf("HTTP %d, %s", a.StatusCode, a.Verdict)
}

// canary sends a forged copy of the notification in place of the attempt.
// Whatever the shop answers, it does not acknowledge the notification: the
// genuine one goes out at once after it, as WeChat Pay redelivers after a
// refused probe (wechatpay-protocol.md §2.3).
func (l *Layer) canary(ctx context.Context, d *notify.Delivery, st Step) {
	a := d.Attempt
	d.RetryAt = a.StartedAt
	req, err := l.forge(d, forgeries[st.Kind])
	if err != nil {
		a.Verdict = fmt.Sprintf("not sent: fault %s: %v", st, err)
		return
	}
	r := d.Send(ctx, req)
	accepted := r.Acked
	r.Acked = false
	switch {
	case accepted:
		r.Verdict = fmt.Sprintf("%s (%s): the shop acknowledged a notification mockpay forged (%s); it must verify the platform's signature and refuse it",
			canaryFailed, st, st.Kind.About())
	case r.StatusCode == 0:
		r.Verdict = fmt.Sprintf("%s (%s) not answered: %s", canaryPrefix, st, r.Verdict)
	default:
		r.Verdict = fmt.Sprintf("%s (%s) refused, as it must be: HTTP %d; the genuine notification follows", canaryPrefix, st, r.StatusCode)
	}
	*a = r
}

func (l *Layer) forge(d *notify.Delivery, f channel.Forgery) (channel.Request, error) {
	n := d.Notification
	var pf *channel.Faults
	if l.Protocols != nil {
		if p, _, ok := l.Protocols.Protocol(n.Protocol); ok {
			pf = p.Faults
		}
	}
	if pf == nil || pf.Forge == nil {
		return channel.Request{}, fmt.Errorf("protocol %q forges no notification (it sets no channel.Faults.Forge)", n.Protocol)
	}
	req, err := pf.Forge(n, d.Attempt.ScheduledAt, f)
	if errors.Is(err, channel.ErrNoFault) {
		return channel.Request{}, fmt.Errorf("protocol %q has no %s notification on its wire", n.Protocol, f)
	}
	return req, err
}

// What a canary's verdict starts with, so that a verdict alone says
// whether an attempt was a failure the team must see (Failure).
const (
	canaryPrefix = "canary"
	canaryFailed = "CANARY FAILED"
)

// Failure kinds.
const (
	// CanaryAccepted: the shop acknowledged a forged or tampered
	// notification.
	CanaryAccepted = "canary_accepted"
	// WrongAck: the shop answered a genuine notification with anything but
	// the platform's exact acknowledgement.
	WrongAck = "wrong_ack"
)

// Failure says whether an attempt is one the team must see, and of which
// kind: a canary the shop acknowledged, or a genuine notification it
// answered with anything but the exact acknowledgement. An attempt that got
// no answer, or was not sent, is none.
func Failure(a *payment.Attempt) (string, bool) {
	switch {
	case strings.HasPrefix(a.Verdict, canaryFailed):
		return CanaryAccepted, true
	case strings.HasPrefix(a.Verdict, canaryPrefix):
		return "", false
	case a.StatusCode != 0 && !a.Acked:
		return WrongAck, true
	}
	return "", false
}

// Canary reports whether an attempt was a forged or tampered delivery.
func Canary(a *payment.Attempt) bool { return CanaryVerdict(a.Verdict) }

// CanaryVerdict reports whether a verdict is a canary's (the CLI's tail
// reads it from the API's attempt).
func CanaryVerdict(v string) bool {
	return strings.HasPrefix(v, canaryPrefix) || strings.HasPrefix(v, canaryFailed)
}
