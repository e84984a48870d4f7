package dashboard

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/mockpay/mockpay/cashier"
	"github.com/mockpay/mockpay/levers"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/server/views"
)

// redeliverWait bounds how long the Redeliver button waits for the attempt
// it asked for (real time, like a long poll), so the page it returns to
// usually shows it; a shop slower than that is still being tried.
const redeliverWait = 5 * time.Second

// Act presses a buyer button (pay, fail, cancel) on a trade,
// through cashier.Act like the cashier and the control API, then returns to
// the trade.
func (s *Dashboard) Act(c echo.Context) error {
	tradeNo, action := c.Param("trade_no"), cashier.Action(c.Param("action"))
	if _, err := s.Levers.Act(c.Request().Context(), tradeNo, action); err != nil {
		return s.fail(c, err)
	}
	return c.Redirect(http.StatusSeeOther, tradePage(tradeNo, string(action), ""))
}

// Redeliver is the Redeliver button: the control API's redelivery,
// then back to the trade once its own attempt is recorded.
func (s *Dashboard) Redeliver(c echo.Context) error {
	id, err := views.NotificationID(c.Param("id"))
	if err != nil {
		return s.fail(c, err)
	}
	n, attempted, err := s.Levers.RedeliverAndWait(c.Request().Context(), id, redeliverWait)
	if err != nil {
		return s.fail(c, err)
	}
	done := "redelivered"
	if !attempted {
		done = "redeliver-queued"
	}
	if back := c.FormValue("back"); back != "" {
		return c.Redirect(http.StatusSeeOther, returnTo(back, done)) // the notification's own page
	}
	return c.Redirect(http.StatusSeeOther, tradePage(n.Trade.TradeNo, done, "notification-"+strconv.FormatInt(n.ID, 10)))
}

// SettleRefund is a refund's Fail or Close button: the refund outcome
// lever, then back to the trade.
func (s *Dashboard) SettleRefund(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id < 1 {
		return s.fail(c, views.BadInput("refund id %q", c.Param("id")))
	}
	outcome, err := payment.ParseRefundOutcome(c.Param("outcome"))
	if err != nil {
		return s.fail(c, err)
	}
	res, err := s.Levers.SettleRefund(c.Request().Context(), id, outcome)
	if err != nil {
		return s.fail(c, err)
	}
	return c.Redirect(http.StatusSeeOther, tradePage(res.Trade.TradeNo, "refund-"+c.Param("outcome"), "refunds"))
}

// Advance jumps the virtual clock by the form's span ("6h", "90m",
// "2d") and returns to the page the form was on.
func (s *Dashboard) Advance(c echo.Context) error {
	d, err := levers.ParseSpan(c.FormValue("by"))
	if err != nil {
		return s.fail(c, views.BadInput("advance by: %v", err))
	}
	if _, err := s.Levers.Advance(d); err != nil {
		return s.fail(c, views.BadInput("advance by %s: %v", c.FormValue("by"), err))
	}
	return c.Redirect(http.StatusSeeOther, returnTo(c.FormValue("back"), "advance"))
}

func tradePage(tradeNo, done, anchor string) string {
	u := url.URL{Path: "/_mockpay/trades/" + tradeNo, RawQuery: url.Values{"done": {done}}.Encode(), Fragment: anchor}
	return u.String()
}
