package dashboard

import (
	"net/http"
	"sort"

	"github.com/labstack/echo/v4"

	"github.com/mockpay/mockpay/controlapi"
	"github.com/mockpay/mockpay/journal"
	"github.com/mockpay/mockpay/levers"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/server/views"
)

// homeRows is how many rows each section of the home page shows.
const homeRows = 10

type dashHomeView struct {
	dashPage
	Trades   []controlapi.Trade
	Failing  []controlapi.Notification
	Rejected []controlapi.Request
	Apps     int
	Gateways []string
	// Choices and Outcomes fill the trigger form.
	Choices  []appChoice
	Outcomes []string
}

// ShowHome is the dashboard's first page, a place to watch: the newest
// trades, the notifications the shop is failing (refused and retrying, or
// given up) and the platform requests that were rejected. The keys are on
// the apps page.
func (s *Dashboard) ShowHome(c echo.Context) error {
	ctx := c.Request().Context()
	v := dashHomeView{dashPage: s.page(c, "Home", "home"), Apps: len(s.Apps.All()), Outcomes: levers.Outcomes}
	for _, a := range s.Apps.All() {
		v.Choices = append(v.Choices, appChoice{AppID: a.AppID, Name: a.Name})
	}
	for _, ch := range s.Channels.Channels() {
		v.Gateways = append(v.Gateways, baseURL(c)+ch.Gateway)
	}
	ts, err := s.Store.Trades(ctx, payment.TradeFilter{Limit: homeRows})
	if err != nil {
		return s.fail(c, err)
	}
	for _, t := range ts {
		v.Trades = append(v.Trades, s.TradeJSON(t))
	}
	if v.Failing, err = s.failing(c, homeRows); err != nil {
		return s.fail(c, err)
	}
	if s.Journal != nil {
		for _, e := range s.Journal.Newest(journal.Filter{Verdict: journal.VerdictRejected}, homeRows) {
			v.Rejected = append(v.Rejected, views.RequestJSON(e))
		}
	}
	return s.render(c, http.StatusOK, "dashboard_home.html", v)
}

// failing is up to n notifications whose last attempt the shop did not
// acknowledge, the newest first: pending after a refusal, or given up.
func (s *Dashboard) failing(c echo.Context, n int) ([]controlapi.Notification, error) {
	ctx := c.Request().Context()
	var out []*payment.Notification
	for _, st := range []payment.NotificationStatus{payment.NotifyPending, payment.NotifyGaveUp} {
		ns, err := s.Store.Notifications(ctx, payment.NotificationFilter{Status: st, Limit: 200})
		if err != nil {
			return nil, err
		}
		for _, x := range ns {
			if x.Attempts > 0 {
				out = append(out, x)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID > out[j].ID })
	var js []controlapi.Notification
	for _, x := range out[:min(n, len(out))] {
		js = append(js, s.NotificationJSON(x, nil))
	}
	return js, nil
}
