package server

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/mockpay/mockpay/controlapi"
	"github.com/mockpay/mockpay/payment"
)

// tradeNotifications lists a trade's notifications with every attempt.
func (s *Server) tradeNotifications(c echo.Context) error {
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
		out = append(out, s.toNotificationJSON(n, as))
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) toNotificationJSON(n *payment.Notification, as []*payment.Attempt) controlapi.Notification {
	j := controlapi.Notification{
		ID: n.ID, NotifyID: n.NotifyID, AppID: n.AppID, TradeNo: n.Trade.TradeNo, OutTradeNo: n.Trade.OutTradeNo,
		TradeStatus: s.Channels.StatusName(n.Protocol, n.Trade.Status), URL: n.URL, Status: string(n.Status), AttemptCount: n.Attempts, Redeliveries: n.Redeliveries,
		CreatedAt: stamp(n.CreatedAt), AckedAt: stamp(n.AckedAt), Attempts: []controlapi.Attempt{},
	}
	if n.Status == payment.NotifyPending {
		j.NextAttemptAt = stamp(n.NextAttemptAt)
	}
	for _, a := range as {
		if a.Number > n.Attempts {
			break // recorded after the notification row was read: keep the view consistent
		}
		j.Attempts = append(j.Attempts, toAttemptJSON(a))
	}
	return j
}

func toAttemptJSON(a *payment.Attempt) controlapi.Attempt {
	return controlapi.Attempt{
		Number: a.Number, ScheduledAt: stamp(a.ScheduledAt), StartedAt: stamp(a.StartedAt), URL: a.URL,
		StatusCode: a.StatusCode, LatencyMS: a.Latency.Milliseconds(), LagMS: a.StartedAt.Sub(a.ScheduledAt).Milliseconds(),
		Answer: a.Answer, Acked: a.Acked,
		Verdict: a.Verdict, Request: a.Request,
	}
}

// stamp formats a virtual time for mockpay's API: RFC 3339 in GMT+8, the
// platform's zone, so it reads like the protocol's own timestamps.
func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(payment.CST).Format(time.RFC3339)
}

func (s *Server) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) readyz(c echo.Context) error {
	if s.Ready != nil {
		if err := s.Ready(c.Request().Context()); err != nil {
			return c.JSON(http.StatusServiceUnavailable, apiError{Code: "not_ready", Message: err.Error()})
		}
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
}
