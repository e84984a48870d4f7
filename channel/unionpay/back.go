package unionpay

import (
	"context"
	"errors"

	"github.com/mockpay/mockpay/channel/unionpay/acp"
	"github.com/mockpay/mockpay/payment"
)

// back is backTransReq.do: refund (04), consume undo (31), pre-auth
// completion (03), pre-auth undo (32), completion undo (33) and the
// encryption-certificate query (95). For every money-moving one a sync 00
// means accepted; the outcome comes by backUrl and query (§5.5–§5.8).
func (g *gateway) back(ctx context.Context, in *inbound) (acp.Fields, error) {
	switch in.f["txnType"] {
	case "04", "31", "32", "33":
		return g.reverse(ctx, in)
	case "03":
		return g.complete(ctx, in)
	case "95":
		return g.encryptCert(in)
	}
	return nil, refuse(rcNoPermission, "backTransReq.do takes txnType 04, 31, 03, 32, 33 and 95, not "+in.f["txnType"])
}

// origOf is the original of a back transaction (origQryId), which must
// be the merchant's and of the kind the txnType reverses.
var origKinds = map[string][]string{"04": {"01", "03"}, "31": {"01"}, "32": {"02"}, "33": {"03"}, "03": {"02"}}

func (g *gateway) origOf(ctx context.Context, in *inbound) (*payment.Trade, error) {
	for _, k := range []string{"orderId", "txnTime", "txnAmt", "origQryId", "txnSubType", "bizType", "accessType"} {
		if in.f[k] == "" {
			return nil, payment.Errorf(payment.CodeMissingParameter, "%s is missing", k)
		}
	}
	if err := checkOrderID(in.f); err != nil {
		return nil, err
	}
	if err := g.unused(ctx, in, false); err != nil {
		return nil, err
	}
	t, err := g.d.Service.Trade(ctx, in.f["origQryId"])
	if err != nil || t.PID != in.app.PID || t.Protocol != Protocol {
		return nil, refuse(rcOrigInvalid, "no transaction of merchant "+in.app.PID+" has queryId "+in.f["origQryId"])
	}
	kind := orderTerms(t).TxnType
	ok := false
	for _, k := range origKinds[in.f["txnType"]] {
		ok = ok || k == kind
	}
	if !ok {
		return nil, refuse(rcOrigInvalid, "txnType "+in.f["txnType"]+" cannot reverse a transaction of txnType "+kind)
	}
	if !t.Status.Paid() {
		if !t.PaidAt.IsZero() {
			return nil, refuse(rcOrigReversed, "the original was refunded or undone in full")
		}
		return nil, refuse(rcOrigInvalid, "the original is not paid")
	}
	return t, nil
}

