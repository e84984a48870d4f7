package server

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/mockpay/mockpay/cashier"
	"github.com/mockpay/mockpay/controlapi"
	"github.com/mockpay/mockpay/payment"
)

func (s *Server) toTradeJSON(t *payment.Trade) controlapi.Trade {
	return controlapi.Trade{
		TradeNo: t.TradeNo, OutTradeNo: t.OutTradeNo, AppID: t.AppID, PID: t.PID, Status: s.Channels.StatusName(t.Protocol, t.Status),
		Subject: t.Subject, Body: t.Body, TotalAmount: t.Total.Yuan(), ProductCode: t.ProductCode,
		NotifyURL: t.NotifyURL, ReturnURL: t.ReturnURL, BuyerID: t.BuyerID,
		CreatedAt: stamp(t.CreatedAt), PaidAt: stamp(t.PaidAt), ClosedAt: stamp(t.ClosedAt), ExpiresAt: stamp(t.ExpiresAt),
	}
}

// listTrades filters by app_id, out_trade_no, trade_no and status.
func (s *Server) listTrades(c echo.Context) error {
	f, err := s.tradeFilter(c)
	if err != nil {
		return apiFail(c, err)
	}
	ts, err := s.Store.Trades(c.Request().Context(), f)
	if err != nil {
		return apiFail(c, err)
	}
	out := []controlapi.Trade{}
	for _, t := range ts {
		out = append(out, s.toTradeJSON(t))
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) tradeFilter(c echo.Context) (payment.TradeFilter, error) {
	f := payment.TradeFilter{
		AppID: c.QueryParam("app_id"), OutTradeNo: c.QueryParam("out_trade_no"),
		TradeNo: c.QueryParam("trade_no"), Status: s.statusFilter(c.QueryParam("status")),
	}
	if v := c.QueryParam("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return f, badInput("limit %q is not a number", v)
		}
		f.Limit = n
	}
	return f, nil
}

// statusFilter reads a status filter in any channel's words (WAIT_BUYER_PAY)
// or the domain's; a name nobody uses matches no trade, as before.
func (s *Server) statusFilter(name string) payment.Status {
	if st, ok := s.Channels.ParseStatus(name); ok || name == "" {
		return st
	}
	return payment.Status("unknown:" + name)
}

// getTrade returns a trade with its status history and notifications.
func (s *Server) getTrade(c echo.Context) error {
	ctx := c.Request().Context()
	t, err := s.Store.Trade(ctx, c.Param("trade_no"))
	if err != nil {
		return apiFail(c, err)
	}
	j, err := s.tradeDetail(c, t)
	if err != nil {
		return apiFail(c, err)
	}
	return c.JSON(http.StatusOK, j)
}

func (s *Server) tradeDetail(c echo.Context, t *payment.Trade) (controlapi.Trade, error) {
	ctx := c.Request().Context()
	j := s.toTradeJSON(t)
	hist, err := s.Store.TradeHistory(ctx, t.TradeNo)
	if err != nil {
		return j, err
	}
	for _, h := range hist {
		j.History = append(j.History, controlapi.History{At: stamp(h.At), Status: s.Channels.StatusName(t.Protocol, h.Status)})
	}
	ns, err := s.Store.NotificationsOfTrade(ctx, t.TradeNo)
	if err != nil {
		return j, err
	}
	for _, n := range ns {
		as, err := s.Store.Attempts(ctx, n.ID)
		if err != nil {
			return j, err
		}
		j.Notifications = append(j.Notifications, s.toNotificationJSON(n, as))
	}
	return j, nil
}

// tradeAction acts as the buyer on a trade, through the same code as the
// cashier's buttons: pay returns the signed sync-return parameters too.
func (s *Server) tradeAction(c echo.Context) error {
	action := cashier.Action(c.Param("action"))
	res, err := s.Levers.Act(c.Request().Context(), c.Param("trade_no"), action)
	return s.actionAnswer(c, action, res, err)
}

// orderAction acts as the buyer on a merchant's out_trade_no. When no
// browser entered the cashier yet, it enters it first, as a buyer would.
func (s *Server) orderAction(c echo.Context) error {
	action := cashier.Action(c.Param("action"))
	res, err := s.Levers.ActOnOrder(c.Request().Context(), c.Param("app_id"), c.Param("out_trade_no"), action)
	return s.actionAnswer(c, action, res, err)
}

func (s *Server) actionAnswer(c echo.Context, action cashier.Action, res *cashier.Result, err error) error {
	if err != nil {
		return apiFail(c, err)
	}
	out := controlapi.ActionResult{Action: string(action), Trade: s.toTradeJSON(res.Trade), RedirectURL: res.Redirect, Message: res.Message}
	if action == cashier.Pay && res.Redirect != "" {
		if u, err := url.Parse(res.Redirect); err == nil {
			out.ReturnParams = map[string]string{}
			for k, v := range u.Query() {
				out.ReturnParams[k] = v[0]
			}
		}
	}
	return c.JSON(http.StatusOK, out)
}
