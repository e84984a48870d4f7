package cashier

import (
	"bytes"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/mockpay/mockpay/payment"
)

type cashierView struct {
	Token   string
	App     *payment.App
	Trade   *payment.Trade
	Buyer   payment.Buyer
	Message string
}

type doneView struct {
	Title, Message, Link string
	Good                 bool
}

// Show renders the cashier for a checkout. Entering the cashier is what
// creates the trade (alipay-protocol.md §2.7).
func (h *Cashier) Show(c echo.Context) error {
	token := c.Param("token")
	t, err := h.Service.OpenCheckout(c.Request().Context(), token)
	if err != nil {
		return h.ErrorPage(c, err)
	}
	return h.showTrade(c, token, t, "")
}

// Submit handles the cashier form's buttons.
func (h *Cashier) Submit(c echo.Context) error {
	token := c.Param("token")
	ctx := c.Request().Context()
	t, err := h.Service.OpenCheckout(ctx, token)
	if err != nil {
		return h.ErrorPage(c, err)
	}
	res, err := h.Act(ctx, t.TradeNo, Action(c.FormValue("action")))
	if err != nil {
		return h.ErrorPage(c, err)
	}
	switch {
	case res.Redirect != "":
		return c.Redirect(http.StatusSeeOther, res.Redirect)
	case res.Trade.Status == payment.WaitBuyerPay && Action(c.FormValue("action")) == Fail:
		return h.showTrade(c, token, res.Trade, res.Message)
	default:
		return h.render(c, "done.html", doneView{Title: "mockpay", Message: res.Message, Good: res.Trade.Status.Paid()})
	}
}

func (h *Cashier) showTrade(c echo.Context, token string, t *payment.Trade, msg string) error {
	app, ok := h.Apps.App(t.AppID)
	if !ok {
		return h.ErrorPage(c, payment.Errorf(payment.CodeInvalidAppID, "app %s is gone", t.AppID))
	}
	return h.render(c, "cashier.html", cashierView{Token: token, App: app, Trade: t, Buyer: h.Service.Buyer, Message: msg})
}

// ErrorPage shows an error the way the platform's error page does: HTTP 200,
// the code in the text, no way to pay.
func (h *Cashier) ErrorPage(c echo.Context, err error) error {
	return h.RenderError(c, h.Describe(err))
}

// RenderError renders an already described error.
func (h *Cashier) RenderError(c echo.Context, v ErrorView) error {
	return h.render(c, "error.html", v)
}

func (h *Cashier) render(c echo.Context, name string, data any) error {
	var buf bytes.Buffer
	if err := h.Templates.ExecuteTemplate(&buf, name, data); err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.HTMLBlob(http.StatusOK, buf.Bytes())
}