// reverse is a refund or an undo (§5.5, §5.6, §5.7): a refund of at most
// what is left, repeatable; an undo of the full amount on the original's
// settlement day (23:00 cut-over), before any refund.
func (g *gateway) reverse(ctx context.Context, in *inbound) (acp.Fields, error) {
	orig, err := g.origOf(ctx, in)
	if err != nil {
		return nil, err
	}
	amount, ok := acp.ParseFen(in.f["txnAmt"])
	if !ok {
		return nil, payment.Errorf(payment.CodeAmountOutOfRange, "txnAmt %q is not a whole number of fen above 0", in.f["txnAmt"])
	}
	txnType := in.f["txnType"]
	now := g.d.Clock.Now()
	if txnType != "04" {
		switch {
		case amount != orig.Total:
			return nil, refuse(rcOrigMismatch, "an undo is of the full amount "+acp.Fen(orig.Total)+", not "+in.f["txnAmt"])
		case orig.Refunded > 0:
			return nil, refuse(rcOrigReversed, "the original was already refunded in part")
		case acp.SettleDate(now) != acp.SettleDate(orig.PaidAt):
			return nil, refuse(rcOrigInvalid, "an undo is only possible on the original's settlement day "+acp.SettleDate(orig.PaidAt)+" (until 23:00); refund instead")
		}
		if txnType == "32" {
			if _, err := g.d.Tokens.Repo.Token(ctx, tokenCompleted, orig.TradeNo); err == nil {
				return nil, refuse(rcOrigInvalid, "the pre-auth was completed; undo the completion instead")
			}
		}
	}
	tm := termsOf(in.f)
	tm.QueryID = acp.QueryID(now)
	res, err := g.d.Service.Refund(ctx, in.app, payment.RefundRequest{
		TradeNo: orig.TradeNo, OutRequestNo: in.f["orderId"], Amount: amount, Reason: reasons[txnType],
		NotifyURL: in.f["backUrl"], Terms: tm.raw(),
	})
	if err != nil {
		return nil, err
	}
	if _, err := g.d.Tokens.Issue(ctx, tokenBackOrder, in.app.AppID, orig.TradeNo, backKey(in.app, in.f["orderId"]), tokenTTL); err != nil {
		return nil, err
	}
	return acp.Fields{"origQryId": orig.TradeNo, "queryId": refundTerms(res.Refund).QueryID, "txnAmt": in.f["txnAmt"]}, nil
}

var reasons = map[string]string{"04": "退货 refund", "31": "消费撤销 consume undo", "32": "预授权撤销 pre-auth undo", "33": "预授权完成撤销 completion undo"}

// complete is a pre-auth completion (§5.7): 0–115 % of the pre-auth, once;
// a transaction of its own (a trade, paid at once, notified to backUrl).
func (g *gateway) complete(ctx context.Context, in *inbound) (acp.Fields, error) {
	orig, err := g.origOf(ctx, in)
	if err != nil {
		return nil, err
	}
	amount, ok := acp.ParseFen(in.f["txnAmt"])
	if !ok || amount*100 > orig.Total*115 {
		return nil, refuse(rcAmountLimit, "a completion is of at most 115% of the pre-auth's "+acp.Fen(orig.Total))
	}
	if _, err := g.d.Tokens.Repo.Token(ctx, tokenCompleted, orig.TradeNo); err == nil {
		return nil, refuse(rcOrigInvalid, "the pre-auth was already completed")
	} else if !errors.Is(err, payment.ErrNotFound) {
		return nil, err
	}
	tm := termsOf(in.f)
	tm.OrigQryID = orig.TradeNo
	o := payment.Order{Protocol: Protocol, AppID: in.app.AppID, PID: in.app.PID, OutTradeNo: in.f["orderId"], Total: amount,
		Subject: "预授权完成 " + orig.OutTradeNo, Product: productCompletion, ProductCode: in.f["bizType"], NotifyURL: in.f["backUrl"],
		Charset: in.f["encoding"], SignType: in.f["version"] + "/" + in.f["signMethod"], Terms: tm.raw()}
	t, err := g.d.Service.Create(ctx, o)
	if err != nil {
		return nil, err
	}
	if t, err = g.d.Service.Pay(ctx, t.TradeNo); err != nil {
		return nil, err
	}
	if _, err := g.d.Tokens.Issue(ctx, tokenCompleted, in.app.AppID, t.TradeNo, orig.TradeNo, tokenTTL); err != nil {
		return nil, err
	}
	return acp.Fields{"origQryId": orig.TradeNo, "queryId": t.TradeNo, "txnAmt": in.f["txnAmt"]}, nil
}

// encryptCert answers txnType 95 (§5.8) with the encryption certificate.
func (g *gateway) encryptCert(in *inbound) (acp.Fields, error) {
	if in.f["certType"] != "01" {
		return nil, payment.Errorf(payment.CodeInvalidParameter, "certType %q: only 01", in.f["certType"])
	}
	return acp.Fields{"certType": "01", "encryptPubKeyCert": in.m.EncCertCRLF}, nil
}
