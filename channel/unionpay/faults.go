package unionpay

import (
	"net/http"
	"strings"
	"time"

	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/channel/unionpay/acp"
	"github.com/mockpay/mockpay/payment"
)

// faults are UnionPay's fault hooks (channel.Faults): back notifications
// whose signature is broken, and the gateway's respCode 06 系统繁忙 (§7).
// RefuseStale is false: the SDKs verify the signature, not txnTime or
// traceTime, so a correct shop acknowledges a replay and does not process
// it again. UnionPay sends no signature probe.
func (g *gateway) faults(n Notifier) *channel.Faults {
	return &channel.Faults{Forge: n.Forge, Busy: g.busy}
}

// amountKeys are a notification's fields that state what was paid or
// refunded (§5.2).
var amountKeys = []string{"txnAmt", "settleAmt"}

// Forge renders a back notification as Encode does, broken as asked: for a
// certificate scheme a signature by a key that is not the gateway's (the
// signPubKeyCert or certId still names the gateway's), for a secure-key
// merchant one with another secure key.
func (n Notifier) Forge(note *payment.Notification, _ time.Time, how channel.Forgery) (channel.Request, error) {
	app, m, f, s, err := n.fields(note)
	if err != nil {
		return channel.Request{}, err
	}
	wrong := func() error {
		key, err := channel.WrongKey()
		if err != nil {
			return err
		}
		other := *m
		other.SecureKey = channel.WrongSecret()
		return other.Sign(f, s, key)
	}
	switch how {
	case channel.ForgeWrongKey:
		err = wrong()
	case channel.ForgeTamper:
		for _, k := range amountKeys {
			if amt, ok := acp.ParseFen(f[k]); ok {
				f[k] = acp.Fen(channel.TamperedAmount(amt))
			}
		}
		err = wrong()
	case channel.ForgeBadSignature, channel.ForgeNoSignature, channel.ForgeOversize:
		if err = m.Sign(f, s, app.PlatformPrivateKey()); err != nil {
			break
		}
		switch how {
		case channel.ForgeBadSignature:
			if f["signMethod"] == acp.MethodSecureKey {
				f["signature"] = strings.Repeat("0", 64)
			} else {
				f["signature"] = channel.BadSignature(256)
			}
		case channel.ForgeNoSignature:
			delete(f, "signature")
		case channel.ForgeOversize:
			f["mockpay_padding"] = strings.Repeat("x", channel.OversizeBytes)
		}
	default:
		return channel.Request{}, channel.ErrNoFault
	}
	if err != nil {
		return channel.Request{}, err
	}
	return formRequest(f, s)
}

// busy is the gateway's "system busy" (respCode 06 系统繁忙, §7: retry
// later, or query), answered as every answer is: the request's fields
// echoed, signed in its scheme (§8 item 3).
func (g *gateway) busy(r *http.Request, _, _ string) (channel.BusyAnswer, error) {
	in, _ := g.read(r)
	body, ct, err := g.answerBody(in, nil, refuse(rcBusy, "fault: system busy"))
	if err != nil {
		return channel.BusyAnswer{}, err
	}
	return channel.BusyAnswer{Status: http.StatusOK, Body: body, Code: rcBusy,
		Header: http.Header{"Content-Type": {ct}}}, nil
}

// TermRules are UnionPay's order rules (payment.Terms): the domain's, and
// no notification at the end of the refund window — UnionPay notifies
// consumes, refunds and undos only (§5.2); without this the domain's
// "finished" notification went out as the consume's again, a duplicate.
type TermRules struct{}

var (
	_ payment.Terms        = TermRules{}
	_ payment.FinishNotice = TermRules{}
)

// AmountMismatch compares the totals.
func (TermRules) AmountMismatch(o payment.Order, t *payment.Trade) payment.Code {
	if o.Total != t.Total {
		return payment.CodeTotalMismatch
	}
	return ""
}

// PaidStatus: paid, refundable for the window.
func (TermRules) PaidStatus(payment.Order) payment.Status { return payment.StatusPaid }

// Callbacks: none beyond backUrl and frontUrl.
func (TermRules) Callbacks(payment.Order) []payment.Callback { return nil }

// NotifiesFinish: no.
func (TermRules) NotifiesFinish() bool { return false }
