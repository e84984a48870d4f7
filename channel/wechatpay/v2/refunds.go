package v2

import (
	"strconv"

	"github.com/mockpay/mockpay/channel/wechatpay/kit"
	"github.com/mockpay/mockpay/payment"
)

// refund is /secapi/pay/refund (§1.8). The sandbox refunds at once: the
// answer accepts it, refundquery and the notification (sent only when the
// request named notify_url) say SUCCESS, or CHANGE / REFUNDCLOSE once a
// refund outcome lever ended it so (RefundStatus). The same out_refund_no with the
// same amount answers the refund made; with another amount it is refused.
func (a *API) refund(c *call) ([]Field, error) {
	v := c.v
	t, err := a.Service.Query(c.ctx, c.app, v["out_trade_no"], v["transaction_id"])
	if payment.CodeOf(err) == payment.CodeTradeNotExist && v["out_trade_no"] == "" {
		return nil, Refuse(ErrInvalidTransaction, "")
	}
	if err != nil {
		return nil, err
	}
	total, _ := strconv.ParseInt(v["total_fee"], 10, 64) // checked by CheckRefund
	amount, _ := strconv.ParseInt(v["refund_fee"], 10, 64)
	switch {
	case t.PaidAt.IsZero():
		return nil, Refuse(ErrError, "订单未支付")
	case total != int64(t.Total):
		return nil, Refuse(ErrParamError, "订单金额total_fee与原订单金额不一致")
	}
	res, err := a.Service.Refund(c.ctx, c.app, payment.RefundRequest{
		TradeNo: t.TradeNo, OutRequestNo: v["out_refund_no"], Amount: payment.Amount(amount),
		Reason: v["refund_desc"], NotifyURL: v["notify_url"], OnlyNamedURL: true,
	})
	if err != nil {
		return nil, err
	}
	r := res.Refund
	return []Field{
		{"transaction_id", t.TradeNo}, {"out_trade_no", t.OutTradeNo}, {"out_refund_no", r.OutRequestNo},
		{"refund_id", kit.RefundIDOf(r)}, {"refund_fee", itoa(int64(r.Amount))}, {"total_fee", itoa(int64(t.Total))},
		{"fee_type", "CNY"}, {"cash_fee", itoa(int64(t.Total))}, {"cash_refund_fee", itoa(int64(r.Amount))},
	}, nil
}

// refundQuery is /pay/refundquery (§1.8): by out_refund_no one refund; by
// out_trade_no or transaction_id every refund of the trade, ten a page
// from offset. Fields of refund n carry the suffix _n.
func (a *API) refundQuery(c *call) ([]Field, error) {
	v := c.v
	var t *payment.Trade
	var refunds []*payment.Refund
	switch {
	case v["out_refund_no"] != "":
		tr, r, err := a.Service.RefundOfMerchant(c.ctx, c.app, v["out_refund_no"])
		if err != nil {
			return nil, err
		}
		t, refunds = tr, []*payment.Refund{r}
	case v["out_trade_no"] != "" || v["transaction_id"] != "":
		tr, rs, err := a.Service.RefundsOfTrade(c.ctx, c.app, v["out_trade_no"], v["transaction_id"])
		if payment.CodeOf(err) == payment.CodeTradeNotExist && v["out_trade_no"] == "" {
			return nil, Refuse(ErrInvalidTransaction, "")
		}
		if err != nil {
			return nil, err
		}
		t, refunds = tr, rs
	default: // refund_id alone
		tr, r, err := a.refundByID(c, v["refund_id"])
		if err != nil {
			return nil, err
		}
		t, refunds = tr, []*payment.Refund{r}
	}
	if len(refunds) == 0 {
		return nil, Refuse(ErrRefundNotExist, "")
	}
	offset, _ := strconv.Atoi(v["offset"]) // checked by CheckRefundQuery
	if offset >= len(refunds) {
		return nil, Refuse(ErrRefundNotExist, "")
	}
	page := refunds[offset:]
	if len(page) > refundPage {
		page = page[:refundPage]
	}
	var refunded payment.Amount
	for _, r := range refunds {
		if r.Outcome != payment.RefundClosed { // a closed refund gave its amount back (§1.8)
			refunded += r.Amount
		}
	}
	fields := []Field{
		{"transaction_id", t.TradeNo}, {"out_trade_no", t.OutTradeNo}, {"total_fee", itoa(int64(t.Total))},
		{"fee_type", "CNY"}, {"cash_fee", itoa(int64(t.Total))}, {"refund_fee", itoa(int64(refunded))},
		{"refund_count", strconv.Itoa(len(page))},
	}
	if len(refunds) > refundPage {
		fields = append(fields, Field{"total_refund_count", strconv.Itoa(len(refunds))})
	}
	for i, r := range page {
		n := "_" + strconv.Itoa(i)
		fields = append(fields,
			Field{"out_refund_no" + n, r.OutRequestNo}, Field{"refund_id" + n, kit.RefundIDOf(r)},
			Field{"refund_channel" + n, "ORIGINAL"}, Field{"refund_fee" + n, itoa(int64(r.Amount))},
			Field{"settlement_refund_fee" + n, itoa(int64(r.Amount))}, Field{"refund_status" + n, RefundStatus(r)},
			Field{"refund_account" + n, RefundAccount}, Field{"refund_recv_accout" + n, RecvAccount})
		if RefundStatus(r) == RefundSuccess { // only a refund that reached the buyer has a success time
			fields = append(fields, Field{"refund_success_time" + n, r.CreatedAt.In(cst).Format("2006-01-02 15:04:05")})
		}
	}
	return fields, nil
}

// refundPage is how many refunds one refundquery answer lists (§1.8).
const refundPage = 10

// What a sandbox refund says of itself (§1.8, §1.9).
const (
	RefundSuccess = "SUCCESS"
	RefundChange  = "CHANGE"      // abnormal: the money did not reach the buyer
	RefundClose   = "REFUNDCLOSE" // closed: refused, the amount refundable again
	RefundAccount = "REFUND_SOURCE_RECHARGE_FUNDS"
	RecvAccount   = "支付用户零钱"
)

// RefundStatus is r's refund_status (§1.8, §1.9): SUCCESS, or CHANGE /
// REFUNDCLOSE once a refund outcome lever ended it so
// (payment.RefundOutcome). The sandbox settles at once, so PROCESSING is
// never seen after the request.
func RefundStatus(r *payment.Refund) string {
	switch r.Outcome {
	case payment.RefundAbnormal:
		return RefundChange
	case payment.RefundClosed:
		return RefundClose
	}
	return RefundSuccess
}

// refundByID finds a refund by its refund_id (kit.RefundIDOf).
func (a *API) refundByID(c *call, id string) (*payment.Trade, *payment.Refund, error) {
	tr, r, err := a.Service.RefundByID(c.ctx, c.app, kit.RefundRowOf(id))
	if err != nil {
		return nil, nil, err
	}
	if kit.RefundIDOf(r) != id {
		return nil, nil, Refuse(ErrRefundNotExist, "")
	}
	return tr, r, nil
}
