package unionpay

import (
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"time"

	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/channel/unionpay/acp"
	"github.com/mockpay/mockpay/payment"
)

// ReturnURL is where the cashier sends the buyer after paying: the
// gateway's result page, which posts the signed result to frontUrl when
// the buyer presses 返回商户 (§5.1). The checkout's token keeps others
// from reading a trade's page by its queryId alone.
func ReturnURL(_ *payment.App, t *payment.Trade, _ time.Time) (string, error) {
	return returnPath + "?" + url.Values{"queryId": {t.TradeNo}, "token": {t.ReturnToken}}.Encode(), nil
}

// pageCSP lets the result page post its form to the merchant and nothing
// else: no script, no frame.
const pageCSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'"

var returnTmpl = template.Must(template.New("return").Parse(`<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="UTF-8"><title>银联在线支付 - 支付成功</title></head>
<body style="font-family:sans-serif;max-width:40em;margin:3em auto">
<h1>支付成功</h1>
<p>订单号 <code data-testid="order-id">{{.OrderID}}</code>，金额 <span data-testid="amount">{{.Amount}}</span> 元。</p>
<form id="pay_form" name="pay_form" action="{{.Action}}" method="post">
{{range .Fields}}<input type="hidden" name="{{.Name}}" value="{{.Value}}">
{{end}}<button type="submit" data-testid="return">返回商户</button>
</form>
<p><small>mockpay: this page is UnionPay's result page; the button posts the signed fields to the merchant's frontUrl (unionpay-protocol.md §5.1).</small></p>
</body></html>
`))

type field struct{ Name, Value string }

// returnPage is the result page of a paid front transaction.
func (g *gateway) returnPage(w http.ResponseWriter, req *http.Request) {
	ctx := req.Context()
	q := req.URL.Query()
	t, err := g.d.Service.Trade(ctx, q.Get("queryId"))
	if err == nil && (t.Protocol != Protocol || t.ReturnToken == "" || t.ReturnToken != q.Get("token")) {
		err = payment.Errorf(payment.CodeTradeNotExist, "no such result page")
	}
	if err == nil && (!t.Status.Paid() || t.ReturnURL == "") {
		err = refuse(rcOrigInvalid, "the transaction is not paid or named no frontUrl")
	}
	var app *payment.App
	if err == nil {
		var ok bool
		if app, ok = g.d.Apps.App(t.AppID); !ok || acp.Of(app) == nil {
			err = payment.Errorf(payment.CodeInvalidAppID, "merchant %s is gone", t.AppID)
		}
	}
	if err != nil {
		g.pageError(w, req, err)
		return
	}
	f := tradeFields(t)
	notifyResp(f)
	if err := acp.Of(app).Sign(f, orderTerms(t).scheme(), app.PlatformPrivateKey()); err != nil {
		g.pageError(w, req, err)
		return
	}
	var fields []field
	for k, v := range f {
		if v != "" {
			fields = append(fields, field{k, v})
		}
	}
	sort.Slice(fields, func(i, j int) bool { return fields[i].Name < fields[j].Name })
	w.Header().Set("Content-Type", "text/html; charset=UTF-8")
	w.Header().Set("Content-Security-Policy", pageCSP)
	_ = returnTmpl.Execute(w, map[string]any{"Action": t.ReturnURL, "Fields": fields, "OrderID": t.OutTradeNo, "Amount": t.Total.Yuan()})
}

func (g *gateway) pageError(w http.ResponseWriter, req *http.Request, err error) {
	v := describe(err)
	channel.Report(req.Context(), channel.Verdict{Code: v.SubCode, Message: v.Detail})
	if werr := g.d.Pages.WriteError(w, v); werr != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
	}
}

// tradePages is the cashier of an existing trade, when the Pages have one
// (cashier.Cashier does): where the app page sends the buyer.
type tradePages interface{ TradePath(tradeNo string) string }

// appPage plays the UnionPay app for a tn (§5.3): the native SDK's
// startPay cannot be emulated over HTTP, so the buyer pays the tn's trade
// in mockpay's cashier; the outcome reaches the merchant by backUrl and
// query, as with the real app.
func (g *gateway) appPage(w http.ResponseWriter, req *http.Request) {
	tok, err := g.d.Tokens.Repo.Token(req.Context(), tokenTN, req.URL.Query().Get("tn"))
	if err != nil {
		g.pageError(w, req, payment.Errorf(payment.CodeTradeNotExist, "no tn %q", req.URL.Query().Get("tn")))
		return
	}
	tp, ok := g.d.Pages.(tradePages)
	if !ok {
		g.pageError(w, req, payment.Errorf(payment.CodeSystemError, "the cashier has no trade page"))
		return
	}
	w.Header().Set("Location", tp.TradePath(tok.TradeNo))
	w.WriteHeader(http.StatusSeeOther)
}
