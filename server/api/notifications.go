package api

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/mockpay/mockpay/controlapi"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/server/views"
)

// ListNotifications filters by app_id, trade_no and status, newest first,
// a page at a time (limit, cursor; pages.go); each comes with every attempt.
func (s *API) ListNotifications(c echo.Context) error {
	ctx := c.Request().Context()
	f := payment.NotificationFilter{AppID: c.QueryParam("app_id"), TradeNo: c.QueryParam("trade_no"),
		Status: payment.NotificationStatus(c.QueryParam("status"))}
	var err error
	if f.Limit, err = limitParam(c); err != nil {
		return apiFail(c, err)
	}
	if f.Before, err = cursorParam(c); err != nil {
		return apiFail(c, err)
	}
	ns, err := s.Store.Notifications(ctx, f)
	if err != nil {
		return apiFail(c, err)
	}
	if len(ns) > 0 && len(ns) == pageSize(f.Limit) {
		setNextCursor(c, ns[len(ns)-1].ID)
	}
	out := []controlapi.Notification{}
	for _, n := range ns {
		as, err := s.Store.Attempts(ctx, n.ID)
		if err != nil {
			return apiFail(c, err)
		}
		out = append(out, s.NotificationJSON(n, as))
	}
	return c.JSON(http.StatusOK, out)
}

// TradeNotifications lists a trade's notifications with every attempt.
func (s *API) TradeNotifications(c echo.Context) error {
	ctx := c.Request().Context()
	ns, err := s.Store.NotificationsOfTrade(ctx, c.Param("trade_no"))
	if err != nil {
		return err
	}
	out := []controlapi.Notification{}
	for _, n := range ns {
		as, err := s.Store.Attempts(ctx, n.ID)
		if err != nil {
			return err
		}
		out = append(out, s.NotificationJSON(n, as))
	}
	return c.JSON(http.StatusOK, out)
}

func (s *API) notificationByID(c echo.Context) (*payment.Notification, error) {
	id, err := views.NotificationID(c.Param("id"))
	if err != nil {
		return nil, err
	}
	n, err := s.Store.Notification(c.Request().Context(), id)
	if err != nil {
		return nil, payment.Errorf(payment.CodeNotificationNotFound, "no notification %d", id)
	}
	return n, nil
}

func (s *API) GetNotification(c echo.Context) error {
	n, err := s.notificationByID(c)
	if err != nil {
		return apiFail(c, err)
	}
	as, err := s.Store.Attempts(c.Request().Context(), n.ID)
	if err != nil {
		return apiFail(c, err)
	}
	return c.JSON(http.StatusOK, s.NotificationJSON(n, as))
}

// Redeliver sends a notification once more now, whatever its state, even
// acknowledged: the way to test that a shop handles duplicates.
func (s *API) Redeliver(c echo.Context) error {
	n, err := s.redeliverNow(c)
	if err != nil {
		return apiFail(c, err)
	}
	as, err := s.Store.Attempts(c.Request().Context(), n.ID)
	if err != nil {
		return apiFail(c, err)
	}
	return c.JSON(http.StatusAccepted, s.NotificationJSON(n, as))
}

// redeliverNow pulls the redeliver lever on the notification named by the
// :id parameter: the one code path behind the API route and the
// dashboard's Redeliver button.
func (s *API) redeliverNow(c echo.Context) (*payment.Notification, error) {
	id, err := views.NotificationID(c.Param("id"))
	if err != nil {
		return nil, err
	}
	return s.Levers.Redeliver(c.Request().Context(), id)
}

// feedPosition reads ?after=: 0 (the default, from the start) or a feed id
// the feed has issued. A position past the last id issued names nothing
// (ids are never reused, reset included), so it is refused rather than
// waited on until the feed happens to grow that far.
func (s *API) feedPosition(c echo.Context) (int64, error) {
	v := c.QueryParam("after")
	if v == "" {
		return 0, nil
	}
	after, err := strconv.ParseInt(v, 10, 64)
	if err != nil || after < 0 {
		return 0, views.BadInput("after %q: a feed id, 0 or the next of the previous answer", v)
	}
	last, err := s.Store.LastFeedID(c.Request().Context())
	if err != nil {
		return 0, err
	}
	if after > last {
		return 0, views.BadInput("after %d: the feed's last attempt is %d; pass 0 or the next of the previous answer", after, last)
	}
	return after, nil
}

// AttemptsFeed lists attempts after a feed id, waiting up to ?wait= for the
// next one when there is none yet: what `mockpay notifications --follow`
// tails.
func (s *API) AttemptsFeed(c echo.Context) error {
	after, err := s.feedPosition(c)
	if err != nil {
		return apiFail(c, err)
	}
	wait, err := waitParam(c, "wait", 0)
	if err != nil {
		return apiFail(c, err)
	}
	var items []payment.FeedAttempt
	err = s.waitUntil(c, wait, func() (bool, error) {
		var err error
		items, err = s.Store.AttemptsAfter(c.Request().Context(), after, 100)
		return len(items) > 0, err
	})
	if err != nil && !isTimeout(err) {
		return apiFail(c, err)
	}
	out := controlapi.Feed{Attempts: []controlapi.FeedItem{}, Next: after}
	for _, f := range items {
		n := f.Notification
		item := controlapi.FeedItem{
			FeedID: f.FeedID, NotificationID: n.ID, NotifyID: n.NotifyID, AppID: n.AppID,
			TradeNo: n.Trade.TradeNo, OutTradeNo: n.Trade.OutTradeNo, TradeStatus: s.Channels.StatusName(n.Protocol, n.Trade.Status),
			Attempt:            views.AttemptJSON(f.Attempt),
			NotificationStatus: string(n.Status),
		}
		if n.Status == payment.NotifyPending {
			item.NextAttemptAt = views.Stamp(n.NextAttemptAt)
		}
		out.Attempts = append(out.Attempts, item)
		out.Next = f.FeedID
	}
	return c.JSON(http.StatusOK, out)
}
