package mapi

import (
	"fmt"
	"net/http"
	"time"

	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/channel/alipay/kit"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/sign"
)

// Faults are MAPI's fault hooks (channel.Faults): forged trade
// notifications and the gateway's SYSTEM_ERROR answer.
type Faults struct {
	Apps *payment.Registry
}

// Hooks is f as the channel contract takes it.
func (f Faults) Hooks() *channel.Faults { return &channel.Faults{Forge: f.Forge, Busy: f.Busy} }

// amountKeys are the notification's fields that state what was paid (§1.5).
var amountKeys = []string{"total_fee", "price"}

// Forge renders n's trade notification for at, broken as asked: a wrong
// MD5 key for an MD5 partner, a wrong RSA key for an RSA one. Batch refund
// and error notifications have no forged form here.
func (f Faults) Forge(n *payment.Notification, at time.Time, how channel.Forgery) (channel.Request, error) {
	if n.Kind == payment.KindBatchRefund || n.Kind == payment.KindRequestError {
		return channel.Request{}, channel.ErrNoFault
	}
	app, ok := f.Apps.App(n.AppID)
	if !ok {
		return channel.Request{}, fmt.Errorf("partner %s no longer exists", n.AppID)
	}
	p, err := NotificationParams(app, n, at)
	if err != nil {
		return channel.Request{}, err
	}
	t := &n.Trade
	cs, st := tradeCharset(t), tradeSignType(t)
	resign := func(q sign.Params) (sign.Params, error) {
		q = kit.Without(q, "sign_type")
		content := kit.Encode(sign.Canonical(q, unsigned), cs)
		var sig string
		if st == sign.RSA {
			key, err := kit.WrongKey()
			if err != nil {
				return nil, err
			}
			if sig, err = sign.SignRSA(key, sign.RSA, content); err != nil {
				return nil, err
			}
		} else {
			sig = sign.MD5(content, []byte(kit.WrongMD5Key()))
		}
		q.Add("sign", sig)
		q.Add("sign_type", string(st))
		return q, nil
	}
	p, err = kit.Forged(p, how, t.Total, amountKeys, resign)
	if err != nil {
		return channel.Request{}, err
	}
	return kit.FormRequest(kit.EncodeForm(p, cs), cs), nil
}

// Busy is the legacy gateway's SYSTEM_ERROR answer (系统繁忙，请稍后再试,
// alipay-protocol.md §1.10) in its XML, the charset the call named.
func (f Faults) Busy(r *http.Request, _, _ string) (channel.BusyAnswer, error) {
	cs, ok := kit.ParseCharset(r.URL.Query().Get("_input_charset"))
	if !ok {
		cs = kit.UTF8
	}
	w := wireErrors[payment.CodeSystemError]
	rep := errorXML(w, cs)
	return channel.BusyAnswer{Status: http.StatusOK, Body: rep.Body, Code: w.Code,
		Header: http.Header{"Content-Type": {rep.ContentType}}}, nil
}
