package cashier

import (
	"bytes"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/mockpay/mockpay/payment"
)

type cashierView struct {
	Action  string // where the buttons post
	App     *payment.App
	Trade   *payment.Trade
	Status  string // the trade's status in its channel's words
	Open    bool   // the buyer can still pay
	Buyer   payment.Buyer
	Message string
	QRImage string            // the scanned code's PNG, for a precreate trade
	Hidden  map[string]string // fields the buttons post along (the app order string)
}

type doneView struct {
	Title, Message, Link string
	Good                 bool
}

// Show renders the cashier for a checkout. Entering the cashier is what
// creates the trade (alipay-protocol.md §2.7).
func (h *Cashier) Show(c echo.Context) error {
	token := c.Param("token")
	t, err := h.Service.OpenCheckout(c.Request().Context(), token)
	if err != nil {
		return h.ErrorPage(c, err)
	}
	return h.showTrade(c, cashierView{Action: h.OrderPath(token), Trade: t})
}

// Submit handles the cashier form's buttons.
func (h *Cashier) Submit(c echo.Context) error {
	token := c.Param("token")
	t, err := h.Service.OpenCheckout(c.Request().Context(), token)
	if err != nil {
		return h.ErrorPage(c, err)
	}
	return h.act(c, t.TradeNo, cashierView{Action: h.OrderPath(token)})
}

// act performs the pressed button's action on a trade and answers the
// browser: the next hop, the cashier again after a failed payment, or the
// outcome.
func (h *Cashier) act(c echo.Context, tradeNo string, again cashierView) error {
	ctx := c.Request().Context()
	action := Action(c.FormValue("action"))
	res, err := h.Act(ctx, tradeNo, action)
	if action == Pay && payment.CodeOf(err) == payment.CodeTradeHasSuccess {
		// A second Pay on this cashier's trade (a double click, a form
		// sent again from the back button) finds it paid by the first:
		// the buyer gets the paid result again, the same sync return
		// freshly signed, not an error. Nothing is paid or queued twice.
		if t, terr := h.Service.Trade(ctx, tradeNo); terr == nil && t.Status.Paid() {
			res, err = h.paid(t)
		}
	}
	if err != nil {
		return h.errorPageFor(c, h.protocolOf(c, tradeNo), err)
	}
	switch {
	case res.Redirect != "":
		return c.Redirect(http.StatusSeeOther, res.Redirect)
	case res.Trade.Status == payment.StatusPending && action == Fail:
		again.Trade, again.Message = res.Trade, res.Message
		return h.showTrade(c, again)
	default:
		return h.render(c, "done.html", doneView{Title: "mockpay", Message: res.Message, Good: res.Trade.Status.Paid()})
	}
}

// showTrade renders the cashier for v.Trade.
func (h *Cashier) showTrade(c echo.Context, v cashierView) error {
	app, ok := h.Apps.App(v.Trade.AppID)
	if !ok {
		return h.ErrorPage(c, payment.Errorf(payment.CodeInvalidAppID, "app %s is gone", v.Trade.AppID))
	}
	v.App, v.Buyer = app, h.Service.Buyer
	v.Status, v.Open = h.Channels.StatusName(v.Trade.Protocol, v.Trade.Status), v.Trade.Status == payment.StatusPending
	return h.render(c, "cashier.html", v)
}

// ErrorPage shows an error the way the platform's error page does: HTTP 200,
// the code in the text, no way to pay.
func (h *Cashier) ErrorPage(c echo.Context, err error) error {
	return h.RenderError(c, h.Channels.Default().Describe(err))
}

// errorPageFor words err in the given protocol's terms.
func (h *Cashier) errorPageFor(c echo.Context, p payment.Protocol, err error) error {
	proto, _, ok := h.Channels.Protocol(p)
	if !ok {
		proto = h.Channels.Default()
	}
	return h.RenderError(c, proto.Describe(err))
}

// protocolOf is the protocol a trade was ordered through; the default
// protocol when the trade cannot be read (its own error page then says why).
func (h *Cashier) protocolOf(c echo.Context, tradeNo string) payment.Protocol {
	t, err := h.Service.Trade(c.Request().Context(), tradeNo)
	if err != nil {
		return h.Channels.Default().ID
	}
	return t.Protocol
}

// RenderError renders an already described error.
func (h *Cashier) RenderError(c echo.Context, v ErrorView) error {
	return h.render(c, "error.html", v)
}

// pageCSP is the Content-Security-Policy of the buyer's pages (cashier,
// results, the platform's error page): their own inline style and images
// only, no script at all (the pages need none: every button is a plain
// form post). form-action is left open on purpose: browsers check it
// against the redirects that follow a submission too, and Pay ends in a
// 303 to the shop's return_url on the shop's own origin.
const pageCSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'"

func (h *Cashier) render(c echo.Context, name string, data any) error {
	return h.write(c.Response(), name, data)
}

// write renders a buyer's page straight to w: channel routes, which know no
// echo, show the error page through it too.
func (h *Cashier) write(w http.ResponseWriter, name string, data any) error {
	var buf bytes.Buffer
	if err := h.Templates.ExecuteTemplate(&buf, name, data); err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Security-Policy", pageCSP)
	w.Header().Set("Content-Type", echo.MIMETextHTMLCharsetUTF8)
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(buf.Bytes())
	return err
}
