package server

import (
	"cmp"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// routes installs every route mockpay answers. The /_mockpay/ prefix is
// reserved for mockpay itself and never collides with an emulated path.
func (s *Server) routes(e *echo.Echo) {
	e.Use(middleware.Recover())
	e.Use(securityHeaders)

	limited := e.Group("", middleware.BodyLimit("1M"))

	// The emulated platforms' own paths (their gateways, on any Host:
	// design.md, Surfaces), as each channel registered them.
	s.channelRoutes(e, limited)

	// The simulated cashier: its actions are platform requests too.
	cj := s.journaled("cashier")
	limited.GET("/cashier/:token", s.Cashier.Show, cj)
	limited.POST("/cashier/:token", s.Cashier.Submit, cj)
	limited.GET("/cashier/trade/:trade_no", s.Cashier.ShowTradeCashier, cj)
	limited.POST("/cashier/trade/:trade_no", s.Cashier.SubmitTradeCashier, cj)
	limited.GET("/cashier/trade/:trade_no/qr.png", s.Cashier.TradeQRImage, cj)
	limited.GET("/cashier/qr/:code", s.Cashier.Scan, cj)
	limited.GET("/cashier/qr/:code/image.png", s.Cashier.QRImage, cj)
	limited.GET("/cashier/app", s.Cashier.AppPayForm, cj)
	limited.POST("/cashier/app", s.Cashier.AppPaySubmit, cj)

	limited.GET("/cashier/refund/:token", s.Cashier.ShowRefundBatch, cj)
	limited.POST("/cashier/refund/:token", s.Cashier.ConfirmRefundBatch, cj)

	// mockpay's own surfaces.
	limited.GET("/_mockpay/healthz", s.healthz)
	limited.GET("/_mockpay/readyz", s.readyz)
	limited.GET("/_mockpay/ca.pem", s.caPEM)
	// mockpay's control API: what CI uses instead of a browser. Every route
	// here is described in api/openapi.json (a test checks).
	control := limited.Group("/_mockpay/api", apiSameOrigin)
	control.GET("/openapi.json", s.api.OpenAPI)
	control.GET("/apps", s.api.ListApps)
	control.POST("/apps", s.api.CreateApp)
	control.GET("/apps/:app_id", s.api.GetApp)
	control.POST("/apps/:app_id/orders/:out_trade_no/:action", s.api.OrderAction)
	control.GET("/trades", s.api.ListTrades)
	control.POST("/trades", s.api.Trigger)
	control.GET("/trades/wait", s.api.WaitTrade)
	control.GET("/trades/:trade_no", s.api.GetTrade)
	control.GET("/trades/:trade_no/notifications", s.api.TradeNotifications)
	control.GET("/trades/:trade_no/refunds", s.api.TradeRefunds)
	control.POST("/trades/:trade_no/:action", s.api.TradeAction)
	control.GET("/notifications", s.api.ListNotifications)
	control.GET("/notifications/wait", s.api.WaitNotification)
	control.GET("/notifications/:id", s.api.GetNotification)
	control.POST("/refunds/:id/fail", s.api.FailRefund)
	control.POST("/refunds/:id/close", s.api.CloseRefund)
	control.POST("/notifications/:id/redeliver", s.api.Redeliver)
	control.POST("/notifications/:id/send", s.api.Send)
	control.GET("/attempts", s.api.AttemptsFeed)
	control.GET("/requests", s.api.Requests)
	control.GET("/clock", s.api.GetClock)
	control.POST("/clock/advance", s.api.AdvanceClock)
	control.POST("/reset", s.api.Reset)
	control.POST("/app-pay", s.api.AppPay)
	control.GET("/apps/:app_id/certs", s.api.AppCerts)
	control.GET("/apps/:app_id/certs/:file", s.api.AppCertFile)
	control.GET("/faults", s.api.ListFaults)
	control.GET("/apps/:app_id/faults", s.api.GetAppFaults)
	control.PUT("/apps/:app_id/faults", s.api.PutAppFaults)
	control.GET("/verdicts", s.api.Verdicts)
	control.POST("/check", s.api.Check)

	// The dashboard: HTML pages, and forms that POST and redirect back. Its
	// POST routes stay out of /_mockpay/api/ (the JSON API) and refuse
	// cross-site posts (origin.go).
	limited.GET("/_mockpay/", s.dash.ShowHome)
	limited.GET("/_mockpay", s.dash.ShowHome)
	limited.GET("/_mockpay/apps", s.dash.ShowApps)
	limited.GET("/_mockpay/trades", s.dash.ShowTrades)
	limited.GET("/_mockpay/trades/:trade_no", s.dash.ShowTrade)
	limited.GET("/_mockpay/notifications", s.dash.ShowNotifications)
	limited.GET("/_mockpay/notifications/:id", s.dash.ShowNotification)
	limited.GET("/_mockpay/requests", s.dash.ShowRequests)
	limited.GET("/_mockpay/requests/:id", s.dash.ShowRequest)
	// The live stream the pages' script follows (server-sent events).
	e.GET("/_mockpay/live", s.dash.Live)
	form := sameOrigin(s)
	limited.POST("/_mockpay/trades/:trade_no/:action", s.dash.Act, form)
	limited.POST("/_mockpay/notifications/:id/redeliver", s.dash.Redeliver, form)
	limited.POST("/_mockpay/refunds/:id/:outcome", s.dash.SettleRefund, form)
	limited.POST("/_mockpay/clock/advance", s.dash.Advance, form)
	limited.GET("/_mockpay/faults", s.dash.ShowFaults)
	limited.POST("/_mockpay/apps/:app_id/faults", s.dash.SetFaults, form)
	limited.POST("/_mockpay/trigger", s.dash.Trigger, form)
	limited.POST("/_mockpay/notifications/:id/send", s.dash.SendNotification, form)
}

// securityHeaders keeps browsers from sniffing JSON as HTML, from framing
// any page, and from running anything in an answer opened as a page. Every
// answer gets answerCSP; the HTML pages replace it with their own, which
// still forbid every script but the dashboard's one hashed script
// (cashier/pages.go, dashboard/dashboard.go's dashboardCSP). The gateway's
// JSON is served as text/html like the real one (§2.5), and a request value reflected in any answer
// must not run there even if escaping ever failed: the policy, not the
// JSON encoder's \u003c escapes, is the guard.
func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Content-Security-Policy", answerCSP)
		return next(c)
	}
}

// answerCSP is the policy of every answer that is not one of mockpay's HTML
// pages (gateway JSON, legacy XML, notify_verify text, the control API's
// JSON, bill files, QR images): nothing may load or run, and sandbox gives
// the document an opaque origin, so not even a same-origin request to
// /_mockpay/api/ could pass for mockpay's own.
const answerCSP = "default-src 'none'; frame-ancestors 'none'; sandbox"

// Route is one method and path the router answers, as registered.
type Route struct{ Method, Path string }

// Routes lists every route of an echo app built by New, sorted, so that a
// test can probe each one and notice a new one.
func Routes(e *echo.Echo) []Route {
	var out []Route
	for _, r := range e.Routes() {
		out = append(out, Route{Method: r.Method, Path: r.Path})
	}
	slices.SortFunc(out, func(a, b Route) int {
		return cmp.Or(strings.Compare(a.Path, b.Path), strings.Compare(a.Method, b.Method))
	})
	return slices.CompactFunc(out, func(a, b Route) bool { return a == b })
}
