package dashboard

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/mockpay/mockpay/controlapi"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/server/views"
)

// dashNotificationsLimit is how many notifications the list shows, newest first.
const dashNotificationsLimit = 100

type dashNotificationsView struct {
	dashPage
	Notifications []controlapi.Notification
	Apps          []appChoice
	Statuses      []string
	AppID, Status string
	Limit         int
}

// ShowNotifications lists notifications, newest first, filtered by app and
// delivery state through a GET form.
func (s *Dashboard) ShowNotifications(c echo.Context) error {
	v := dashNotificationsView{dashPage: s.page(c, "Notifications", "notifications"), AppID: c.QueryParam("app_id"),
		Status: c.QueryParam("status"), Limit: dashNotificationsLimit,
		Statuses: []string{string(payment.NotifyPending), string(payment.NotifyAcked), string(payment.NotifyGaveUp)}}
	for _, a := range s.Apps.All() {
		v.Apps = append(v.Apps, appChoice{AppID: a.AppID, Name: a.Name})
	}
	ns, err := s.Store.Notifications(c.Request().Context(),
		payment.NotificationFilter{AppID: v.AppID, Status: payment.NotificationStatus(v.Status), Limit: v.Limit})
	if err != nil {
		return s.fail(c, err)
	}
	for _, n := range ns { // newest first, as the store lists them
		v.Notifications = append(v.Notifications, s.NotificationJSON(n, nil))
	}
	return s.render(c, http.StatusOK, "dashboard_notifications.html", v)
}

type dashNotificationView struct {
	dashPage
	N       dashNotification
	Kind    string
	Ladder  ladder
	Manuals int
	// NextIsManual: the attempt due now is a redelivery, and the
	// schedule's own next attempt comes after it.
	NextIsManual bool
	// Sent is what the "Send to URL" form just delivered, if it did.
	Sent *sentView
}

// ShowNotification is one notification: where it goes, its retry ladder
// (every slot of the schedule on a time axis), every attempt, the payload
// and the Redeliver button.
func (s *Dashboard) ShowNotification(c echo.Context) error {
	id, err := views.NotificationID(c.Param("id"))
	if err != nil {
		return s.fail(c, err)
	}
	return s.notificationPage(c, id, nil)
}

// notificationPage renders notification id's page, with what a "Send to
// URL" delivered when sent is set.
func (s *Dashboard) notificationPage(c echo.Context, id int64, sent *sentView) error {
	ctx := c.Request().Context()
	n, err := s.Store.Notification(ctx, id)
	if errors.Is(err, payment.ErrNotFound) {
		return s.fail(c, payment.Errorf(payment.CodeNotificationNotFound, "no notification %d", id))
	}
	if err != nil {
		return s.fail(c, err)
	}
	as, err := s.Store.Attempts(ctx, id)
	if err != nil {
		return s.fail(c, err)
	}
	j := s.NotificationJSON(n, as)
	v := dashNotificationView{dashPage: s.page(c, "Notification #"+strconv.FormatInt(id, 10), "notifications"),
		N: dashNotification{Notification: j}, Kind: string(n.Kind), Manuals: n.Manuals,
		Ladder: buildLadder(n, j.Attempts, s.ScheduleOf(n.Protocol)), NextIsManual: n.ManualDue && n.Status == payment.NotifyPending, Sent: sent}
	if sent != nil { // answered by the POST: forms on it return to the page itself
		v.Back = "/_mockpay/notifications/" + strconv.FormatInt(id, 10)
	}
	if len(j.Attempts) > 0 {
		v.N.Payload = formFields(j.Attempts[len(j.Attempts)-1].Request)
	}
	return s.render(c, http.StatusOK, "dashboard_notification.html", v)
}
