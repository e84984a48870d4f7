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
	}
	// notify_time is when the platform meant to send this attempt, so after a
	// clock jump each retry still carries its own virtual time.
	body, contentType, err := d.Encoder.Body(n, scheduled)
	if err != nil {
		a.Verdict = "not sent: " + clip(err.Error())
	} else if err := d.refuse(n.URL); err != nil {
		// A refused URL fails like an unreachable shop and follows the
		// schedule: the shop's developer sees the same retries and the same
		// verdict on each, and a refused attempt costs no request.
		a.Request = body
		a.Verdict = "not sent: " + clip(err.Error())
	} else {
		a.Request = body
		// Shutdown does not cancel an attempt under way (the client's
		// timeout bounds it) until Abort, so what the shop saw is recorded.
		actx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		stop := context.AfterFunc(d.abortCtx, cancel)
		d.post(actx, a, body, contentType)
		stop()
		cancel()
		if a.StatusCode == 0 && d.abortCtx.Err() != nil {
			d.log().Warn("notification attempt abandoned at shutdown; it stays due and is sent again after a restart",
				"notify_id", n.NotifyID, "attempt", a.Number, "url", n.URL)
			return nil
		}
	}
	o := payment.AttemptOutcome{Status: payment.NotifyPending, Redeliveries: n.Redeliveries}
	switch wait, more := d.Schedule.After(a.Number); {
	case a.Acked:
		o.Status = payment.NotifyAcked
	case !more:
		o.Status = payment.NotifyGaveUp
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

func (d *Dispatcher) post(ctx context.Context, a *payment.Attempt, body, contentType string) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.URL, strings.NewReader(body))
	if err != nil {
		a.Verdict = "not sent: " + clip(err.Error())
		return
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("User-Agent", "mockpay-notify/1.0")
	start := time.Now() // latency is real elapsed time, not virtual
	resp, err := d.Client.Do(req)
	if err != nil {
		a.Latency = time.Since(start)
		a.Verdict = noAnswer(err)
		return
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, answerRead+1))
	a.Latency = time.Since(start)
	a.StatusCode = resp.StatusCode
	a.Answer = keepAnswer(answer)
	a.Acked, a.Verdict = Judge(resp.StatusCode, answer)
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
