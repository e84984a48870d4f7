package dashboard

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"
)

type dashAppsView struct {
	dashPage
	Gateway string
	// Sections are the apps by the dashboard section their protocol puts
	// them in (channel.AppView), as GET /_mockpay/api/apps has them.
	Sections map[string][]any
	// Others are the apps of sections the template has no layout for
	// (another platform's, e.g. WeChat Pay's merchants): their fields as
	// the API names them, short values first, PEMs after.
	Others []otherApp
}

// otherApp is one app of a section without its own layout.
type otherApp struct {
	Section, AppID string
	Fields, PEMs   []field
}

// laidOut are the sections dashboard_apps.html lays out itself.
var laidOut = map[string]bool{"apps": true, "partners": true, "unionpay": true}

// otherOf reads an app view's fields through its JSON (the apps API's
// names); a view that is not a JSON object of strings shows nothing.
func otherOf(section string, fields any) otherApp {
	o := otherApp{Section: section}
	raw, err := json.Marshal(fields)
	var m map[string]string
	if err != nil || json.Unmarshal(raw, &m) != nil {
		return o
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if strings.Contains(m[k], "-----BEGIN") {
			o.PEMs = append(o.PEMs, field{Key: k, Value: m[k]})
		} else {
			o.Fields = append(o.Fields, field{Key: k, Value: m[k]})
		}
	}
	o.AppID = m["app_id"]
	return o
}

// ShowApps is the dashboard's first page: every app with its test keys
// in a form one can select and copy, as GET /_mockpay/api/apps has them.
func (s *Dashboard) ShowApps(c echo.Context) error {
	v := dashAppsView{dashPage: s.page(c, "Apps", "apps"), Gateway: baseURL(c) + s.Channels.Channels()[0].Gateway, Sections: map[string][]any{}}
	for _, a := range s.Apps.All() {
		view := s.AppView(a, baseURL(c))
		v.Sections[view.Section] = append(v.Sections[view.Section], view.Fields)
		if !laidOut[view.Section] {
			v.Others = append(v.Others, otherOf(view.Section, view.Fields))
		}
	}
	return s.render(c, http.StatusOK, "dashboard_apps.html", v)
}

// baseURL is scheme://host the client reached mockpay under.
func baseURL(c echo.Context) string {
	return c.Scheme() + "://" + c.Request().Host
}
