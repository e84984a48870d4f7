package server

import (
	"errors"
	"io"
	"mime"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/mockpay/mockpay/cashier"
	"github.com/mockpay/mockpay/channel/alipay/kit"
	"github.com/mockpay/mockpay/channel/alipay/mapi"
	"github.com/mockpay/mockpay/channel/alipay/openapi"
	"github.com/mockpay/mockpay/payment"
)

// gateway adapts /gateway.do to the Alipay codec: query and form body are
// handed over raw, because the signature covers the bytes the merchant
// encoded, in the merchant's charset.
func (s *Server) gateway(c echo.Context) error {
	req := c.Request()
	var out openapi.Outcome
	body, err := readForm(c.Response(), req)
	if s.Legacy != nil && mapi.Wants(req.URL.RawQuery, body) {
		return s.legacyGateway(c, body, err)
	}
	if err != nil {
		out = s.Gateway.Reject(req.URL.RawQuery, body, bodyError(err))
	} else {
		ctx := openapi.WithBaseURL(req.Context(), c.Scheme()+"://"+req.Host)
		out = s.Gateway.Handle(ctx, req.URL.RawQuery, body)
	}
	switch {
	case out.Cashier != "":
		return c.Redirect(http.StatusSeeOther, "/cashier/"+out.Cashier)
	case out.Page != nil:
		return s.Cashier.RenderError(c, cashier.ErrorView{SubCode: out.Page.Wire.SubCode, SubMsg: out.Page.Wire.SubMsg, Detail: out.Page.Detail})
	default:
		// Real responses are JSON served as text/html (§2.5); the answer
		// CSP (securityHeaders) keeps a browser that opens one from
		// running anything in it.
		return c.Blob(http.StatusOK, "text/html;charset="+string(out.API.Charset), out.API.Body)
	}
}

// bodyError words a failure to read the request body as a gateway error.
func bodyError(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return payment.Errorf(payment.CodeRequestTooLarge, "request body is larger than %d bytes", MaxBodyBytes)
	}
	return payment.Errorf(payment.CodeInvalidParameter, "reading the request body: %v", err)
}

// readForm returns the raw form body of a urlencoded POST ("" otherwise).
// When the body cannot be read whole, it returns the complete pairs read
// before the failure with the error, so that the answer can still be given
// in the shape the request's method or service asks for.
func readForm(w http.ResponseWriter, req *http.Request) (string, error) {
	if req.Method != http.MethodPost || req.Body == nil {
		return "", nil
	}
	if ct := req.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || mt != "application/x-www-form-urlencoded" {
			return "", nil
		}
	}
	b, err := io.ReadAll(http.MaxBytesReader(w, req.Body, MaxBodyBytes))
	if err != nil {
		return kit.CompletePairs(string(b)), err
	}
	return string(b), nil
}
