package dashboard

import (
	"net/http"
	"net/url"
	"sort"

	"github.com/labstack/echo/v4"

	"github.com/mockpay/mockpay/controlapi"
	"github.com/mockpay/mockpay/payment"
)

// dashTradesLimit is how many trades the list shows, newest first.
const dashTradesLimit = 100

type dashTradesView struct {
	dashPage
	Trades   []controlapi.Trade
	Apps     []appChoice
	Statuses []string
	AppID    string // the filter as given
	Status   string
	Limit    int
}

type appChoice struct{ AppID, Name string }

// ShowTrades lists trades, newest first, filtered by app and status
// through a GET form.
func (s *Dashboard) ShowTrades(c echo.Context) error {
	v := dashTradesView{dashPage: s.page(c, "Trades", "trades"), Statuses: s.Channels.StatusNames(),
		AppID: c.QueryParam("app_id"), Status: c.QueryParam("status"), Limit: dashTradesLimit}
	for _, a := range s.Apps.All() {
		v.Apps = append(v.Apps, appChoice{AppID: a.AppID, Name: a.Name})
	}
	ts, err := s.Store.Trades(c.Request().Context(),
		payment.TradeFilter{AppID: v.AppID, Status: s.StatusFilter(v.Status), Limit: v.Limit})
	if err != nil {
		return s.fail(c, err)
	}
	for _, t := range ts {
		v.Trades = append(v.Trades, s.TradeJSON(t))
	}
	return s.render(c, http.StatusOK, "dashboard_trades.html", v)
}

type dashTradeView struct {
	dashPage
	Trade         controlapi.Trade
	Notifications []dashNotification
	CanAct        bool // the buyer buttons apply
	// CanSettle: the trade's refunds settle after the answer, so its
	// successful refunds get the Fail and Close buttons (the refund
	// outcome levers).
	CanSettle bool
}

type dashNotification struct {
	controlapi.Notification
	Payload []field // the form body of the latest attempt
}

type field struct{ Key, Value string }

// ShowTrade shows a trade with its status history and every
// notification: payload, attempts, next retry and a Redeliver button.
func (s *Dashboard) ShowTrade(c echo.Context) error {
	t, err := s.Store.Trade(c.Request().Context(), c.Param("trade_no"))
	if err != nil {
		return s.fail(c, payment.Errorf(payment.CodeTradeNotExist, "no trade %q", c.Param("trade_no")))
	}
	j, err := s.TradeDetail(c.Request().Context(), t)
	if err != nil {
		return s.fail(c, err)
	}
	v := dashTradeView{dashPage: s.page(c, "Trade "+t.TradeNo, "trades"), Trade: j, CanAct: t.Status == payment.StatusPending,
		CanSettle: s.Channels.RefundOutcomes(t.Protocol)}
	for _, n := range j.Notifications {
		dn := dashNotification{Notification: n}
		if len(n.Attempts) > 0 && n.Payload == "" {
			dn.Payload = formFields(n.Attempts[len(n.Attempts)-1].Request)
		}
		v.Notifications = append(v.Notifications, dn)
	}
	return s.render(c, http.StatusOK, "dashboard_trade.html", v)
}

// formFields decodes a notification's form body into sorted key/value rows;
// a body that is not a valid form is shown whole under an empty key.
func formFields(body string) []field {
	q, err := url.ParseQuery(body)
	if err != nil {
		return []field{{Value: body}}
	}
	var out []field
	for k, vs := range q {
		for _, v := range vs {
			out = append(out, field{Key: k, Value: v})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}
