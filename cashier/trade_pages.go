package cashier

import (
	"github.com/labstack/echo/v4"
)

// ShowTradeCashier renders the cashier of an existing trade by trade_no:
// how the buyer pays a trade the merchant created server-to-server
// (alipay.trade.create) or confirms a barcode payment waiting for the
// password (alipay.trade.pay answered 10003). The control API drives the
// same buyer actions through Act.
func (h *Cashier) ShowTradeCashier(c echo.Context) error {
	tradeNo := c.Param("trade_no")
	t, err := h.Service.Trade(c.Request().Context(), tradeNo)
	if err != nil {
		return h.ErrorPage(c, err)
	}
	return h.showTrade(c, cashierView{Action: tradeCashierPath(tradeNo), Trade: t})
}

// SubmitTradeCashier handles the buttons of a trade's cashier.
func (h *Cashier) SubmitTradeCashier(c echo.Context) error {
	tradeNo := c.Param("trade_no")
	return h.act(c, tradeNo, cashierView{Action: tradeCashierPath(tradeNo)})
}

// tradeCashierPath is where a trade's cashier lives.
func tradeCashierPath(tradeNo string) string { return "/cashier/trade/" + tradeNo }
