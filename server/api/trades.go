package api

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/mockpay/mockpay/cashier"
	"github.com/mockpay/mockpay/controlapi"
	"github.com/mockpay/mockpay/payment"
)

// ListTrades filters by app_id, out_trade_no, trade_no and status, newest
// first, a page at a time (limit, cursor; pages.go).
func (s *API) ListTrades(c echo.Context) error {
	f, err := s.tradeFilter(c)
	if err != nil {
		return apiFail(c, err)
	}
	if f.Before, err = cursorParam(c); err != nil {
		return apiFail(c, err)
	}
	ts, err := s.Store.Trades(c.Request().Context(), f)
	if err != nil {
		return apiFail(c, err)
	}
	if len(ts) > 0 && len(ts) == pageSize(f.Limit) {
		setNextCursor(c, ts[len(ts)-1].ID)
	}
	out := []controlapi.Trade{}
	for _, t := range ts {
		j, err := s.WithRefunds(c.Request().Context(), t)
		if err != nil {
			return apiFail(c, err)
		}
		out = append(out, j)
	}
	return c.JSON(http.StatusOK, out)
}

func (s *API) tradeFilter(c echo.Context) (payment.TradeFilter, error) {
	f := payment.TradeFilter{
		AppID: c.QueryParam("app_id"), OutTradeNo: c.QueryParam("out_trade_no"),
		TradeNo: c.QueryParam("trade_no"), Status: s.StatusFilter(c.QueryParam("status")),
	}
	var err error
	f.Limit, err = limitParam(c)
	return f, err
}

// GetTrade returns a trade with its status history and notifications.
func (s *API) GetTrade(c echo.Context) error {
	ctx := c.Request().Context()
	t, err := s.Store.Trade(ctx, c.Param("trade_no"))
	if err != nil {
		return apiFail(c, err)
	}
	j, err := s.TradeDetail(c.Request().Context(), t)
	if err != nil {
		return apiFail(c, err)
	}
	return c.JSON(http.StatusOK, j)
}

// TradeRefunds lists a trade's refunds, oldest first; an unknown trade is
// trade_not_exist, as the platforms say.
func (s *API) TradeRefunds(c echo.Context) error {
	ctx := c.Request().Context()
	t, err := s.Store.Trade(ctx, c.Param("trade_no"))
	if errors.Is(err, payment.ErrNotFound) {
		err = payment.Errorf(payment.CodeTradeNotExist, "no trade %q", c.Param("trade_no"))
	}
	if err != nil {
		return apiFail(c, err)
	}
	rs, err := s.Refunds(ctx, t.TradeNo)
	if err != nil {
		return apiFail(c, err)
	}
	return c.JSON(http.StatusOK, rs)
}

// TradeAction acts as the buyer on a trade, through the same code as the
// cashier's buttons: pay returns the signed sync-return parameters too.
func (s *API) TradeAction(c echo.Context) error {
	action := cashier.Action(c.Param("action"))
	res, err := s.Levers.Act(c.Request().Context(), c.Param("trade_no"), action)
	return s.actionAnswer(c, action, res, err)
}

// OrderAction acts as the buyer on a merchant's out_trade_no. When no
// browser entered the cashier yet, it enters it first, as a buyer would.
func (s *API) OrderAction(c echo.Context) error {
	action := cashier.Action(c.Param("action"))
	res, err := s.Levers.ActOnOrder(c.Request().Context(), c.Param("app_id"), c.Param("out_trade_no"), action)
	return s.actionAnswer(c, action, res, err)
}

func (s *API) actionAnswer(c echo.Context, action cashier.Action, res *cashier.Result, err error) error {
	if err != nil {
		return apiFail(c, err)
	}
	out := controlapi.ActionResult{Action: string(action), Trade: s.TradeJSON(res.Trade), RedirectURL: res.Redirect, Message: res.Message}
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
