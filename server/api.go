package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/mockpay/mockpay/controlapi"
	"github.com/mockpay/mockpay/server/views"
)

// tradeNotifications lists a trade's notifications with every attempt.
func (s *Server) tradeNotifications(c echo.Context) error {
	ctx := c.Request().Context()
	ns, err := s.Store.NotificationsOfTrade(ctx, c.Param("trade_no"))
	if err != nil {
		return err
	}
	out := []controlapi.Notification{}
	for _, n := range ns {
		as, err := s.Store.Attempts(ctx, n.ID)
		if err != nil {
			return err
		}
		out = append(out, s.views.NotificationJSON(n, as))
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) readyz(c echo.Context) error {
	if s.Ready != nil {
		if err := s.Ready(c.Request().Context()); err != nil {
			return c.JSON(http.StatusServiceUnavailable, controlapi.Error{Code: "not_ready", Message: err.Error()})
		}
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
}

// apiFail answers err as {"code": ..., "message": ...}.
func apiFail(c echo.Context, err error) error {
	status, body := views.Failure(err)
	return c.JSON(status, body)
}
