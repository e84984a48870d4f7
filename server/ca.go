package server

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// caPEM hands out the local CA's certificate (never its key): what a
// merchant names in SSL_CERT_FILE or NODE_EXTRA_CA_CERTS for HTTPS and proxy
// mode.
func (s *Server) caPEM(c echo.Context) error {
	pem, err := s.CAPEM()
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="mockpay-ca.pem"`)
	return c.Blob(http.StatusOK, "application/x-pem-file", []byte(pem))
}
