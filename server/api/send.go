package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/mockpay/mockpay/controlapi"
	"github.com/mockpay/mockpay/server/views"
)

// Send delivers a notification once to the URL in the body, signed now,
// and answers what that URL said (mockpay send); nothing is recorded.
func (s *API) Send(c echo.Context) error {
	id, err := views.NotificationID(c.Param("id"))
	if err != nil {
		return apiFail(c, err)
	}
	var req controlapi.SendRequest
	if err := bindJSON(c, &req); err != nil {
		return apiFail(c, err)
	}
	n, a, err := s.Levers.Send(c.Request().Context(), id, req.URL)
	if err != nil {
		return apiFail(c, err)
	}
	out := controlapi.SendResult{NotificationID: n.ID, NotifyID: n.NotifyID, TradeNo: n.Trade.TradeNo, Attempt: views.AttemptJSON(a)}
	return c.JSON(http.StatusOK, out)
}
