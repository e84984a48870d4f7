package dashboard

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/mockpay/mockpay/controlapi"
	"github.com/mockpay/mockpay/faults"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/server/views"
)

type dashFaultsView struct {
	dashPage
	Faults   controlapi.Faults
	Apps     []appPlan
	Verdicts controlapi.Verdicts
}

type appPlan struct {
	AppID, Name, Plan string
}

// ShowFaults is the fault scenarios page: the verdicts first (a failure in
// red), then each app's plan in a form, then what can be chosen.
func (s *Dashboard) ShowFaults(c echo.Context) error {
	v := dashFaultsView{dashPage: s.page(c, "Faults", "faults"), Faults: views.FaultsJSON(s.Faults)}
	for _, a := range s.Apps.All() {
		v.Apps = append(v.Apps, appPlan{AppID: a.AppID, Name: a.Name, Plan: s.Faults.App(a.AppID).String()})
	}
	var err error
	if v.Verdicts, err = s.Views.Verdicts(c.Request().Context(), ""); err != nil {
		return s.fail(c, err)
	}
	return s.render(c, http.StatusOK, "dashboard_faults.html", v)
}

// SetFaults is the plan form of one app.
func (s *Dashboard) SetFaults(c echo.Context) error {
	id := c.Param("app_id")
	if _, ok := s.Apps.App(id); !ok {
		return s.fail(c, payment.Errorf(payment.CodeInvalidAppID, "no app %q", id))
	}
	p, err := faults.Parse(c.FormValue("plan"))
	if err != nil {
		return s.fail(c, views.BadInput("plan: %v", err))
	}
	if err := s.Faults.Set(id, p); err != nil {
		// The plan was not kept: say so rather than show the old one as
		// if it were the new.
		return s.fail(c, err)
	}
	u := url.URL{Path: "/_mockpay/faults", RawQuery: url.Values{"done": {"faults"}}.Encode(), Fragment: "app-" + id}
	return c.Redirect(http.StatusSeeOther, u.String())
}
