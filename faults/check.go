package faults

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/clock"
	"github.com/mockpay/mockpay/controlapi"
	"github.com/mockpay/mockpay/payment"
)

// CheckStore is what the hardening suite reads; store.DB implements it.
type CheckStore interface {
	Trades(ctx context.Context, f payment.TradeFilter) ([]*payment.Trade, error)
	NotificationsOfTrade(ctx context.Context, tradeNo string) ([]*payment.Notification, error)
}

// CheckProtocols finds a protocol's notifier and fault hooks; channel.Set
// implements it.
type CheckProtocols interface {
	Protocols
	Notifier(id payment.Protocol) (channel.Notifier, bool)
}

// URLGuard refuses a URL that points at mockpay itself (selfguard.Guard).
type URLGuard interface{ Check(rawURL string) error }

// Checker is the hardening suite (mockpay check, POST /_mockpay/api/check):
// it sends a shop's notify endpoint the notifications of one of its paid
// trades, genuine and broken, and states for each what a correct shop does
// and what this one did. Nothing it sends is recorded as an attempt or
// changes a trade.
type Checker struct {
	Apps interface {
		App(appID string) (*payment.App, bool)
	} // payment.Registry
	Protocols CheckProtocols
	Store     CheckStore
	Client    *http.Client // notify.NewClient's: never to mockpay itself
	Guard     URLGuard
	Clock     clock.Clock
}

func checkErr(code payment.Code, format string, a ...any) error {
	return payment.Errorf(code, format, a...)
}

// Run runs the suite.
func (c *Checker) Run(ctx context.Context, req controlapi.CheckRequest) (controlapi.CheckReport, error) {
	rep := controlapi.CheckReport{NotifyURL: req.NotifyURL, AppID: req.AppID}
	if req.NotifyURL == "" || req.AppID == "" {
		return rep, checkErr(payment.CodeMissingParameter, "notify_url and app_id are required")
	}
	if !strings.HasPrefix(req.NotifyURL, "http://") && !strings.HasPrefix(req.NotifyURL, "https://") {
		return rep, checkErr(payment.CodeInvalidParameter, "notify_url must be an http:// or https:// URL")
	}
	if c.Guard != nil {
		if err := c.Guard.Check(req.NotifyURL); err != nil {
			return rep, checkErr(payment.CodeInvalidParameter, "notify_url: %v", err)
		}
	}
	if _, ok := c.Apps.App(req.AppID); !ok {
		return rep, checkErr(payment.CodeInvalidAppID, "no app %s", req.AppID)
	}
	n, later, err := c.notification(ctx, req)
	if err != nil {
		return rep, err
	}
	nt, ok := c.Protocols.Notifier(n.Protocol)
	if !ok {
		return rep, fmt.Errorf("no notifier for protocol %q", n.Protocol)
	}
	rep.TradeNo, rep.OutTradeNo = n.Trade.TradeNo, n.Trade.OutTradeNo
	s := &suite{c: c, nt: nt, url: req.NotifyURL, now: c.Clock.Now()}
	for _, ck := range s.checks(n, later) {
		start := time.Now()
		res := ck.run(ctx)
		res.Name, res.Expected, res.MS = ck.name, ck.expected, time.Since(start).Milliseconds()
		rep.Checks = append(rep.Checks, res)
	}
	rep.Passed = true
	for _, r := range rep.Checks {
		// A skipped check passes: it could not be run, which its Got says.
		rep.Passed = rep.Passed && r.Passed
	}
	return rep, nil
}

