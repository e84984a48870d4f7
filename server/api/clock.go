package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/mockpay/mockpay/controlapi"
	"github.com/mockpay/mockpay/levers"
	"github.com/mockpay/mockpay/server/views"
)

func (s *API) clockJSON() controlapi.Clock {
	return controlapi.Clock{Now: views.Stamp(s.Clock.Now()), Scale: s.Clock.Scale()}
}

// GetClock shows virtual now.
func (s *API) GetClock(c echo.Context) error {
	return c.JSON(http.StatusOK, s.clockJSON())
}

// AdvanceClock jumps virtual time forward; whatever fell due (retries,
// expiries) happens at once, in due order, with its own virtual timestamps.
func (s *API) AdvanceClock(c echo.Context) error {
	var req controlapi.AdvanceRequest
	if err := bindJSON(c, &req); err != nil {
		return apiFail(c, err)
	}
	d, err := levers.ParseSpan(req.By)
	if err != nil {
		return apiFail(c, views.BadInput("by: %v", err))
	}
	if _, err := s.Levers.Advance(d); err != nil {
		return apiFail(c, views.BadInput("by %s: %v", req.By, err))
	}
	return c.JSON(http.StatusOK, s.clockJSON())
}

// Reset deletes all trades and notifications; apps stay.
func (s *API) Reset(c echo.Context) error {
	if err := s.Levers.Reset(c.Request().Context()); err != nil {
		return apiFail(c, err)
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "reset"})
}
