package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/mockpay/mockpay/controlapi"
	"github.com/mockpay/mockpay/faults"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/server/views"
)

// ListFaults is GET /faults: the scenario kinds, how a trade selects its
// own, and the apps' plans.
func (s *API) ListFaults(c echo.Context) error {
	return c.JSON(http.StatusOK, views.FaultsJSON(s.Faults))
}

// GetAppFaults is GET /apps/{app_id}/faults.
func (s *API) GetAppFaults(c echo.Context) error {
	id := c.Param("app_id")
	if _, ok := s.Apps.App(id); !ok {
		return apiFail(c, payment.Errorf(payment.CodeInvalidAppID, "no app %q", id))
	}
	return c.JSON(http.StatusOK, views.AppFaultsJSON(s.Faults, id))
}

// PutAppFaults is PUT /apps/{app_id}/faults: replaces the app's plan; an
// empty plan clears it.
func (s *API) PutAppFaults(c echo.Context) error {
	id := c.Param("app_id")
	if _, ok := s.Apps.App(id); !ok {
		return apiFail(c, payment.Errorf(payment.CodeInvalidAppID, "no app %q", id))
	}
	var req controlapi.SetFaults
	if err := bindJSON(c, &req); err != nil {
		return apiFail(c, err)
	}
	p, err := faults.Parse(req.Plan)
	if err != nil {
		return apiFail(c, views.BadInput("plan: %v", err))
	}
	if err := s.Faults.Set(id, p); err != nil {
		// The plan was not kept: say so rather than show the old one as
		// if it were the new.
		return apiFail(c, err)
	}
	return c.JSON(http.StatusOK, views.AppFaultsJSON(s.Faults, id))
}

// Verdicts is GET /verdicts[?app_id=]: the attempts the team must see. ok
// is false as soon as one exists, which a CI job asserts.
func (s *API) Verdicts(c echo.Context) error {
	v, err := s.Views.Verdicts(c.Request().Context(), c.QueryParam("app_id"))
	if err != nil {
		return apiFail(c, err)
	}
	return c.JSON(http.StatusOK, v)
}

// Check is POST /check: the hardening suite against a shop's notify
// endpoint (mockpay check).
func (s *API) Check(c echo.Context) error {
	var req controlapi.CheckRequest
	if err := bindJSON(c, &req); err != nil {
		return apiFail(c, err)
	}
	rep, err := s.Checker.Run(c.Request().Context(), req)
	if err != nil {
		return apiFail(c, err)
	}
	return c.JSON(http.StatusOK, rep)
}
