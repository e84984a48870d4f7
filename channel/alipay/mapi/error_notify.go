package mapi

import (
	"context"
	"sort"
	"time"

	"github.com/mockpay/mockpay/channel/alipay/kit"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/sign"
)

// errorNotifyURLMax is error_notify_url's length limit: the digest gives
// none, so notify_url's (§1.3).
const errorNotifyURLMax = 190

// reportError posts a page service's refusal to the request's
// error_notify_url (§1.10), besides the error page the browser sees. Only
// a request whose partner signed it is reported (c exists only once the
// envelope verified the signature): otherwise anyone could make the
// sandbox post anywhere. A URL that is not absolute http(s) without a
// query, or that CheckCallback (selfguard) refuses, gets nothing; the
// order is not refused for it, since its error page is the answer.
func (g *Gateway) reportError(ctx context.Context, c *Call, err error) {
	u := c.Params.Value("error_notify_url")
	if u == "" || c.SignType == "" || checkURL("error_notify_url", u, errorNotifyURLMax, true) != nil {
		return
	}
	p := c.Params
	e := payment.RequestError{
		Code:       payment.CodeOf(err),
		OutTradeNo: p.Value("out_trade_no"),
		BuyerID:    p.Value("buyer_id"),
		SellerID:   p.Value("seller_id"), SellerEmail: p.Value("seller_email"),
		Charset: string(c.Charset), SignType: string(c.SignType),
	}
	if e.SellerID == "" && e.SellerEmail == "" {
		e.SellerID, e.SellerEmail = c.Partner.PID, c.Partner.SellerEmail
	}
	// The page is the answer either way; a report that cannot be queued
	// (a refused URL) is dropped as the platform would drop it.
	_ = g.Service.NotifyRequestError(ctx, c.Partner, u, e)
}

// errorNotificationParams are the fields of an error notification (§1.10:
// partner, out_trade_no, error_code, buyer_id, seller_email, seller_id,
// notify_id, notify_time, sign_type, sign — the digest marks the list
// unconfirmed; mockpay sends exactly these), no empty values, sorted,
// signed with the partner's key in the request's algorithm and charset.
func errorNotificationParams(app *payment.App, n *payment.Notification, notifyTime time.Time) (sign.Params, kit.Charset, error) {
	e := n.RequestError
	cs, ok := kit.ParseCharset(e.Charset)
	if !ok {
		cs = kit.UTF8
	}
	st := sign.MD5Type
	if sign.Type(e.SignType) == sign.RSA {
		st = sign.RSA
	}
	var p sign.Params
	p.AddNonEmpty("buyer_id", e.BuyerID)
	p.Add("error_code", wireErrorOfCode(e.Code).Code)
	p.Add("notify_id", n.NotifyID)
	p.Add("notify_time", kit.DateTime(notifyTime))
	p.AddNonEmpty("out_trade_no", e.OutTradeNo)
	p.Add("partner", app.PID)
	p.AddNonEmpty("seller_email", e.SellerEmail)
	p.AddNonEmpty("seller_id", e.SellerID)
	sort.SliceStable(p, func(i, j int) bool { return p[i].Key < p[j].Key })
	p, err := withSign(app, st, cs, p)
	return p, cs, err
}
