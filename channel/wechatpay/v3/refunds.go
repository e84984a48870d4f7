package v3

import (
	"net/http"
	"regexp"
	"unicode/utf8"

	"github.com/mockpay/mockpay/channel/wechatpay/kit"
	"github.com/mockpay/mockpay/payment"
)

// RefundObject is the refund object of a refund and a refund query (§2.6).
// success_time is omitted while PROCESSING, never "" (wechatpay-go parses
// it as a time, P-V3-9).
type RefundObject struct {
	RefundID            string       `json:"refund_id"`
	OutRefundNo         string       `json:"out_refund_no"`
	TransactionID       string       `json:"transaction_id"`
	OutTradeNo          string       `json:"out_trade_no"`
	Channel             string       `json:"channel"`
	UserReceivedAccount string       `json:"user_received_account"`
	SuccessTime         string       `json:"success_time,omitempty"`
	CreateTime          string       `json:"create_time"`
	Status              string       `json:"status"`
	FundsAccount        string       `json:"funds_account"`
	Amount              RefundAmount `json:"amount"`
	Promotion           []struct{}   `json:"promotion_detail"`
}

// RefundAmount is a refund's amounts in fen.
type RefundAmount struct {
	Total            int64      `json:"total"`
	Refund           int64      `json:"refund"`
	From             []struct{} `json:"from"`
	PayerTotal       int64      `json:"payer_total"`
	PayerRefund      int64      `json:"payer_refund"`
	SettlementRefund int64      `json:"settlement_refund"`
	SettlementTotal  int64      `json:"settlement_total"`
	DiscountRefund   int64      `json:"discount_refund"`
	Currency         string     `json:"currency"`
}

// Refund statuses (§2.6).
const (
	RefundProcessing = "PROCESSING"
	RefundSuccess    = "SUCCESS"
	RefundAbnormal   = "ABNORMAL"
	RefundClosed     = "CLOSED"
)

// RefundStatus is r's status once settled (§2.6): SUCCESS, or ABNORMAL /
// CLOSED when a lever ended it so (payment.RefundOutcome).
func RefundStatus(r *payment.Refund) string {
	switch r.Outcome {
	case payment.RefundAbnormal:
		return RefundAbnormal
	case payment.RefundClosed:
		return RefundClosed
	}
	return RefundSuccess
}

// RefundOf is r of trade t as APIv3 shows it. The sandbox refunds at
// once: the answer to the request says PROCESSING, as the platform's
// does, and every later look (query, notification) SUCCESS, or ABNORMAL /
// CLOSED once a refund outcome lever ended it so (RefundStatus).
func RefundOf(t *payment.Trade, r *payment.Refund, status string) RefundObject {
	o := RefundObject{
		RefundID: kit.RefundIDOf(r), OutRefundNo: r.OutRequestNo, TransactionID: t.TradeNo, OutTradeNo: t.OutTradeNo,
		Channel: "ORIGINAL", UserReceivedAccount: "支付用户零钱", CreateTime: rfc3339(r.CreatedAt), Status: status,
		FundsAccount: "AVAILABLE", Promotion: []struct{}{},
		Amount: RefundAmount{Total: int64(t.Total), Refund: int64(r.Amount), From: []struct{}{}, PayerTotal: int64(t.Total),
			PayerRefund: int64(r.Amount), SettlementRefund: int64(r.Amount), SettlementTotal: int64(t.Total), Currency: "CNY"},
	}
	if status == RefundSuccess {
		o.SuccessTime = rfc3339(r.CreatedAt)
	}
	return o
}

type refundIn struct {
	TransactionID string `json:"transaction_id"`
	OutTradeNo    string `json:"out_trade_no"`
	OutRefundNo   string `json:"out_refund_no"`
	Reason        string `json:"reason"`
	NotifyURL     string `json:"notify_url"`
	FundsAccount  string `json:"funds_account"`
	Amount        *struct {
		Refund   *int64 `json:"refund"`
		Total    *int64 `json:"total"`
		Currency string `json:"currency"`
	} `json:"amount"`
}

var outRefundNoShape = regexp.MustCompile(`^[0-9A-Za-z_\-|*@]{1,64}$`)

// refund is POST /v3/refund/domestic/refunds (§2.5). An amount above what
// is left to refund is INVALID_REQUEST; a repeated out_refund_no with the
// same amount answers the refund made.
func (a *API) refund(c *call) (int, any, error) {
	var in refundIn
	if err := decodeBody(c.body, &in); err != nil {
		return 0, nil, err
	}
	switch {
	case in.TransactionID == "" && in.OutTradeNo == "":
		return 0, nil, errField("/out_trade_no", "body", "transaction_id和out_trade_no必须二选一", nil)
	case !outRefundNoShape.MatchString(in.OutRefundNo):
		return 0, nil, errField("/out_refund_no", "body", "out_refund_no须为1-64位数字、字母、_-|*@", in.OutRefundNo)
	case utf8.RuneCountInString(in.Reason) > 80:
		return 0, nil, errField("/reason", "body", "reason长度不能超过80个字符", in.Reason)
	case in.Amount == nil || in.Amount.Refund == nil || in.Amount.Total == nil:
		return 0, nil, errField("/amount", "body", "缺少参数amount.refund或amount.total", nil)
	case *in.Amount.Refund < 1:
		return 0, nil, errField("/amount/refund", "body", "amount.refund须为不小于1的整数(分)", *in.Amount.Refund)
	case in.Amount.Currency != "CNY":
		return 0, nil, errField("/amount/currency", "body", "amount.currency须为CNY", in.Amount.Currency)
	}
	if in.NotifyURL != "" {
		if err := checkNotifyURL(in.NotifyURL); err != nil {
			return 0, nil, err
		}
	}
	t, err := a.Service.Query(c.ctx, c.app, in.OutTradeNo, in.TransactionID)
	if payment.CodeOf(err) == payment.CodeTradeNotExist {
		return 0, nil, apiError(http.StatusNotFound, "RESOURCE_NOT_EXISTS", "订单不存在")
	}
	if err != nil {
		return 0, nil, err
	}
	switch {
	case t.PaidAt.IsZero():
		return 0, nil, apiError(http.StatusNotFound, "RESOURCE_NOT_EXISTS", "订单未支付，不能退款")
	case *in.Amount.Total != int64(t.Total):
		return 0, nil, errField("/amount/total", "body", "订单金额与原订单金额不一致", *in.Amount.Total)
	}
	res, err := a.Service.Refund(c.ctx, c.app, payment.RefundRequest{
		TradeNo: t.TradeNo, OutRequestNo: in.OutRefundNo, Amount: payment.Amount(*in.Amount.Refund), Reason: in.Reason, NotifyURL: in.NotifyURL,
	})
	if err != nil {
		return 0, nil, err
	}
	status := RefundProcessing
	if !res.FundChange {
		status = RefundStatus(res.Refund) // a replay: the refund is long settled
	}
	return http.StatusOK, RefundOf(res.Trade, res.Refund, status), nil
}

// refundQuery is GET /v3/refund/domestic/refunds/{out_refund_no} (§2.5).
func (a *API) refundQuery(c *call) (int, any, error) {
	t, r, err := a.Service.RefundOfMerchant(c.ctx, c.app, c.path[3])
	if payment.CodeOf(err) == payment.CodeRefundNotExist {
		return 0, nil, apiError(http.StatusNotFound, "RESOURCE_NOT_EXISTS", "退款单不存在")
	}
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, RefundOf(t, r, RefundStatus(r)), nil
}
