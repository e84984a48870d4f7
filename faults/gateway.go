package faults

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/payment"
)

// DefaultHold is how long a timeout step keeps a call unanswered when the
// client waits longer: longer than any SDK's own timeout we know of. Then
// the connection is reset.
const DefaultHold = time.Minute

// Gateway is the gateway faults: a wrapper around every channel route.
// The route serves the call as always (the trade is made, refunded,
// closed); then, if the app's plan has a step for the method the route
// reported (channel.Report), the answer is late, replaced by the
// protocol's "system busy" answer, never given, or the connection is
// reset, so the shop must query to learn what happened. With no gateway
// step selected anywhere, calls pass straight through.
type Gateway struct {
	Select    *Selection
	Apps      *payment.Registry
	Protocols Protocols
	Hold      time.Duration // 0: DefaultHold
	Log       *slog.Logger

	once sync.Once
	done chan struct{}
}

func (g *Gateway) init() { g.once.Do(func() { g.done = make(chan struct{}) }) }

// Close ends every call a timeout step holds, so shutdown need not wait.
func (g *Gateway) Close() {
	g.init()
	select {
	case <-g.done:
	default:
		close(g.done)
	}
}

// Wrap puts the gateway faults around a channel route.
func (g *Gateway) Wrap(h http.Handler) http.Handler {
	g.init()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !g.Select.gatewayActive() {
			h.ServeHTTP(w, r)
			return
		}
		outer := r.Context()
		var v channel.Verdict
		ctx := channel.WithReport(outer, func(got channel.Verdict) {
			v = got
			channel.Report(outer, got)
		})
		// The body is kept (up to the gateway's limit) so that a busy
		// answer can echo or sign by the request's fields
		// (channel.Faults.Busy).
		kept, _ := io.ReadAll(io.LimitReader(r.Body, channel.MaxBodyBytes+1))
		r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(kept), r.Body))
		rec := &recorder{header: http.Header{}}
		h.ServeHTTP(rec, r.WithContext(ctx))
		again := r.Clone(outer)
		again.Body = io.NopCloser(bytes.NewReader(kept))
		latency, step, err := g.Select.takeCall(context.WithoutCancel(outer), v.App, v.Method)
		if err != nil {
			// The call was served; without its count the fault cannot be
			// played once overall, so it is not played.
			g.log().Warn("gateway fault: the store could not count the call; answered as served", "app", v.App, "method", v.Method, "err", err)
		}
		for _, l := range latency {
			if !g.sleep(outer, l.D) {
				break
			}
		}
		if step == nil {
			rec.flush(w)
			return
		}
		g.log().Info("gateway fault", "app", v.App, "method", v.Method, "fault", step.String())
		// The journal shows what the shop got, and that the call was served.
		played := v
		played.Message = "fault " + step.String() + ": the call was served, then " + map[Kind]string{
			Busy: "answered system busy", Timeout: "left unanswered", Reset: "its connection reset"}[step.Kind]
		switch step.Kind {
		case Busy:
			ans, err := g.busy(again, v)
			if err != nil {
				g.log().Warn("gateway fault: no busy answer; the call is answered as served", "app", v.App, "method", v.Method, "err", err)
				rec.flush(w)
				return
			}
			played.Code, played.SubCode = ans.Code, ans.SubCode
			channel.Report(outer, played)
			for k, vs := range ans.Header {
				w.Header()[k] = vs
			}
			w.WriteHeader(ans.Status)
			_, _ = w.Write(ans.Body)
		case Timeout:
			hold := g.Hold
			if hold <= 0 {
				hold = DefaultHold
			}
			channel.Report(outer, played)
			g.sleep(outer, hold)
			reset(w)
		case Reset:
			channel.Report(outer, played)
			reset(w)
		}
	})
}

// busy asks the app's protocol for its busy answer.
func (g *Gateway) busy(r *http.Request, v channel.Verdict) (channel.BusyAnswer, error) {
	app, ok := g.Apps.App(v.App)
	if !ok {
		return channel.BusyAnswer{}, errors.New("unknown app")
	}
	p, _, ok := g.Protocols.Protocol(app.Protocol())
	if !ok || p.Faults == nil || p.Faults.Busy == nil {
		return channel.BusyAnswer{}, errors.New("the protocol has no busy answer (channel.Faults.Busy)")
	}
	return p.Faults.Busy(r, v.App, v.Method)
}

// sleep waits d, or less when the client goes away or the gateway closes;
// it reports whether d passed.
func (g *Gateway) sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
	case <-g.done:
	}
	return false
}

// reset ends the connection with a TCP reset and no answer. A connection
// that cannot be taken over (HTTP/2) is aborted instead.
func reset(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	_ = conn.Close()
}

func (g *Gateway) log() *slog.Logger {
	if g.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return g.Log
}

// recorder keeps a route's answer until the faults decide what to do
// with it.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
}
func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}

func (r *recorder) flush(w http.ResponseWriter) {
	for k, v := range r.header {
		w.Header()[k] = v
	}
	if r.status == 0 {
		r.status = http.StatusOK
	}
	w.WriteHeader(r.status)
	_, _ = w.Write(r.body.Bytes())
}
