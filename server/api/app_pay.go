package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/mockpay/mockpay/cashier"
	"github.com/mockpay/mockpay/controlapi"
	"github.com/mockpay/mockpay/payment"
)

// AppPay is the Alipay app for CI: it takes an app-pay order string (JSON or
// form field order_str), verifies it as the platform does, performs the
// buyer's action and answers what the mobile SDK returns to the app
// (resultStatus, memo, result), plus the trade's identifiers.
func (s *API) AppPay(c echo.Context) error {
	var req controlapi.AppPayRequest
	if err := c.Bind(&req); err != nil {
		return c.JSON(http.StatusBadRequest, controlapi.Error{Code: "bad_request", Message: err.Error()})
	}
	if req.OrderStr == "" {
		return c.JSON(http.StatusBadRequest, controlapi.Error{Code: "bad_request", Message: "order_str is required"})
	}
	res, err := s.Cashier.AppPay(c.Request().Context(), req.OrderStr, cashier.Action(req.Action))
	if err != nil {
		status := http.StatusBadRequest
		if payment.CodeOf(err) == payment.CodeSystemError {
			status = http.StatusInternalServerError
		}
		p, _, _ := s.Channels.Protocol(payment.ProtocolOpenAPI) // app pay is OpenAPI's
		v := p.Describe(err)
		return c.JSON(status, controlapi.Error{Code: v.SubCode, Message: v.SubMsg + ": " + v.Detail})
	}
	out := controlapi.AppPayResult{ResultStatus: res.ResultStatus, Memo: res.Memo, Result: res.Result}
	if res.Trade != nil {
		out.TradeNo, out.OutTradeNo = res.Trade.TradeNo, res.Trade.OutTradeNo
	}
	return c.JSON(http.StatusOK, out)
}
