package unionpay

import (
	"context"

	"github.com/mockpay/mockpay/channel/unionpay/acp"
	"github.com/mockpay/mockpay/payment"
)

// find is queryTrans.do (§5.4): a transaction by the orderId and txnTime
// it was sent with. respCode says whether it was found (34 if not),
// origRespCode how it stands; the answer carries the original's txnType.
// Refunds and undos are their own transactions, found by their orderId.
func (g *gateway) find(ctx context.Context, in *inbound) (acp.Fields, error) {
	f, err := g.lookup(ctx, in)
	if f != nil {
		// The answer is the original's: its codes replace the request's.
		for _, k := range []string{"txnType", "txnSubType", "bizType", "accessType", "reqReserved"} {
			if v, ok := f[k]; ok {
				in.f[k] = v
			}
		}
	}
	return f, err
}

func (g *gateway) lookup(ctx context.Context, in *inbound) (acp.Fields, error) {
	for _, k := range []string{"orderId", "txnTime"} {
		if in.f[k] == "" {
			return nil, payment.Errorf(payment.CodeMissingParameter, "%s is missing", k)
		}
	}
	notFound := payment.Errorf(payment.CodeTradeNotExist, "no transaction of merchant %s has orderId %s and txnTime %s", in.app.PID, in.f["orderId"], in.f["txnTime"])
	if t, err := g.d.Service.Query(ctx, in.app, in.f["orderId"], ""); err == nil {
		if orderTerms(t).TxnTime != in.f["txnTime"] {
			return nil, notFound
		}
		f := tradeFields(t)
		f["origRespCode"], f["origRespMsg"] = origResp(t)
		return f, nil
	} else if payment.CodeOf(err) != payment.CodeTradeNotExist {
		return nil, err
	}
	tok, err := g.d.Tokens.Repo.Token(ctx, tokenBackOrder, backKey(in.app, in.f["orderId"]))
	if err != nil {
		return nil, notFound
	}
	t, r, err := g.d.Service.RefundQuery(ctx, in.app, "", tok.TradeNo, in.f["orderId"])
	if err != nil || r == nil || refundTerms(r).TxnTime != in.f["txnTime"] {
		return nil, notFound
	}
	f := refundFields(t, r)
	f["origRespCode"], f["origRespMsg"] = rcSuccess, respMsgs[rcSuccess]
	return f, nil
}
