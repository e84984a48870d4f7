package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/mockpay/mockpay/payment"
)

type dashAppsView struct {
	dashPage
	Gateway  string
	Apps     []appJSON
	Partners []partnerJSON // the legacy gateway's
}

// dashboardApps is the dashboard's first page: every app with its test keys
// in a form one can select and copy, as GET /_mockpay/api/apps has them.
func (s *Server) dashboardApps(c echo.Context) error {
	v := dashAppsView{dashPage: s.page(c, "Apps", "apps"), Gateway: gatewayURL(c)}
	for _, a := range s.Apps.All() {
		if a.Protocol() == payment.ProtocolLegacy {
			v.Partners = append(v.Partners, s.partnerJSONOf(a, v.Gateway))
			continue
		}
		v.Apps = append(v.Apps, toAppJSON(a, v.Gateway))
	}
	return s.renderDashboard(c, http.StatusOK, "dashboard_apps.html", v)
}