// notification is the trade's payment notification, and its latest later
// one (a refund, a close), if any.
func (c *Checker) notification(ctx context.Context, req controlapi.CheckRequest) (*payment.Notification, *payment.Notification, error) {
	f := payment.TradeFilter{AppID: req.AppID, TradeNo: req.TradeNo, OutTradeNo: req.OutTradeNo, Status: payment.StatusPaid, Limit: 1}
	if req.TradeNo != "" || req.OutTradeNo != "" {
		f.Status = ""
	}
	trades, err := c.Store.Trades(ctx, f)
	if err != nil {
		return nil, nil, err
	}
	if len(trades) == 0 {
		return nil, nil, checkErr(payment.CodeTradeNotExist,
			"app %s has no such paid trade: order one through your shop, pay it (mockpay pay), then check (or name it with --trade / --out-trade-no)", req.AppID)
	}
	t := trades[0]
	ns, err := c.Store.NotificationsOfTrade(ctx, t.TradeNo)
	if err != nil {
		return nil, nil, err
	}
	var first, last *payment.Notification
	for _, n := range ns {
		if n.Kind == payment.KindRequestError || n.Kind == payment.KindBatchRefund {
			continue
		}
		if first == nil || n.CreatedAt.Before(first.CreatedAt) || (n.CreatedAt.Equal(first.CreatedAt) && n.ID < first.ID) {
			first = n
		}
		if last == nil || n.ID > last.ID {
			last = n
		}
	}
	if first == nil {
		return nil, nil, checkErr(payment.CodeTradeNotExist, "trade %s has no notification yet: it needs a notify_url and a payment", t.TradeNo)
	}
	if last == first {
		last = nil
	}
	cp := *first
	cp.URL = req.NotifyURL
	if last != nil {
		l := *last
		l.URL = req.NotifyURL
		last = &l
	}
	return &cp, last, nil
}

type check struct {
	name, expected string
	run            func(ctx context.Context) controlapi.CheckResult
}

type suite struct {
	c   *Checker
	nt  channel.Notifier
	url string
	now time.Time
}

// sent is one request and what came back.
type sent struct {
	req    channel.Request
	status int
	body   []byte
	err    error
	acked  bool
	judged string
	built  bool // false: the request could not be made, nothing was sent
}

func (s sent) String() string {
	if s.err != nil {
		return "no answer: " + s.err.Error()
	}
	return fmt.Sprintf("HTTP %d %s", s.status, channel.Quote(s.body))
}

func (s *suite) checks(n, later *payment.Notification) []check {
	genuine := func(at time.Time) (channel.Request, error) { return s.nt.Encode(n, at) }
	forged := func(f channel.Forgery) func(time.Time) (channel.Request, error) {
		return func(at time.Time) (channel.Request, error) {
			p, _, ok := s.c.Protocols.Protocol(n.Protocol)
			if !ok || p.Faults == nil || p.Faults.Forge == nil {
				return channel.Request{}, fmt.Errorf("protocol %q forges no notification", n.Protocol)
			}
			return p.Faults.Forge(n, at, f)
		}
	}
	const ack = "acknowledged, with the platform's exact acknowledgement"
	const refuse = "refused: anything but the acknowledgement (a 4xx or 5xx, or \"fail\")"
	return []check{
		{"genuine", "a genuine notification is " + ack, s.expectAck(genuine)},
		{"duplicate_sequential", "the same notification twice in a row: both " + ack + ", the order processed once", s.expectAckN(genuine, false)},
		{"duplicate_simultaneous", "the same notification twice at the same moment: both " + ack + ", the order processed once", s.expectAckN(genuine, true)},
		{"forged", "a notification whose signature verifies under no key is " + refuse, s.expectRefusal(forged(channel.ForgeBadSignature))},
		{"unsigned", "a notification without a signature is " + refuse, s.expectRefusal(forged(channel.ForgeNoSignature))},
		{"tampered", "a notification whose amount was changed (×10) and re-signed with another key is " + refuse, s.expectRefusal(forged(channel.ForgeTamper))},
		{"wrong_key", "the genuine content signed with a key that is not the platform's is " + refuse, s.expectRefusal(forged(channel.ForgeWrongKey))},
		{"out_of_order", "the trade's payment notification after its later one (a refund): both " + ack + " (the order does not move back)", s.outOfOrder(n, later)},
		s.stale(n, ack, refuse),
		{"oversized", "a 2 MiB notification (padding outside the signature) is " + refuse + ", promptly, without hanging", s.expectRefusal(forged(channel.ForgeOversize))},
	}
}

// stale replays the genuine notification signed two days ago: what a
// correct shop does depends on whether the platform's SDKs check the
// signed time (channel.Faults.RefuseStale).
func (s *suite) stale(n *payment.Notification, ack, refuse string) check {
	old := func(time.Time) (channel.Request, error) { return s.nt.Encode(n, s.now.Add(-48*time.Hour)) }
	if p, _, ok := s.c.Protocols.Protocol(n.Protocol); ok && p.Faults != nil && p.Faults.RefuseStale {
		if p.Faults.Forge != nil {
			// A protocol that signs its own wall-clock time forges the
			// old one (channel.ForgeStale); the others sign what they get.
			if _, err := p.Faults.Forge(n, s.now, channel.ForgeStale); err == nil {
				old = func(time.Time) (channel.Request, error) { return p.Faults.Forge(n, s.now, channel.ForgeStale) }
			}
		}
		return check{"stale", "a genuine notification replayed with a signed time two days old is " + refuse + " (the SDK checks the time)", s.expectRefusal(old)}
	}
	return check{"stale", "a genuine notification replayed two days later is " + ack + " and not processed again", s.expectAck(old)}
}

