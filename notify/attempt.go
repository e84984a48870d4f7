package notify

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"time"

	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/selfguard"
)

// dialControl is a net.Dialer Control function.
type dialControl = func(network, address string, c syscall.RawConn) error

func dialer(control dialControl) *net.Dialer {
	return &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second, Control: control}
}

// attempt delivers n once and records the attempt with the outcome it
// decides. An attempt cut short by Abort is not recorded (see Abort).
func (d *Dispatcher) attempt(ctx context.Context, n *payment.Notification) error {
	scheduled := n.NextAttemptAt
	a := &payment.Attempt{
		NotificationID: n.ID,
		Number:         n.Attempts + 1,
		ScheduledAt:    scheduled,
		StartedAt:      d.Clock.Now(),
		URL:            n.URL,
		Manual:         n.ManualDue,
	}
	// notify_time is when the platform meant to send this attempt, so after a
	// clock jump each retry still carries its own virtual time.
	nt, ok := d.Notifiers.Notifier(n.Protocol)
	var req channel.Request
	var retryAt time.Time // a Layer's choice of the next attempt's time
	err := fmt.Errorf("no notifier for protocol %q", n.Protocol)
	if ok {
		req, err = nt.Encode(n, scheduled)
	}
	if err != nil {
		a.Verdict = "not sent: " + clip(err.Error())
	} else if err := d.refuse(n.URL); err != nil {
		// A refused URL fails like an unreachable shop and follows the
		// schedule: the shop's developer sees the same retries and the same
		// verdict on each, and a refused attempt costs no request.
		a.Request = req.Body
		a.Verdict = "not sent: " + clip(err.Error())
	} else {
		// Shutdown does not cancel an attempt under way (the protocol's
		// timeout bounds it) until Abort, so what the shop saw is recorded.
		actx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		stop := context.AfterFunc(d.abortCtx, cancel)
		from, to, rewritten := d.Rewrites.of(n.URL)
		if rewritten {
			actx = withRewrite(actx, from, to)
		}
		retryAt = d.deliver(actx, n, a, req, nt)
		stop()
		cancel()
		if rewritten {
			a.Verdict += rewriteNote(from, to)
		}
		if a.StatusCode == 0 && d.abortCtx.Err() != nil {
			d.log().Warn("notification attempt abandoned at shutdown; it stays due and is sent again after a restart",
				"notify_id", n.NotifyID, "attempt", a.Number, "url", n.URL)
			return nil
		}
	}
	o := payment.AttemptOutcome{Status: payment.NotifyPending, Redeliveries: n.Redeliveries}
	// A manual redelivery takes no slot of the schedule (Record puts the
	// schedule back as it was); a scheduled attempt is its slot's.
	switch wait, more := d.scheduleOf(nt).After(n.ScheduledAttempts() + 1); {
	case a.Acked:
		o.Status = payment.NotifyAcked
	case !more:
		o.Status = payment.NotifyGaveUp
	case !retryAt.IsZero():
		o.NextAttemptAt = retryAt
	default:
		o.NextAttemptAt = scheduled.Add(wait)
	}
	// The record is not cut short either: it is quick, and Close waits for it.
	recorded, err := d.Outbox.RecordAttempt(context.WithoutCancel(ctx), a, o)
	if err != nil {
		return fmt.Errorf("record attempt %d of notification %d: %w", a.Number, n.ID, err)
	}
	if !recorded {
		d.log().Info("notification removed (reset) while its attempt was in flight; nothing recorded",
			"notify_id", n.NotifyID, "attempt", a.Number, "url", n.URL)
		return nil
	}
	d.log().Info("notification attempt", "notify_id", n.NotifyID, "attempt", a.Number, "url", n.URL,
		"status", a.StatusCode, "acked", a.Acked, "verdict", a.Verdict)
	return nil
}

// refuse asks the guard about a URL before any connection is made.
func (d *Dispatcher) refuse(url string) error {
	if d.Guard == nil {
		return nil
	}
	return d.Guard.Check(url)
}

// scheduleOf is the retry schedule of nt's protocol, or the override; a
// protocol without a notifier has none (its one attempt says why).
func (d *Dispatcher) scheduleOf(nt channel.Notifier) channel.Schedule {
	if d.Schedule != nil || nt == nil {
		return d.Schedule
	}
	return nt.Schedule()
}

// timeoutOf is how long an attempt of nt's protocol waits for an answer.
func (d *Dispatcher) timeoutOf(nt channel.Notifier) time.Duration {
	if d.Timeout > 0 {
		return d.Timeout
	}
	return nt.Timeout()
}

// post sends one attempt with the protocol's body and headers, bounded by
// its timeout, and judges the answer by its rule.
func (d *Dispatcher) post(ctx context.Context, a *payment.Attempt, r channel.Request, nt channel.Notifier) {
	timeout := d.timeoutOf(nt)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.URL, strings.NewReader(r.Body))
	if err != nil {
		a.Verdict = "not sent: " + clip(err.Error())
		return
	}
	for k, v := range r.Header {
		req.Header[k] = v
	}
	req.Header.Set("User-Agent", "mockpay-notify/1.0")
	start := time.Now() // latency is real elapsed time, not virtual
	resp, err := d.Client.Do(req)
	if err != nil {
		a.Latency = time.Since(start)
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			a.Verdict = fmt.Sprintf("no answer within %v: %s", timeout, clip(err.Error()))
			return
		}
		a.Verdict = noAnswer(err)
		return
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, answerRead+1))
	a.Latency = time.Since(start)
	a.StatusCode = resp.StatusCode
	a.Answer = keepAnswer(answer)
	a.Acked, a.Verdict = nt.Judge(channel.Answer{StatusCode: resp.StatusCode, Header: resp.Header, Body: answer})
}

// noAnswer is the verdict of a request that got no HTTP answer. The dialler
// refusing mockpay's own address means nothing was sent at all.
func noAnswer(err error) string {
	if errors.Is(err, selfguard.ErrSelf) {
		var op *net.OpError
		if errors.As(err, &op) && op.Err != nil {
			err = op.Err
		}
		return "not sent: " + clip(err.Error())
	}
	return "no answer: " + clip(err.Error())
}
