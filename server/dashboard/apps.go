package dashboard

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

type dashAppsView struct {
	dashPage
	Gateway string
	// Sections are the apps by the dashboard section their protocol puts
	// them in (channel.AppView), as GET /_mockpay/api/apps has them.
	Sections map[string][]any
}

// ShowApps is the dashboard's first page: every app with its test keys
// in a form one can select and copy, as GET /_mockpay/api/apps has them.
func (s *Dashboard) ShowApps(c echo.Context) error {
	v := dashAppsView{dashPage: s.page(c, "Apps", "apps"), Gateway: baseURL(c) + s.Channels.Channels()[0].Gateway, Sections: map[string][]any{}}
	for _, a := range s.Apps.All() {
		view := s.AppView(a, baseURL(c))
		v.Sections[view.Section] = append(v.Sections[view.Section], view.Fields)
	}
	return s.render(c, http.StatusOK, "dashboard_apps.html", v)
}

// baseURL is scheme://host the client reached mockpay under.
func baseURL(c echo.Context) string {
	return c.Scheme() + "://" + c.Request().Host
}
