// Package api is mockpay's control API under /_mockpay/api/: what CI uses
// instead of a browser. Its handlers answer controlapi's JSON types; every
// route is registered in server/routes.go and described in openapi.json.
package api

import (
	"context"

	"github.com/labstack/echo/v4"

	"github.com/mockpay/mockpay/cashier"
	"github.com/mockpay/mockpay/faults"
	"github.com/mockpay/mockpay/journal"
	"github.com/mockpay/mockpay/levers"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/server/views"
	"github.com/mockpay/mockpay/watch"
)

// API holds the control API's handlers.
type API struct {
	views.Views // the trades, notifications and apps it shows, and the store it reads
	Apps        *payment.Registry
	Cashier     *cashier.Cashier // app pay plays the platform's mobile app
	Clock       views.Clock
	Changes     *watch.Signal // long polls wake on every change
	Levers      *levers.Levers
	Journal     *journal.Ring // the request journal (GET /requests)
	// Stopping ends when the server shuts down: open long polls then answer
	// as if their wait ran out (views.PollContext).
	Stopping context.Context
	Faults   *faults.Selection
	Checker  *faults.Checker // the hardening suite (POST /check)
}

// apiFail answers err as {"code": ..., "message": ...}.
func apiFail(c echo.Context, err error) error {
	status, body := views.Failure(err)
	return c.JSON(status, body)
}
