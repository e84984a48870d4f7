package cashier

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/mockpay/mockpay/payment"
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
	v := cashierView{Action: tradeCashierPath(tradeNo), Trade: t}
	if _, ok := h.Channels.ScanCode(t); ok {
		v.QRImage = tradeQRPath(tradeNo)
	}
	return h.showTrade(c, v)
}

// TradeQRImage draws the QR code a trade's protocol gives it (WeChat
// Native's code_url), for the cashier and the dashboard.
func (h *Cashier) TradeQRImage(c echo.Context) error {
	t, err := h.Service.Trade(c.Request().Context(), c.Param("trade_no"))
	if err != nil {
		return h.ErrorPage(c, err)
	}
	text, ok := h.Channels.ScanCode(t)
	if !ok {
		return h.ErrorPage(c, payment.Errorf(payment.CodeTradeNotExist, "trade %s has no QR code", t.TradeNo))
	}
	img, err := QRPNG(text)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, "image/png", img)
}

// tradeQRPath is the PNG of a trade's QR code.
func tradeQRPath(tradeNo string) string { return tradeCashierPath(tradeNo) + "/qr.png" }

// SubmitTradeCashier handles the buttons of a trade's cashier.
func (h *Cashier) SubmitTradeCashier(c echo.Context) error {
	tradeNo := c.Param("trade_no")
	return h.act(c, tradeNo, cashierView{Action: tradeCashierPath(tradeNo)})
}

// tradeCashierPath is where a trade's cashier lives.
func tradeCashierPath(tradeNo string) string { return "/cashier/trade/" + tradeNo }
