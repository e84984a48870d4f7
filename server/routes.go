package server

import (
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// routes installs every route mockpay answers. The /_mockpay/ prefix is
// reserved for mockpay itself and never collides with an emulated path.
func (s *Server) routes(e *echo.Echo) {
	e.Use(middleware.Recover())
	e.Use(securityHeaders)

	// Emulated Alipay OpenAPI gateway, on any Host (design.md, Surfaces). It
	// bounds its own body, to answer an oversize one in Alipay's format.
	e.GET("/gateway.do", s.gateway)
	e.POST("/gateway.do", s.gateway)
	// Legacy MAPI only: the older demos' gateway and the plain-HTTP
	// notify_verify (alipay-protocol.md §0, §1.6).
	e.Match([]string{"GET", "POST"}, "/cooperate/gateway.do", s.cooperateGateway)
	e.Match([]string{"GET", "POST"}, "/trade/notify_query.do", s.notifyQuery)

	limited := e.Group("", middleware.BodyLimit("1M"))

	// The simulated cashier.
	limited.GET("/cashier/:token", s.Cashier.Show)
	limited.POST("/cashier/:token", s.Cashier.Submit)
	limited.GET("/cashier/trade/:trade_no", s.Cashier.ShowTradeCashier)
	limited.POST("/cashier/trade/:trade_no", s.Cashier.SubmitTradeCashier)
	limited.GET("/cashier/qr/:code", s.Cashier.Scan)
	limited.GET("/cashier/qr/:code/image.png", s.Cashier.QRImage)
	limited.GET("/cashier/app", s.Cashier.AppPayForm)
	limited.POST("/cashier/app", s.Cashier.AppPaySubmit)

	// The platform's bill file server (bill_download_url).
	limited.GET("/downloadBillFile.resource", s.billFile)

	limited.GET("/cashier/refund/:token", s.Cashier.ShowRefundBatch)
	limited.POST("/cashier/refund/:token", s.Cashier.ConfirmRefundBatch)

	// mockpay's own surfaces.
	limited.GET("/_mockpay/healthz", s.healthz)
	limited.GET("/_mockpay/readyz", s.readyz)
	// mockpay's control API: what CI uses instead of a browser. Every route
	// here is described in openapi.json (a test checks).
	api := limited.Group("/_mockpay/api", apiSameOrigin)
	api.GET("/openapi.json", s.openAPI)
	api.GET("/apps", s.listApps)
	api.POST("/apps", s.createApp)
	api.GET("/apps/:app_id", s.getApp)
	api.POST("/apps/:app_id/orders/:out_trade_no/:action", s.orderAction)
	api.GET("/trades", s.listTrades)
	api.GET("/trades/wait", s.waitTrade)
	api.GET("/trades/:trade_no", s.getTrade)
	api.GET("/trades/:trade_no/notifications", s.tradeNotifications)
	api.POST("/trades/:trade_no/:action", s.tradeAction)
	api.GET("/notifications", s.listNotifications)
	api.GET("/notifications/wait", s.waitNotification)
	api.GET("/notifications/:id", s.getNotification)
	api.POST("/notifications/:id/redeliver", s.redeliver)
	api.GET("/attempts", s.attemptsFeed)
	api.GET("/clock", s.getClock)
	api.POST("/clock/advance", s.advanceClock)
	api.POST("/reset", s.reset)
	api.POST("/app-pay", s.appPay)
	api.GET("/apps/:app_id/certs", s.appCerts)
	api.GET("/apps/:app_id/certs/:file", s.appCertFile)

	// The dashboard: HTML pages, and forms that POST and redirect back. Its
	// POST routes stay out of /_mockpay/api/ (the JSON API) and refuse
	// cross-site posts (dashboard_origin.go).
	limited.GET("/_mockpay/", s.dashboardApps)
	limited.GET("/_mockpay", s.dashboardApps)
	limited.GET("/_mockpay/trades", s.dashboardTrades)
	limited.GET("/_mockpay/trades/:trade_no", s.dashboardTrade)
	form := sameOrigin(s)
	limited.POST("/_mockpay/trades/:trade_no/:action", s.dashboardAct, form)
	limited.POST("/_mockpay/notifications/:id/redeliver", s.dashboardRedeliver, form)
	limited.POST("/_mockpay/clock/advance", s.dashboardAdvance, form)
}

// securityHeaders keeps browsers from sniffing JSON as HTML and from framing
// the cashier.
func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		return next(c)
	}
}
