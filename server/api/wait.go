package api

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/mockpay/mockpay/controlapi"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/server/views"
	"github.com/mockpay/mockpay/watch"
)

// maxWait bounds a long poll; CI callers loop if they need longer.
const maxWait = 120 * time.Second

func isTimeout(err error) bool { return errors.Is(err, watch.ErrTimeout) }

// waitParam reads a duration query parameter ("30s", "2m").
func waitParam(c echo.Context, name string, def time.Duration) (time.Duration, error) {
	v := c.QueryParam(name)
	if v == "" {
		return def, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		return 0, views.BadInput("%s %q is not a duration such as 30s", name, v)
	}
	return min(d, maxWait), nil
}

// waitUntil re-checks cond after every change until it holds, the request
// ends or the (real-time) wait runs out. The wait is real time on purpose:
// it bounds how long a CI job blocks, whatever the virtual clock does.
func (s *API) waitUntil(c echo.Context, wait time.Duration, cond func() (bool, error)) error {
	ctx, cancel := views.PollContext(c.Request().Context(), s.Stopping)
	defer cancel()
	err := s.Changes.Until(ctx, wait, cond)
	if err != nil && views.Stopped(s.Stopping) && c.Request().Context().Err() == nil {
		return watch.ErrTimeout // shutting down: answer as a wait that ran out
	}
	return err
}

// waitTarget reads what a long poll waits for: ?timeout= and the trade, by
// trade_no or by app_id + out_trade_no. A wait that could never end well
// is answered at once instead of after its timeout: a malformed parameter
// (400) or a trade_no or app_id that does not exist (404; mockpay issues
// trade numbers, so an unknown one never appears). An unknown out_trade_no
// of a known app is waited for: the trade appears when the buyer enters
// the cashier, after the wait may have begun.
func (s *API) waitTarget(c echo.Context) (time.Duration, payment.TradeFilter, error) {
	wait, err := waitParam(c, "timeout", 30*time.Second)
	if err != nil {
		return 0, payment.TradeFilter{}, err
	}
	f, err := s.tradeFilter(c)
	if err != nil {
		return 0, f, err
	}
	switch {
	case f.TradeNo != "":
		if _, err := s.Store.Trade(c.Request().Context(), f.TradeNo); errors.Is(err, payment.ErrNotFound) {
			return 0, f, payment.Errorf(payment.CodeTradeNotExist, "no trade %q (trade numbers are mockpay's: GET /_mockpay/api/trades lists them)", f.TradeNo)
		} else if err != nil {
			return 0, f, err
		}
	case f.AppID == "" || f.OutTradeNo == "":
		return 0, f, views.BadInput("name the trade: trade_no, or app_id and out_trade_no")
	}
	if f.AppID != "" {
		if _, ok := s.Apps.App(f.AppID); !ok {
			return 0, f, payment.Errorf(payment.CodeInvalidAppID, "no app %q (GET /_mockpay/api/apps lists them)", f.AppID)
		}
	}
	return wait, f, nil
}

// notificationStatuses are the states a notification wait may name (the
// trade statuses are the registered channels' names, Set.StatusNames).
var notificationStatuses = []string{string(payment.NotifyPending), string(payment.NotifyAcked), string(payment.NotifyGaveUp)}

// oneOf refuses a status= that no trade or notification ever has, naming
// the ones that exist; empty means any.
func oneOf(name, v string, allowed []string) error {
	if v == "" || slices.Contains(allowed, v) {
		return nil
	}
	return views.BadInput("%s %q: use one of %s", name, v, strings.Join(allowed, ", "))
}

func timeoutAnswer(c echo.Context, what string) error {
	return c.JSON(http.StatusRequestTimeout, controlapi.Error{Code: "timeout", Message: what})
}

// WaitTrade answers when a trade (by trade_no, or app_id + out_trade_no)
// reaches ?status=, or 408 after ?timeout= (default 30s).
func (s *API) WaitTrade(c echo.Context) error {
	wait, f, err := s.waitTarget(c)
	if _, known := s.Channels.ParseStatus(c.QueryParam("status")); err == nil && !known {
		err = oneOf("status", c.QueryParam("status"), s.Channels.StatusNames())
	}
	if err != nil {
		return apiFail(c, err)
	}
	want := f.Status
	f.Status, f.Limit = "", 1
	var found *payment.Trade
	err = s.waitUntil(c, wait, func() (bool, error) {
		ts, err := s.Store.Trades(c.Request().Context(), f)
		if err != nil || len(ts) == 0 {
			return false, err
		}
		found = ts[0]
		return want == "" || found.Status == want, nil
	})
	if isTimeout(err) {
		return timeoutAnswer(c, "the trade did not reach status "+string(want)+" in time")
	}
	if err != nil {
		return apiFail(c, err)
	}
	j, err := s.TradeDetail(c.Request().Context(), found)
	if err != nil {
		return apiFail(c, err)
	}
	return c.JSON(http.StatusOK, j)
}

// WaitNotification answers when a notification of a trade (by trade_no,
// or app_id + out_trade_no) reaches ?status= (pending, acked, gave_up) and
// has at least ?attempts= attempts, or 408 after ?timeout=.
func (s *API) WaitNotification(c echo.Context) error {
	wait, f, err := s.waitTarget(c)
	if err != nil {
		return apiFail(c, err)
	}
	minAttempts := 0
	if v := c.QueryParam("attempts"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return apiFail(c, views.BadInput("attempts %q: a whole number of attempts, 0 or more", v))
		}
		minAttempts = n
	}
	want := payment.NotificationStatus(c.QueryParam("status"))
	if err := oneOf("status", string(want), notificationStatuses); err != nil {
		return apiFail(c, err)
	}
	ctx := c.Request().Context()
	var found *payment.Notification
	err = s.waitUntil(c, wait, func() (bool, error) {
		tradeNo := f.TradeNo
		if tradeNo == "" {
			ts, err := s.Store.Trades(ctx, payment.TradeFilter{AppID: f.AppID, OutTradeNo: f.OutTradeNo, Limit: 1})
			if err != nil || len(ts) == 0 {
				return false, err
			}
			tradeNo = ts[0].TradeNo
		}
		ns, err := s.Store.NotificationsOfTrade(ctx, tradeNo)
		if err != nil {
			return false, err
		}
		for i := len(ns) - 1; i >= 0; i-- { // the newest that matches
			n := ns[i]
			if (want == "" || n.Status == want) && n.Attempts >= minAttempts {
				found = n
				return true, nil
			}
		}
		return false, nil
	})
	if isTimeout(err) {
		return timeoutAnswer(c, "no notification of that trade reached the state in time")
	}
	if err != nil {
		return apiFail(c, err)
	}
	as, err := s.Store.Attempts(ctx, found.ID)
	if err != nil {
		return apiFail(c, err)
	}
	return c.JSON(http.StatusOK, s.NotificationJSON(found, as))
}
