package notify

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/mockpay/mockpay/clock"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/worker"
)

// Outbox is where notifications wait; store.DB implements it.
type Outbox interface {
	DueNotifications(ctx context.Context, now time.Time, limit int) ([]*payment.Notification, error)
	NextNotificationAt(ctx context.Context) (time.Time, bool, error)
	RecordAttempt(ctx context.Context, n *payment.Notification, a *payment.Attempt) error
}

// Encoder renders a notification as the request body of one attempt; the
// channel signs it with notify_time set to the attempt's time.
type Encoder interface {
	Body(n *payment.Notification, at time.Time) (body, contentType string, err error)
}

// ByProtocol picks the encoder of the notification's protocol.
type ByProtocol map[payment.Protocol]Encoder

// Body implements Encoder.
func (b ByProtocol) Body(n *payment.Notification, at time.Time) (string, string, error) {
	enc, ok := b[n.Protocol]
	if !ok {
		return "", "", fmt.Errorf("no encoder for protocol %q", n.Protocol)
	}
	return enc.Body(n, at)
}

// Ack is the platform's acknowledgement rule: HTTP 200 and a body of exactly
// "success", nothing around it (alipay-protocol.md §1.5, §3.1).
const Ack = "success"

// answerLimit bounds how much of a shop's answer is read and kept.
const (
	answerRead = 4096
	answerKeep = 256
	batchSize  = 100
)

// Dispatcher delivers due notifications. Run it in a goroutine; tests call
// DeliverDue for one step.
type Dispatcher struct {
	Outbox   Outbox
	Clock    clock.Clock
	Encoder  Encoder
	Schedule Schedule
	Client   *http.Client
	Log      *slog.Logger

	wakeOnce sync.Once
	wake     worker.Waker
	stepMu   sync.Mutex // one DeliverDue at a time, so no attempt is made twice
}

// NewClient returns the HTTP client deliveries use: it never follows a
// redirect (a 3xx is a failed attempt, and the platform never goes to a host
// the merchant did not name) and never goes through a proxy.
func NewClient(timeout time.Duration) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = nil
	return &http.Client{
		Timeout:   timeout,
		Transport: tr,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

func (d *Dispatcher) wakeCh() worker.Waker {
	d.wakeOnce.Do(func() { d.wake = worker.NewWaker() })
	return d.wake
}

// Wake makes Run look for due notifications now.
func (d *Dispatcher) Wake() { d.wakeCh().Wake() }

// Run delivers notifications as they fall due until ctx ends. Between
// deliveries it sleeps until the earliest due row or a Wake, never polling.
func (d *Dispatcher) Run(ctx context.Context) error {
	return worker.Loop{
		Name:  "notify",
		Clock: d.Clock,
		Step:  func(ctx context.Context) error { _, err := d.DeliverDue(ctx); return err },
		Next:  d.Outbox.NextNotificationAt,
		Wake:  d.wakeCh(),
		Log:   d.Log,
	}.Run(ctx)
}

// DeliverDue makes one attempt for every notification due now, until none
// is due, and returns how many attempts it made. Notifications to the same
// host go one after another in due order; different hosts go in parallel, so
// one slow shop does not hold up the others.
func (d *Dispatcher) DeliverDue(ctx context.Context) (int, error) {
	d.stepMu.Lock()
	defer d.stepMu.Unlock()
	total := 0
	for {
		due, err := d.Outbox.DueNotifications(ctx, d.Clock.Now(), batchSize)
		if err != nil || len(due) == 0 {
			return total, err
		}
		byHost := map[string][]*payment.Notification{}
		var hosts []string
		for _, n := range due {
			h := hostOf(n.URL)
			if _, ok := byHost[h]; !ok {
				hosts = append(hosts, h)
			}
			byHost[h] = append(byHost[h], n)
		}
		var wg sync.WaitGroup
		errs := make([]error, len(hosts))
		for i, h := range hosts {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for _, n := range byHost[h] {
					if ctx.Err() != nil {
						return // shutting down: start no new attempt
					}
					if err := d.attempt(ctx, n); err != nil {
						errs[i] = err
						return
					}
				}
			}()
		}
		wg.Wait()
		total += len(due)
		if err := errors.Join(errs...); err != nil {
			return total, err
		}
		if ctx.Err() != nil {
			return total, ctx.Err()
		}
	}
}

// attempt delivers n once and records the attempt with n's next state.
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
		a.Verdict = "not sent: " + err.Error()
	} else {
		a.Request = body
		// An attempt under way is finished even when shutdown begins (the
		// client's timeout bounds it), so what the shop saw is recorded.
		ctx = context.WithoutCancel(ctx)
		d.post(ctx, a, body, contentType)
	}
	n.Attempts = a.Number
	switch wait, more := d.Schedule.After(a.Number); {
	case a.Acked:
		n.Status, n.AckedAt = payment.NotifyAcked, a.StartedAt
	case !more:
		n.Status = payment.NotifyGaveUp
	default:
		n.NextAttemptAt = scheduled.Add(wait)
	}
	if err := d.Outbox.RecordAttempt(ctx, n, a); err != nil {
		return fmt.Errorf("record attempt %d of notification %d: %w", a.Number, n.ID, err)
	}
	d.log().Info("notification attempt", "notify_id", n.NotifyID, "attempt", a.Number, "url", n.URL,
		"status", a.StatusCode, "acked", a.Acked, "verdict", a.Verdict)
	return nil
}

func (d *Dispatcher) post(ctx context.Context, a *payment.Attempt, body, contentType string) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.URL, strings.NewReader(body))
	if err != nil {
		a.Verdict = "not sent: " + err.Error()
		return
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("User-Agent", "mockpay-notify/1.0")
	start := time.Now() // latency is real elapsed time, not virtual
	resp, err := d.Client.Do(req)
	if err != nil {
		a.Latency = time.Since(start)
		a.Verdict = "no answer: " + err.Error()
		return
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, answerRead+1))
	a.Latency = time.Since(start)
	a.StatusCode = resp.StatusCode
	a.Answer = string(answer[:min(len(answer), answerKeep)])
	a.Acked, a.Verdict = Judge(resp.StatusCode, answer)
}

// Judge applies the acknowledgement rule to a shop's answer.
func Judge(status int, body []byte) (bool, string) {
	switch {
	case status >= 300 && status < 400:
		return false, fmt.Sprintf("HTTP %d: redirects are not followed; answer 200 with %q", status, Ack)
	case status != http.StatusOK:
		return false, fmt.Sprintf("HTTP %d: the platform needs 200 with %q", status, Ack)
	case string(body) == Ack:
		return true, "acknowledged"
	case strings.TrimSpace(string(body)) == Ack:
		return false, fmt.Sprintf("the answer must be exactly %q, with nothing around it; got %q", Ack, truncate(body))
	default:
		return false, fmt.Sprintf("the answer must be exactly %q; got %q", Ack, truncate(body))
	}
}

func truncate(b []byte) string {
	if len(b) > 64 {
		return string(b[:64]) + "…"
	}
	return string(b)
}

func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return u.Host
}

func (d *Dispatcher) log() *slog.Logger {
	if d.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return d.Log
}
