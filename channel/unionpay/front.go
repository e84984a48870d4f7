package unionpay

import (
	"context"
	"net/http"

	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/channel/unionpay/acp"
	"github.com/mockpay/mockpay/payment"
)

// Products of the trades UnionPay orders open.
const (
	productConsume    payment.Product = "unionpay_consume"    // front consume, txnType 01 (§5.1)
	productPreAuth    payment.Product = "unionpay_preauth"    // front pre-auth, txnType 02 (§5.7)
	productApp        payment.Product = "unionpay_app"        // app consume, appTransReq.do (§5.3)
	productCompletion payment.Product = "unionpay_completion" // pre-auth completion, txnType 03 (§5.7)
)

// front is frontTransReq.do (§5.1, §5.7): the browser's auto-submitted
// form. A good consume or pre-auth goes on to the cashier with 302 and an
// empty body ([NODE-LR] wants exactly that); a bad one gets the gateway's
// HTML error page with the respCode.
func (g *gateway) front(w http.ResponseWriter, req *http.Request) {
	ctx := req.Context()
	in, err := g.read(req)
	if err == nil {
		var c *payment.Checkout
		if c, err = g.frontOrder(ctx, in); err == nil {
			channel.Report(ctx, channel.Verdict{App: in.f["merId"], Method: "txnType " + in.f["txnType"]})
			w.Header().Set("Location", g.d.Pages.OrderPath(c.Token))
			w.WriteHeader(http.StatusFound)
			return
		}
	}
	channel.Report(ctx, verdict(in, err))
	if werr := g.d.Pages.WriteError(w, describe(err)); werr != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
	}
}

func (g *gateway) frontOrder(ctx context.Context, in *inbound) (*payment.Checkout, error) {
	product := productConsume
	switch in.f["txnType"] {
	case "01":
	case "02":
		product = productPreAuth
	default:
		return nil, refuse(rcNoPermission, "frontTransReq.do takes consume (txnType 01) and pre-auth (02), not "+in.f["txnType"])
	}
	o, err := g.order(ctx, in, product)
	if err != nil {
		return nil, err
	}
	o.ReturnURL = in.f["frontUrl"]
	return g.d.Service.BeginCheckout(ctx, o)
}

// order is the domain's order of a consume, pre-auth or app request: the
// required fields checked (§5.1), orderId unique for the merchant (§8 item
// 1: a reused one is 12 unless it resubmits the same unpaid order).
func (g *gateway) order(ctx context.Context, in *inbound, product payment.Product) (payment.Order, error) {
	f := in.f
	for _, k := range []string{"txnSubType", "bizType", "channelType", "accessType", "orderId", "txnTime", "txnAmt", "currencyCode", "backUrl"} {
		if f[k] == "" {
			return payment.Order{}, payment.Errorf(payment.CodeMissingParameter, "%s is missing", k)
		}
	}
	if err := checkOrderID(f); err != nil {
		return payment.Order{}, err
	}
	total, ok := acp.ParseFen(f["txnAmt"])
	if !ok {
		return payment.Order{}, payment.Errorf(payment.CodeAmountOutOfRange, "txnAmt %q is not a whole number of fen above 0", f["txnAmt"])
	}
	if f["currencyCode"] != "156" {
		return payment.Order{}, payment.Errorf(payment.CodeInvalidParameter, "currencyCode %q: the sandbox takes 156 (CNY)", f["currencyCode"])
	}
	o := payment.Order{
		Protocol: Protocol, AppID: in.app.AppID, PID: in.app.PID, OutTradeNo: f["orderId"], Total: total,
		Subject: f["orderDesc"], Product: product, ProductCode: f["bizType"], NotifyURL: f["backUrl"],
		PassbackParams: f["reqReserved"], Charset: f["encoding"], SignType: f["version"] + "/" + f["signMethod"],
		Terms: termsOf(f).raw(),
	}
	if o.Subject == "" {
		o.Subject = "银联在线支付 " + f["orderId"]
	}
	if p := f["payTimeout"]; p != "" {
		at, ok := acp.ParseTime(p)
		if !ok {
			return o, payment.Errorf(payment.CodeInvalidParameter, "payTimeout %q is not yyyyMMddHHmmss", p)
		}
		o.ExpiresAt = at
	}
	if err := g.unused(ctx, in, true); err != nil {
		return o, err
	}
	return o, nil
}

// checkOrderID checks orderId and txnTime (§4). txnTime's tolerance is
// unknown (§11): only its form is checked, so a merchant whose clock is
// not the sandbox's virtual one is not refused.
func checkOrderID(f acp.Fields) error {
	if !acp.ValidOrderID(f["orderId"]) {
		return payment.Errorf(payment.CodeInvalidParameter, "orderId %q: 8 to 40 letters and digits", f["orderId"])
	}
	if _, ok := acp.ParseTime(f["txnTime"]); !ok {
		return payment.Errorf(payment.CodeInvalidTimestamp, "txnTime %q is not yyyyMMddHHmmss", f["txnTime"])
	}
	return nil
}

// unused refuses an orderId the merchant already used (12, §8 item 1):
// by a refund or undo, or by a trade; reopen lets an unpaid order be
// submitted again with the same txnTime (the buyer came back to the
// cashier).
func (g *gateway) unused(ctx context.Context, in *inbound, reopen bool) error {
	if _, err := g.d.Tokens.Repo.Token(ctx, tokenBackOrder, backKey(in.app, in.f["orderId"])); err == nil {
		return refuse(rcDuplicate, "orderId "+in.f["orderId"]+" was used by a refund or undo")
	}
	t, err := g.d.Service.Query(ctx, in.app, in.f["orderId"], "")
	if err != nil {
		return nil
	}
	if !reopen || t.Status != payment.StatusPending || orderTerms(t).TxnTime != in.f["txnTime"] {
		return refuse(rcDuplicate, "orderId "+in.f["orderId"]+" was used by the transaction of txnTime "+orderTerms(t).TxnTime)
	}
	return nil
}
