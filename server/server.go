// Package server is mockpay's HTTP surface: the echo app, its middleware
// (security headers, body limits, the cross-site guards, the JSON error
// handler) and every route, in routes.go: the emulated platforms' own paths
// (as each channel registered them), the cashier, and mockpay's own under
// /_mockpay/ — the control API (server/api) and the dashboard
// (server/dashboard), which show the same views (server/views).
package server

import (
	"context"
	"html/template"
	"io"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/mockpay/mockpay/cashier"
	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/clock"
	"github.com/mockpay/mockpay/controlapi"
	"github.com/mockpay/mockpay/faults"
	"github.com/mockpay/mockpay/journal"
	"github.com/mockpay/mockpay/levers"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/server/api"
	"github.com/mockpay/mockpay/server/dashboard"
	"github.com/mockpay/mockpay/server/views"
	"github.com/mockpay/mockpay/watch"
)

// MaxBodyBytes bounds every request body (1 MiB, the "1M" of routes.go): a
// gateway form is a few KiB. Channel routes that read their own body use the
// same bound.
const MaxBodyBytes = channel.MaxBodyBytes

// Ready reports whether the server can serve: database migrated, fixtures
// loaded.
type Ready func(ctx context.Context) error

// Deps is what the server is built from.
type Deps struct {
	Service   *payment.Service
	Apps      *payment.Registry
	Clock     clock.Clock
	Channels  *channel.Set // the registered platforms; the server mounts their routes
	Cashier   *cashier.Cashier
	Templates *template.Template
	Store     views.Store
	Control   views.Clock
	Changes   *watch.Signal
	Levers    *levers.Levers // act as buyer, redeliver, advance, reset, create app
	Ready     Ready
	Log       *slog.Logger
	Journal   *journal.Ring          // the request journal; nil records nothing
	CAPEM     func() (string, error) // the local CA merchants trust for HTTPS and proxy mode (GET /_mockpay/ca.pem), made on first use
	// Stopping ends when the instance starts shutting down: long polls and
	// the dashboard's live stream then end at once.
	Stopping context.Context
	// Schedule, when set, overrides every protocol's retry schedule (as the
	// dispatcher's does), so that the dashboard's retry ladder shows it.
	Schedule channel.Schedule
	// Faults are the scenarios selected per app; Gateway wraps every
	// channel route with the gateway faults; Checker is the hardening suite.
	Faults  *faults.Selection
	Gateway *faults.Gateway
	Checker *faults.Checker
}

// Server holds mockpay's own handlers (health, readiness, the CA) and the
// two surfaces it mounts: the control API and the dashboard.
type Server struct {
	Deps
	api  *api.API
	dash *dashboard.Dashboard
}

// New returns the echo app with every route installed.
func New(d Deps) *echo.Echo {
	v := views.Views{Channels: d.Channels, Store: d.Store, Schedule: d.Schedule}
	s := &Server{Deps: d,
		api: &api.API{Views: v, Apps: d.Apps, Cashier: d.Cashier, Clock: d.Control, Changes: d.Changes, Levers: d.Levers,
			Journal: d.Journal, Stopping: d.Stopping, Faults: d.Faults, Checker: d.Checker},
		dash: &dashboard.Dashboard{Views: v, Apps: d.Apps, Clock: d.Control, Levers: d.Levers, Templates: dashboard.WithStates(d.Templates, d.Channels), Log: d.Log,
			Journal: d.Journal, Changes: d.Changes, Stopping: d.Stopping, Faults: d.Faults}}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	e.Renderer = &renderer{t: d.Templates}
	s.routes(e)
	return e
}

// handleError answers errors that escaped a handler: routing misses and
// oversize bodies on mockpay's own paths get JSON; nothing leaks a stack.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	code := http.StatusInternalServerError
	msg := "internal error"
	if he, ok := err.(*echo.HTTPError); ok {
		code = he.Code
		if m, ok := he.Message.(string); ok {
			msg = m
		}
	} else if s.Log != nil {
		s.Log.Error("request failed", "path", c.Path(), "err", err)
	}
	_ = c.JSON(code, controlapi.Error{Code: httpCodeName(code), Message: msg})
}

func httpCodeName(status int) string {
	switch status {
	case http.StatusNotFound:
		return "not_found"
	case http.StatusMethodNotAllowed:
		return "method_not_allowed"
	case http.StatusRequestEntityTooLarge:
		return "request_too_large"
	case http.StatusBadRequest:
		return "bad_request"
	}
	return "internal_error"
}

type renderer struct{ t *template.Template }

func (r *renderer) Render(w io.Writer, name string, data any, _ echo.Context) error {
	return r.t.ExecuteTemplate(w, name, data)
}
