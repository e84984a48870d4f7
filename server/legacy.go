package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/mockpay/mockpay/cashier"
	"github.com/mockpay/mockpay/channel/alipay/mapi"
)

// legacyGateway answers a legacy MAPI request (service=) given its raw form
// body, or the error reading it.
func (s *Server) legacyGateway(c echo.Context, body string, readErr error) error {
	req := c.Request()
	var out mapi.Outcome
	if readErr != nil {
		out = s.Legacy.Reject(req.URL.RawQuery, body, bodyError(readErr))
	} else {
		out = s.Legacy.Handle(req.Context(), req.URL.RawQuery, body)
	}
	return s.legacyReply(c, out)
}

// cooperateGateway is /cooperate/gateway.do, which only older legacy demos
// use, so every request is a legacy one.
func (s *Server) cooperateGateway(c echo.Context) error {
	body, err := readForm(c.Response(), c.Request())
	return s.legacyGateway(c, body, err)
}

// notifyQuery is /trade/notify_query.do: notify_verify without service=.
func (s *Server) notifyQuery(c echo.Context) error {
	req := c.Request()
	body, err := readForm(c.Response(), req)
	return s.legacyReply(c, s.Legacy.NotifyQuery(req.Context(), req.URL.RawQuery, body, err))
}

func (s *Server) legacyReply(c echo.Context, out mapi.Outcome) error {
	switch {
	case out.Cashier != "":
		return c.Redirect(http.StatusSeeOther, "/cashier/"+out.Cashier)
	case out.SellerRefund != "":
		return c.Redirect(http.StatusSeeOther, cashier.RefundBatchPath(out.SellerRefund))
	case out.Page != nil:
		return s.Cashier.RenderError(c, cashier.ErrorView{SubCode: out.Page.Wire.Code, SubMsg: out.Page.Wire.Reason, Detail: out.Page.Detail})
	default:
		return c.Blob(http.StatusOK, out.Reply.ContentType, out.Reply.Body)
	}
}
