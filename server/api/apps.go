package api

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/mockpay/mockpay/controlapi"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/server/views"
	"github.com/mockpay/mockpay/sign"
)

// ListApps returns the apps with their test keys, in the order they were
// added, a page at a time (limit, cursor; pages.go): CI scripts read keys
// here.
func (s *API) ListApps(c echo.Context) error {
	limit, err := limitParam(c)
	if err != nil {
		return apiFail(c, err)
	}
	from, err := cursorParam(c)
	if err != nil {
		return apiFail(c, err)
	}
	all := s.Apps.All()
	from = min(from, int64(len(all)))
	page := all[from:min(from+int64(pageSize(limit)), int64(len(all)))]
	out := []any{}
	for _, a := range page {
		out = append(out, s.AppView(a, baseURL(c)).Fields)
	}
	if next := from + int64(len(page)); next < int64(len(all)) {
		setNextCursor(c, next)
	}
	return c.JSON(http.StatusOK, out)
}

// baseURL is scheme://host the client reached mockpay under.
func baseURL(c echo.Context) string {
	return c.Scheme() + "://" + c.Request().Host
}

// GetApp returns one app with its keys.
func (s *API) GetApp(c echo.Context) error {
	a, ok := s.Apps.App(c.Param("app_id"))
	if !ok {
		return apiFail(c, payment.Errorf(payment.CodeInvalidAppID, "no app %q", c.Param("app_id")))
	}
	return c.JSON(http.StatusOK, s.AppView(a, baseURL(c)).Fields)
}

// CreateApp registers a sandbox app: generated keys, or the merchant's own
// public key. Each app gets its own pid, so parallel test suites that use
// separate apps never see each other's trades.
func (s *API) CreateApp(c echo.Context) error {
	var req controlapi.CreateAppRequest
	if err := bindJSON(c, &req); err != nil {
		return apiFail(c, err)
	}
	if req.RefundWindowDays < 0 || req.RefundWindowDays > maxRefundWindowDays {
		return apiFail(c, views.BadInput("refund_window_days must be within 0..%d", maxRefundWindowDays))
	}
	certMode := false
	switch req.KeyMode {
	case "", "public_key":
	case "certificate", "cert": // "cert" is how the app views name it
		certMode = true
	default:
		return apiFail(c, views.BadInput("key_mode %q: use public_key or certificate", req.KeyMode))
	}
	app, err := s.Levers.CreateApp(c.Request().Context(), payment.AppSpec{Name: req.Name, SignType: sign.Type(req.SignType), AppPublicKeyPEM: req.AppPublicKeyPEM,
		RefundWindow: time.Duration(req.RefundWindowDays) * 24 * time.Hour, ContentKey: req.AESKey, Certificates: certMode})
	if err != nil {
		return apiFail(c, err)
	}
	return c.JSON(http.StatusCreated, s.AppView(app, baseURL(c)).Fields)
}

// maxRefundWindowDays bounds refund_window_days at ten years, far inside
// what the store's Unix nanoseconds hold.
const maxRefundWindowDays = 3650

// bindJSON decodes a JSON body strictly; an empty body is an empty object.
func bindJSON(c echo.Context, dst any) error {
	dec := json.NewDecoder(c.Request().Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil && !errors.Is(err, io.EOF) {
		return views.BadInput("body is not the expected JSON: %v", err)
	}
	return nil
}
