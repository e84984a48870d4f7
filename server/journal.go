package server

import (
	"log/slog"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/journal"
)

// maxNamed bounds the app and method a journal entry keeps as sent: they
// come from the request, and a line of the server's log must stay a line.
const maxNamed = 128

// journaled records every request to an emulated surface (a channel's
// route, the cashier) in the request journal, with the verdict the route
// reported (channel.Report), and logs one line for it.
func (s *Server) journaled(surface string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		if s.Journal == nil {
			return next
		}
		return func(c echo.Context) error {
			start := time.Now()
			var v channel.Verdict
			var recorded bool
			req := c.Request()
			c.SetRequest(req.WithContext(channel.WithReport(req.Context(), func(got channel.Verdict) {
				v, recorded = got, true
			})))
			err := next(c)
			status := c.Response().Status
			if he, ok := err.(*echo.HTTPError); ok && !c.Response().Committed {
				status = he.Code
			}
			v.App, v.Method = cut(v.App), cut(v.Method)
			e := journal.Entry{Wall: time.Now(), Surface: surface, HTTP: req.Method, Path: cut(req.URL.Path),
				Status: status, Latency: time.Since(start), Recorded: recorded, Verdict: v}
			if s.Clock != nil {
				e.Virtual = s.Clock.Now()
			}
			e = s.Journal.Add(e)
			if s.Log != nil {
				s.Log.LogAttrs(req.Context(), slog.LevelInfo, "platform request",
					slog.Int64("id", e.ID), slog.String("surface", surface), slog.String("http", e.HTTP),
					slog.String("path", e.Path), slog.String("app", e.App), slog.String("method", e.Method),
					slog.Bool("accepted", e.Accepted()), slog.String("code", e.Code), slog.String("sub_code", e.SubCode),
					slog.Int("status", status), slog.Duration("latency", e.Latency))
			}
			return err
		}
	}
}

func cut(s string) string {
	if len(s) > maxNamed {
		return string(channel.Prefix([]byte(s), maxNamed)) + "…"
	}
	return s
}
