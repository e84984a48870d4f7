package server

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/mockpay/mockpay/controlapi"
)

// sameOrigin is the dashboard's CSRF defence. The dashboard has no login and
// no cookies; what it must refuse is another web site, open in the
// developer's browser, posting a form to http://127.0.0.1:PORT/_mockpay/…
// (pay a trade, jump the clock). Browsers name the page that sent a POST in
// Origin (on every cross-site POST; "null" when the sender is hidden) and
// usually in Referer, so when either header is present it must name this
// very host, else the post is refused with 403. A request with neither comes
// from curl or a script, not from a page, and passes: a local tool needs no
// token. (DNS rebinding, where the attacker's name resolves to 127.0.0.1,
// is out of scope: there Host matches too.)
func sameOrigin(s *Server) echo.MiddlewareFunc {
	return originGuard(func(c echo.Context, e controlapi.Error) error { return s.dash.ShowError(c, http.StatusForbidden, e) })
}

// apiSameOrigin applies the same rule to the JSON API's state-changing
// routes: a page elsewhere could otherwise post an empty form to
// /_mockpay/api/reset. Safe methods pass; the refusal is JSON.
func apiSameOrigin(next echo.HandlerFunc) echo.HandlerFunc {
	guarded := originGuard(func(c echo.Context, e controlapi.Error) error { return c.JSON(http.StatusForbidden, e) })(next)
	return func(c echo.Context) error {
		if c.Request().Method == http.MethodGet || c.Request().Method == http.MethodHead {
			return next(c)
		}
		return guarded(c)
	}
}

func originGuard(refuse func(echo.Context, controlapi.Error) error) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r := c.Request()
			for _, h := range []string{"Origin", "Referer"} {
				if v := r.Header.Get(h); v != "" && !sameHost(v, r.Host) {
					return refuse(c, controlapi.Error{Code: "cross_site_post",
						Message: "post refused: its " + h + " header names another site, not " + r.Host})
				}
			}
			return next(c)
		}
	}
}

func sameHost(origin, host string) bool {
	u, err := url.Parse(origin)
	return err == nil && u.Host != "" && strings.EqualFold(u.Host, host)
}
