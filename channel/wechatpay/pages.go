package wechatpay

import (
	"context"
	"crypto/rsa"
	"net/http"
	"strings"

	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/channel/wechatpay/kit"
	v2 "github.com/mockpay/mockpay/channel/wechatpay/v2"
	"github.com/mockpay/mockpay/clock"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/sign"
)

// buyer is how the buyer reaches the cashier of a WeChat Pay order, the
// sandbox playing the WeChat client (issue 13 item 3): an h5_url's page,
// a scanned Native code_url, and a JSAPI/APP prepay_id handed over by the
// shop's page with its paySign (§2.9). Each sends the buyer on to the
// cashier page of the trade.
type buyer struct {
	service *payment.Service
	apps    *payment.Registry
	clock   clock.Clock
	pages   channel.Pages
}

func (b *buyer) routes() []channel.Route {
	return []channel.Route{
		{Methods: []string{http.MethodGet}, Path: kit.H5Path, Handler: http.HandlerFunc(b.h5)},
		{Methods: []string{http.MethodGet}, Path: "/wxpay/bizpayurl", Handler: http.HandlerFunc(b.native)},
		{Methods: []string{http.MethodGet}, Path: "/wxpay/jsapi", Handler: http.HandlerFunc(b.jsapi)},
	}
}

// fail shows the platform's error page and reports the refusal to the
// request journal.
func (b *buyer) fail(w http.ResponseWriter, r *http.Request, code, msg string) {
	channel.Report(r.Context(), channel.Verdict{Method: r.URL.Path, Code: code, Message: msg})
	_ = b.pages.WriteError(w, channel.ErrorView{SubCode: code, SubMsg: msg})
}

// enter sends the buyer on to the trade's cashier and reports it accepted.
func (b *buyer) enter(w http.ResponseWriter, r *http.Request, t *payment.Trade) {
	channel.Report(r.Context(), channel.Verdict{App: t.AppID, Method: r.URL.Path})
	http.Redirect(w, r, b.pages.TradePath(t.TradeNo), http.StatusSeeOther)
}

// trade reads a prepay_id back into its open trade and merchant.
func (b *buyer) trade(ctx context.Context, prepayID string) (*payment.Trade, *payment.App, bool) {
	rest := strings.TrimPrefix(prepayID, "wx")
	if len(rest) < 14+8 {
		return nil, nil, false
	}
	t, err := b.service.Trade(ctx, rest[14:len(rest)-8])
	if err != nil {
		return nil, nil, false
	}
	app, ok := b.apps.App(t.AppID)
	if !ok {
		return nil, nil, false
	}
	if tradeNo, _, ok := kit.ParsePrepayID(app, prepayID); !ok || tradeNo != t.TradeNo {
		return nil, nil, false
	}
	return t, app, true
}

// h5 is the h5_url's page: valid 5 minutes of virtual time (§2.5).
func (b *buyer) h5(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("prepay_id")
	t, app, ok := b.trade(r.Context(), id)
	if !ok {
		b.fail(w, r, "INVALID_REQUEST", "无效的prepay_id")
		return
	}
	if _, issued, _ := kit.ParsePrepayID(app, id); b.clock.Now().After(issued.Add(kit.H5Validity)) {
		b.fail(w, r, "INVALID_REQUEST", "链接已失效，请重新发起支付 (h5_url is valid 5 minutes)")
		return
	}
	// The shop's page may append redirect_url: where the buyer goes back
	// after paying (unsigned: the shop queries the order, §2.5).
	if back := r.URL.Query().Get("redirect_url"); back != "" {
		if err := b.service.SetReturnURL(r.Context(), t.TradeNo, back); err != nil {
			b.fail(w, r, "INVALID_REQUEST", "redirect_url: "+payment.DetailOf(err))
			return
		}
	}
	b.enter(w, r, t)
}

// native is a scanned code_url (weixin://wxpay/bizpayurl?pr=…), opened here.
func (b *buyer) native(w http.ResponseWriter, r *http.Request) {
	tradeNo, ok := kit.TradeOfCode(r.URL.Query().Get("pr"))
	if !ok {
		b.fail(w, r, "INVALID_REQUEST", "无效的二维码")
		return
	}
	t, err := b.service.Trade(r.Context(), tradeNo)
	if err != nil {
		b.fail(w, r, "INVALID_REQUEST", "无效的二维码")
		return
	}
	b.enter(w, r, t)
}

// jsapi plays WeixinJSBridge's getBrandWCPayRequest: the shop's page hands
// appId, timeStamp, nonceStr, package (prepay_id=…), signType RSA and
// paySign, which must verify with the merchant's key over
// appId\ntimeStamp\nnonceStr\npackage\n (§2.9).
func (b *buyer) jsapi(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	id := strings.TrimPrefix(q.Get("package"), "prepay_id=")
	t, app, ok := b.trade(r.Context(), id)
	if !ok {
		b.fail(w, r, "INVALID_REQUEST", "package须为prepay_id=<有效的prepay_id>")
		return
	}
	if st := q.Get("signType"); t.Protocol == kit.ProtocolV2 && (st == "MD5" || st == "HMAC-SHA256") {
		// An APIv2 order's page signs the five camelCase fields with the
		// order's sign type and the APIv2 key (wechatpay-protocol.md §1.12).
		key := kit.Creds(app).APIv2Key
		if kit.OrderTerms(t.Order).Sandbox {
			key = v2.SandboxKey(key)
		}
		if q.Get("appId") != kit.Creds(app).AppID || !v2.VerifyPaySign(q.Get, key, t.SignType) {
			b.fail(w, r, "SIGN_ERROR", "支付验证签名失败 (paySign over appId, nonceStr, package, signType, timeStamp)")
			return
		}
	} else if q.Get("paySign") != "" || q.Get("signType") != "" {
		msg := q.Get("appId") + "\n" + q.Get("timeStamp") + "\n" + q.Get("nonceStr") + "\n" + q.Get("package") + "\n"
		if q.Get("appId") != kit.Creds(app).AppID || q.Get("signType") != "RSA" || !verify(app.AppPublicKey(), msg, q.Get("paySign")) {
			b.fail(w, r, "SIGN_ERROR", "支付验证签名失败 (paySign over appId, timeStamp, nonceStr, package)")
			return
		}
	}
	b.enter(w, r, t)
}

func verify(pub *rsa.PublicKey, msg, sig string) bool {
	return pub != nil && sign.VerifyRSA(pub, sign.RSA2, []byte(msg), sig) == nil
}
