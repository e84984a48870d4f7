package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/mockpay/mockpay/controlapi"
	"github.com/mockpay/mockpay/payment"
)

// certFiles are a cert-mode app's files under the names Alipay's console
// gives them, so SDK set-up code written for the real files works as is.
func certFiles(a *payment.App) map[string]string {
	return map[string]string{
		"appCertPublicKey_" + a.AppID + ".crt": a.Cert.AppCertPEM,
		"alipayCertPublicKey_RSA2.crt":         a.Cert.PlatformCertPEM,
		"alipayRootCert.crt":                   a.Cert.RootCertPEM,
	}
}

type certsJSON struct {
	AppID             string            `json:"app_id"`
	AppCertSN         string            `json:"app_cert_sn"`
	AlipayCertSN      string            `json:"alipay_cert_sn"`
	AlipayRootCertSN  string            `json:"alipay_root_cert_sn"`
	AppCertPEM        string            `json:"app_cert_pem"`
	AlipayCertPEM     string            `json:"alipay_cert_pem"`
	AlipayRootCertPEM string            `json:"alipay_root_cert_pem"`
	Files             map[string]string `json:"files"` // file name -> download URL
}

// certApp finds a cert-mode app or answers why not.
func (s *API) certApp(c echo.Context) (*payment.App, error) {
	a, ok := s.Apps.App(c.Param("app_id"))
	if !ok {
		return nil, c.JSON(http.StatusNotFound, controlapi.Error{Code: "not_found", Message: "no app " + c.Param("app_id")})
	}
	if a.Cert == nil {
		return nil, c.JSON(http.StatusNotFound, controlapi.Error{Code: "not_found", Message: "app " + a.AppID + " is in public-key mode: it has no certificates"})
	}
	return a, nil
}

// AppCerts lists a cert-mode app's certificates, their SNs and file URLs.
func (s *API) AppCerts(c echo.Context) error {
	a, err := s.certApp(c)
	if a == nil {
		return err
	}
	base := c.Scheme() + "://" + c.Request().Host + "/_mockpay/api/apps/" + a.AppID + "/certs/"
	files := map[string]string{}
	for name := range certFiles(a) {
		files[name] = base + name
	}
	return c.JSON(http.StatusOK, certsJSON{
		AppID: a.AppID, AppCertSN: a.Cert.AppCertSN(), AlipayCertSN: a.Cert.PlatformCertSN(), AlipayRootCertSN: a.Cert.RootCertSN(),
		AppCertPEM: a.Cert.AppCertPEM, AlipayCertPEM: a.Cert.PlatformCertPEM, AlipayRootCertPEM: a.Cert.RootCertPEM, Files: files,
	})
}

// AppCertFile downloads one certificate file.
func (s *API) AppCertFile(c echo.Context) error {
	a, err := s.certApp(c)
	if a == nil {
		return err
	}
	pem, ok := certFiles(a)[c.Param("file")]
	if !ok {
		return c.JSON(http.StatusNotFound, controlapi.Error{Code: "not_found", Message: "no certificate file " + c.Param("file")})
	}
	c.Response().Header().Set("Content-Disposition", `attachment; filename="`+c.Param("file")+`"`)
	return c.Blob(http.StatusOK, "application/x-pem-file", []byte(pem))
}
