package openapi

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/channel/alipay/kit"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/sign"
)

// Faults are OpenAPI's fault hooks (channel.Faults): forged notifications
// and the gateway's "system busy" answer.
type Faults struct {
	Apps *payment.Registry
}

// Hooks is f as the channel contract takes it.
func (f Faults) Hooks() *channel.Faults { return &channel.Faults{Forge: f.Forge, Busy: f.Busy} }

// amountKeys are the notification's fields that state what was paid (§3.2).
var amountKeys = []string{"total_amount", "invoice_amount", "receipt_amount", "buyer_pay_amount"}

// Forge renders n's notification form for at, broken as asked.
func (f Faults) Forge(n *payment.Notification, at time.Time, how channel.Forgery) (channel.Request, error) {
	app, ok := f.Apps.App(n.AppID)
	if !ok {
		return channel.Request{}, fmt.Errorf("app %s no longer exists", n.AppID)
	}
	p, err := NotificationParams(app, n, at)
	if err != nil {
		return channel.Request{}, err
	}
	t := &n.Trade
	cs := tradeCharset(t)
	resign := func(q sign.Params) (sign.Params, error) {
		key, err := kit.WrongKey()
		if err != nil {
			return nil, err
		}
		sig, err := sign.SignRSA(key, tradeSignType(app, t), kit.Encode(sign.Canonical(q, kit.NotifyRule.Options()), cs))
		if err != nil {
			return nil, err
		}
		q.Add("sign", sig)
		return q, nil
	}
	p, err = kit.Forged(p, how, t.Total, amountKeys, resign)
	if err != nil {
		return channel.Request{}, err
	}
	return kit.FormRequest(kit.EncodeForm(p, cs), cs), nil
}

// Busy is the gateway's answer when it cannot tell whether the call went
// through: 20000 Service Currently Unavailable, with sub_code
// aop.ACQ.SYSTEM_ERROR (系统异常) for the trade APIs and isp.unknow-error
// (系统繁忙) otherwise (alipay-protocol.md §2.6), signed as every answer to
// a known app is (§2.5).
func (f Faults) Busy(r *http.Request, appID, method string) (channel.BusyAnswer, error) {
	w := wireErrors[payment.CodeSystemError]
	if strings.HasPrefix(method, "alipay.trade.") {
		w.SubCode, w.SubMsg = "aop.ACQ.SYSTEM_ERROR", "系统异常"
	}
	q := r.URL.Query()
	cs, ok := kit.ParseCharset(q.Get("charset"))
	if !ok {
		cs = kit.UTF8
	}
	var st sign.Type
	app, known := f.Apps.App(appID)
	if known {
		st = app.SignType
		if t, err := sign.ParseType(q.Get("sign_type")); err == nil {
			st = t
		}
	} else {
		app = nil
	}
	name := method
	if !ValidMethodName(name) {
		name = "error"
	}
	body, err := Envelope(name, ErrorNode(w, "").JSON(), app, st, cs)
	if err != nil {
		return channel.BusyAnswer{}, err
	}
	return channel.BusyAnswer{Status: http.StatusOK, Body: body, Code: w.Code, SubCode: w.SubCode,
		Header: http.Header{"Content-Type": {"text/html;charset=" + string(cs)}}}, nil
}