func (s *suite) expectAck(build func(time.Time) (channel.Request, error)) func(context.Context) controlapi.CheckResult {
	return func(ctx context.Context) controlapi.CheckResult {
		r := s.send(ctx, build)
		res := controlapi.CheckResult{Request: excerpt(r.req.Body), Passed: r.built && r.acked}
		res.Got = r.String()
		if !r.acked && r.judged != "" {
			res.Got += ": " + r.judged
		}
		return res
	}
}

func (s *suite) expectAckN(build func(time.Time) (channel.Request, error), together bool) func(context.Context) controlapi.CheckResult {
	return func(ctx context.Context) controlapi.CheckResult {
		var a, b sent
		if together {
			var wg sync.WaitGroup
			wg.Add(2)
			go func() { defer wg.Done(); a = s.send(ctx, build) }()
			go func() { defer wg.Done(); b = s.send(ctx, build) }()
			wg.Wait()
		} else {
			a, b = s.send(ctx, build), s.send(ctx, build)
		}
		return controlapi.CheckResult{Request: excerpt(a.req.Body), Passed: a.acked && b.acked,
			Got: "first: " + a.String() + "; second: " + b.String()}
	}
}

func (s *suite) expectRefusal(build func(time.Time) (channel.Request, error)) func(context.Context) controlapi.CheckResult {
	return func(ctx context.Context) controlapi.CheckResult {
		r := s.send(ctx, build)
		res := controlapi.CheckResult{Request: excerpt(r.req.Body), Passed: r.built && !r.acked && !isTimeout(r.err)}
		res.Got = r.String()
		if r.acked {
			res.Got += ": the shop ACCEPTED it — it does not verify the platform's signature"
		}
		return res
	}
}

// outOfOrder sends the trade's later notification (a refund, a close),
// then its payment notification, both signed now. A trade with only its
// payment notification cannot show a later state: the check is skipped,
// saying how to run it.
func (s *suite) outOfOrder(n, later *payment.Notification) func(context.Context) controlapi.CheckResult {
	return func(ctx context.Context) controlapi.CheckResult {
		if later == nil {
			return controlapi.CheckResult{Passed: true, Skipped: true,
				Got: "not run: trade " + n.Trade.TradeNo + " has only its payment notification; refund part of it (or name a refunded trade) to check this"}
		}
		a := s.send(ctx, func(at time.Time) (channel.Request, error) { return s.nt.Encode(later, at) })
		b := s.send(ctx, func(at time.Time) (channel.Request, error) { return s.nt.Encode(n, at) })
		return controlapi.CheckResult{Request: excerpt(b.req.Body), Passed: a.acked && b.acked,
			Got: "the later state first: " + a.String() + "; then the payment: " + b.String()}
	}
}

func (s *suite) send(ctx context.Context, build func(time.Time) (channel.Request, error)) sent {
	r, err := build(s.now)
	if err != nil {
		return sent{err: fmt.Errorf("not sent: %w", err)}
	}
	out := sent{req: r, built: true}
	ctx, cancel := context.WithTimeout(ctx, s.nt.Timeout())
	defer cancel()
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url, strings.NewReader(r.Body))
	if err != nil {
		out.err = err
		return out
	}
	for k, v := range r.Header {
		hr.Header[k] = v
	}
	hr.Header.Set("User-Agent", "mockpay-check/1.0")
	resp, err := s.c.Client.Do(hr)
	if err != nil {
		out.err = err
		return out
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	out.status, out.body = resp.StatusCode, body
	out.acked, out.judged = s.nt.Judge(channel.Answer{StatusCode: resp.StatusCode, Header: resp.Header, Body: body})
	return out
}

func isTimeout(err error) bool {
	return errors.Is(err, context.DeadlineExceeded) || strings.Contains(fmt.Sprint(err), "Client.Timeout")
}

func excerpt(s string) string {
	const keep = 512
	if len(s) > keep {
		return string(channel.Prefix([]byte(s), keep)) + "…"
	}
	return s
}
