package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/controlapi"
	"github.com/mockpay/mockpay/payment"
)

// certApp finds an app with certificates (its channel's Certs) or answers
// why not.
func (s *API) certApp(c echo.Context) (*payment.App, channel.Certs, error) {
	a, ok := s.Apps.App(c.Param("app_id"))
	if !ok {
		return nil, channel.Certs{}, c.JSON(http.StatusNotFound, controlapi.Error{Code: "not_found", Message: "no app " + c.Param("app_id")})
	}
	certs, ok := s.Channels.Certs(a)
	if !ok {
		return nil, certs, c.JSON(http.StatusNotFound, controlapi.Error{Code: "not_found", Message: "app " + a.AppID + " is in public-key mode: it has no certificates"})
	}
	return a, certs, nil
}

// AppCerts lists a cert-mode app's certificates, their SNs and file URLs.
func (s *API) AppCerts(c echo.Context) error {
	a, certs, err := s.certApp(c)
	if a == nil {
		return err
	}
	base := c.Scheme() + "://" + c.Request().Host + "/_mockpay/api/apps/" + a.AppID + "/certs/"
	files := map[string]string{}
	for name := range certs.Files {
		files[name] = base + name
	}
	return c.JSON(http.StatusOK, certs.View(files))
}

// AppCertFile downloads one certificate file.
func (s *API) AppCertFile(c echo.Context) error {
	a, certs, err := s.certApp(c)
	if a == nil {
		return err
	}
	pem, ok := certs.Files[c.Param("file")]
	if !ok {
		return c.JSON(http.StatusNotFound, controlapi.Error{Code: "not_found", Message: "no certificate file " + c.Param("file")})
	}
	c.Response().Header().Set("Content-Disposition", `attachment; filename="`+c.Param("file")+`"`)
	return c.Blob(http.StatusOK, "application/x-pem-file", []byte(pem))
}
