package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/mockpay/mockpay/controlapi"
	"github.com/mockpay/mockpay/levers"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/server/views"
)

// Trigger makes an event happen without signing (issue 11 item 4): a trade
// created as if the app's shop ordered it, driven to the outcome asked
// for, whose notifications the shop receives as from the platform.
func (s *API) Trigger(c echo.Context) error {
	var req controlapi.TriggerRequest
	if err := bindJSON(c, &req); err != nil {
		return apiFail(c, err)
	}
	if req.AppID == "" {
		return apiFail(c, views.BadInput("app_id is required"))
	}
	amount, err := payment.ParseYuan(req.Amount)
	if err != nil {
		return apiFail(c, views.BadInput("amount %q: yuan with at most 2 decimals, e.g. 88.00", req.Amount))
	}
	var refund payment.Amount
	if req.RefundAmount != "" {
		if refund, err = payment.ParseYuan(req.RefundAmount); err != nil || refund <= 0 {
			return apiFail(c, views.BadInput("refund_amount %q: yuan with at most 2 decimals, e.g. 8.00", req.RefundAmount))
		}
	}
	t, err := s.Levers.Trigger(c.Request().Context(), levers.TriggerSpec{AppID: req.AppID, OutTradeNo: req.OutTradeNo,
		Subject: req.Subject, Amount: amount, NotifyURL: req.NotifyURL, Outcome: req.Outcome, RefundAmount: refund})
	if err != nil {
		return apiFail(c, err)
	}
	j, err := s.WithRefunds(c.Request().Context(), t)
	if err != nil {
		return apiFail(c, err)
	}
	return c.JSON(http.StatusCreated, j)
}
