package unionpay

import (
	"time"

	"github.com/mockpay/mockpay/channel/unionpay/acp"
	"github.com/mockpay/mockpay/payment"
)

// Token kinds (payment.Tokens) UnionPay issues.
const (
	// tokenBackOrder: a refund's or undo's orderId (value merId/orderId)
	// → the original trade, so it can be queried and is never reused.
	tokenBackOrder payment.TokenKind = "unionpay.back_order"
	// tokenTN: a tn of appTransReq.do → its trade (§5.3).
	tokenTN payment.TokenKind = "unionpay.tn"
	// tokenCompleted: a pre-auth → its completion (one per pre-auth).
	tokenCompleted payment.TokenKind = "unionpay.completed"
	tokenTTL                         = 400 * 24 * time.Hour
)

func backKey(app *payment.App, orderID string) string { return app.PID + "/" + orderID }

// testCard is the sandbox card the cashier pays with, masked as the
// gateway masks accNo (§5.1: first and last four digits).
const testCardMasked = "6216***********0018"

// tradeFields are a consume's, pre-auth's or completion's result as its
// notification, its return page and a query carry it (§5.1 consume
// notification, §5.4): the original's txnType, queryId, trace and
// settlement fields once paid.
func tradeFields(t *payment.Trade) acp.Fields {
	tm := orderTerms(t)
	f := acp.Fields{
		"accessType": tm.AccessType, "bizType": tm.BizType, "currencyCode": "156", "merId": t.PID, "orderId": t.OutTradeNo,
		"queryId": t.TradeNo, "txnAmt": acp.Fen(t.Total), "txnType": tm.TxnType, "txnSubType": tm.TxnSubType,
		"txnTime": tm.TxnTime, "reqReserved": tm.ReqReserved, "origQryId": tm.OrigQryID,
	}
	if t.Status.Paid() || !t.PaidAt.IsZero() {
		f["settleAmt"], f["settleCurrencyCode"], f["settleDate"] = acp.Fen(t.Total), "156", acp.SettleDate(t.PaidAt)
		f["traceNo"], f["traceTime"] = acp.TraceNo(t.TradeNo), t.PaidAt.In(acp.CST).Format("0102150405")
		if tm.TxnType == "01" || tm.TxnType == "02" {
			f["accNo"], f["payCardType"], f["payType"], f["issuerIdentifyMode"] = testCardMasked, "01", "0001", "0"
			f["exchangeRate"] = "0"
		}
	}
	return f
}

// refundFields are a refund's or undo's result (§5.5, §5.6): its own
// orderId, txnTime and queryId, the original's queryId as origQryId.
func refundFields(t *payment.Trade, r *payment.Refund) acp.Fields {
	tm := refundTerms(r)
	return acp.Fields{
		"accessType": tm.AccessType, "bizType": tm.BizType, "currencyCode": "156", "merId": t.PID, "orderId": r.OutRequestNo,
		"queryId": tm.QueryID, "origQryId": t.TradeNo, "txnAmt": acp.Fen(r.Amount), "txnType": tm.TxnType, "txnSubType": tm.TxnSubType,
		"txnTime": tm.TxnTime, "reqReserved": tm.ReqReserved,
		"settleAmt": acp.Fen(r.Amount), "settleCurrencyCode": "156", "settleDate": acp.SettleDate(r.CreatedAt),
		"traceNo": acp.TraceNo(tm.QueryID), "traceTime": r.CreatedAt.In(acp.CST).Format("0102150405"),
	}
}

// respOf is a message's respCode and respMsg for a trade: 00 when paid.
// Notifications of front transactions are only sent on success (§5.2),
// and say respMsg success as the captured one does (§10).
func notifyResp(f acp.Fields) {
	f["respCode"], f["respMsg"] = rcSuccess, "success"
}

// origResp is origRespCode/origRespMsg of a queried trade (§5.4): 00 once
// paid (refunds are their own transactions and do not change it), 05 while
// the buyer is at the cashier, 01 for an order that closed unpaid.
func origResp(t *payment.Trade) (string, string) {
	switch {
	case !t.PaidAt.IsZero():
		return rcSuccess, respMsgs[rcSuccess]
	case t.Status == payment.StatusPending:
		return rcAccepted, respMsgs[rcAccepted]
	}
	return rcFailed, respMsgs[rcFailed]
}
