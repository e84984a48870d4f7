package server

import (
	"mime"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/mockpay/mockpay/payment"
)

// billFile serves a bill_download_url: the zip, or 404 for an altered or
// expired URL (the real file server answers those with an error page).
func (s *Server) billFile(c echo.Context) error {
	name, zip, err := s.Gateway.BillFile(c.Request().Context(), c.Request().URL.RawQuery)
	if err != nil {
		status := http.StatusNotFound
		if payment.CodeOf(err) == payment.CodeSystemError {
			status = http.StatusInternalServerError
		}
		return c.String(status, payment.DetailOf(err))
	}
	c.Response().Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	return c.Blob(http.StatusOK, "application/zip", zip)
}
