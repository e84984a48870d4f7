package cashier

import (
	"github.com/labstack/echo/v4"
)

const appCashierPath = "/cashier/app"

// AppPayForm is where a developer pastes an app-pay order string.
func (h *Cashier) AppPayForm(c echo.Context) error {
	return h.render(c, "app_pay.html", nil)
}

// AppPaySubmit opens the cashier of a pasted order string, or, when a
// button was pressed, performs it and shows what the app would receive.
func (h *Cashier) AppPaySubmit(c echo.Context) error {
	ctx := c.Request().Context()
	orderStr := c.FormValue("order_str")
	action := Action(c.FormValue("action"))
	if action == "" {
		_, o, err := h.AppOrder(ctx, orderStr)
		if err != nil {
			return h.ErrorPage(c, err)
		}
		t, err := h.Service.Create(ctx, o)
		if err != nil {
			return h.ErrorPage(c, err)
		}
		return h.showTrade(c, cashierView{Action: appCashierPath, Trade: t, Hidden: map[string]string{"order_str": orderStr}})
	}
	res, err := h.AppPay(ctx, orderStr, action)
	if err != nil {
		return h.ErrorPage(c, err)
	}
	return h.render(c, "app_result.html", res)
}
