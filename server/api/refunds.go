package api

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/server/views"
)

// FailRefund is POST /refunds/{id}/fail: the refund ends abnormal.
func (s *API) FailRefund(c echo.Context) error { return s.settleRefund(c, payment.RefundAbnormal) }

// CloseRefund is POST /refunds/{id}/close: the refund ends closed.
func (s *API) CloseRefund(c echo.Context) error { return s.settleRefund(c, payment.RefundClosed) }

// settleRefund pulls a refund outcome lever. It answers the trade with its
// refunds, the refund's new status among them.
func (s *API) settleRefund(c echo.Context, outcome payment.RefundOutcome) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id < 1 {
		return apiFail(c, views.BadInput("refund id %q: the id of a refund (GET /trades/{trade_no}/refunds)", c.Param("id")))
	}
	res, err := s.Levers.SettleRefund(c.Request().Context(), id, outcome)
	if err != nil {
		return apiFail(c, err)
	}
	j, err := s.WithRefunds(c.Request().Context(), res.Trade)
	if err != nil {
		return apiFail(c, err)
	}
	return c.JSON(http.StatusOK, j)
}
