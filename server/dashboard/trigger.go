package dashboard

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/mockpay/mockpay/controlapi"
	"github.com/mockpay/mockpay/levers"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/server/views"
)

// Trigger is the home page's trigger form (issue 11 item 4): the control
// API's POST /trades (levers.Trigger), then the trade's page, where its
// notifications show as they are delivered.
func (s *Dashboard) Trigger(c echo.Context) error {
	amount, err := payment.ParseYuan(c.FormValue("amount"))
	if err != nil {
		return s.fail(c, views.BadInput("amount: %v", err))
	}
	t, err := s.Levers.Trigger(c.Request().Context(), levers.TriggerSpec{AppID: c.FormValue("app_id"), Amount: amount,
		Subject: c.FormValue("subject"), NotifyURL: c.FormValue("notify_url"), Outcome: c.FormValue("outcome")})
	if err != nil {
		return s.fail(c, err)
	}
	return c.Redirect(http.StatusSeeOther, tradePage(t.TradeNo, "triggered", ""))
}

// sentView is what a "Send to URL" delivered: shown on the notification's
// page, which the POST answers itself (the answer is the shop's, not one
// of the fixed flashes a redirect may name).
type sentView struct {
	To      string
	Attempt controlapi.Attempt
}

// SendNotification is the notification page's "Send to URL" form: one
// delivery to any URL, signed now, outside the notification's schedule
// (levers.Send, as mockpay send); the page shows what that URL answered.
func (s *Dashboard) SendNotification(c echo.Context) error {
	id, err := views.NotificationID(c.Param("id"))
	if err != nil {
		return s.fail(c, err)
	}
	to := c.FormValue("url")
	_, a, err := s.Levers.Send(c.Request().Context(), id, to)
	if err != nil {
		return s.fail(c, err)
	}
	return s.notificationPage(c, id, &sentView{To: to, Attempt: views.AttemptJSON(a)})
}
