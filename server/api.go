package server

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/mockpay/mockpay/payment"
)

// Inspector reads what the dispatcher did; store.DB implements it.
type Inspector interface {
	NotificationsOfTrade(ctx context.Context, tradeNo string) ([]*payment.Notification, error)
	Attempts(ctx context.Context, notificationID int64) ([]*payment.Attempt, error)
}

type appJSON struct {
	Protocol              string `json:"protocol"` // "openapi"; legacy partners are partnerJSON
	AppID                 string `json:"app_id"`
	Name                  string `json:"name"`
	PID                   string `json:"pid"`
	SellerID              string `json:"seller_id"`
	SellerEmail           string `json:"seller_email"`
	SignType              string `json:"sign_type"`
	KeyMode               string `json:"key_mode"`
	GatewayURL            string `json:"gateway_url"`
	AppPrivateKeyPEM      string `json:"app_private_key_pem"`
	AppPrivateKeyPKCS8PEM string `json:"app_private_key_pkcs8_pem"`
	AppPublicKeyPEM       string `json:"app_public_key_pem"`
	AlipayPublicKeyPEM    string `json:"alipay_public_key_pem"`
}

// listApps returns every app with its test keys: CI scripts read keys here.
func (s *Server) listApps(c echo.Context) error {
	gw := c.Scheme() + "://" + c.Request().Host + "/gateway.do"
	out := []any{}
	for _, a := range s.Apps.All() {
		if a.Protocol() == payment.ProtocolLegacy {
			out = append(out, partnerJSONOf(a, gw))
			continue
		}
		out = append(out, appJSON{
			Protocol: "openapi", AppID: a.AppID, Name: a.Name, PID: a.PID, SellerID: a.PID, SellerEmail: a.SellerEmail,
			SignType: string(a.SignType), KeyMode: "public_key", GatewayURL: gw,
			AppPrivateKeyPEM: a.AppPrivateKeyPEM, AppPrivateKeyPKCS8PEM: a.AppPrivateKeyPKCS8PEM,
			AppPublicKeyPEM: a.AppPublicKeyPEM, AlipayPublicKeyPEM: a.PlatformPublicKeyPEM,
		})
	}
	return c.JSON(http.StatusOK, out)
}

type attemptJSON struct {
	Number      int    `json:"number"`
	ScheduledAt string `json:"scheduled_at"`
	StartedAt   string `json:"started_at"`
	URL         string `json:"url"`
	StatusCode  int    `json:"status_code"`
	LatencyMS   int64  `json:"latency_ms"`
	Answer      string `json:"answer"`
	Acked       bool   `json:"acked"`
	Verdict     string `json:"verdict"`
	Request     string `json:"request"`
}

type notificationJSON struct {
	ID            int64         `json:"id"`
	NotifyID      string        `json:"notify_id"`
	AppID         string        `json:"app_id"`
	TradeNo       string        `json:"trade_no"`
	OutTradeNo    string        `json:"out_trade_no"`
	TradeStatus   string        `json:"trade_status"`
	URL           string        `json:"url"`
	Status        string        `json:"status"`
	AttemptCount  int           `json:"attempt_count"`
	NextAttemptAt string        `json:"next_attempt_at,omitempty"`
	CreatedAt     string        `json:"created_at"`
	AckedAt       string        `json:"acked_at,omitempty"`
	Attempts      []attemptJSON `json:"attempts"`
}

// tradeNotifications lists a trade's notifications with every attempt.
func (s *Server) tradeNotifications(c echo.Context) error {
	ctx := c.Request().Context()
	ns, err := s.Inspector.NotificationsOfTrade(ctx, c.Param("trade_no"))
	if err != nil {
		return err
	}
	out := []notificationJSON{}
	for _, n := range ns {
		as, err := s.Inspector.Attempts(ctx, n.ID)
		if err != nil {
			return err
		}
		out = append(out, toNotificationJSON(n, as))
	}
	return c.JSON(http.StatusOK, out)
}

func toNotificationJSON(n *payment.Notification, as []*payment.Attempt) notificationJSON {
	j := notificationJSON{
		ID: n.ID, NotifyID: n.NotifyID, AppID: n.AppID, TradeNo: n.Trade.TradeNo, OutTradeNo: n.Trade.OutTradeNo,
		TradeStatus: string(n.Trade.Status), URL: n.URL, Status: string(n.Status), AttemptCount: n.Attempts,
		CreatedAt: stamp(n.CreatedAt), AckedAt: stamp(n.AckedAt), Attempts: []attemptJSON{},
	}
	if n.Status == payment.NotifyPending {
		j.NextAttemptAt = stamp(n.NextAttemptAt)
	}
	for _, a := range as {
		j.Attempts = append(j.Attempts, attemptJSON{
			Number: a.Number, ScheduledAt: stamp(a.ScheduledAt), StartedAt: stamp(a.StartedAt), URL: a.URL,
			StatusCode: a.StatusCode, LatencyMS: a.Latency.Milliseconds(), Answer: a.Answer, Acked: a.Acked,
			Verdict: a.Verdict, Request: a.Request,
		})
	}
	return j
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

type dashboardView struct {
	Apps    []*payment.App
	Gateway string
	Now     string
}

// dashboard is the first screen of mockpay's own UI.
func (s *Server) dashboard(c echo.Context) error {
	v := dashboardView{
		Apps:    s.Apps.All(),
		Gateway: c.Scheme() + "://" + c.Request().Host + "/gateway.do",
		Now:     stamp(s.Clock.Now()),
	}
	return c.Render(http.StatusOK, "dashboard.html", v)
}
