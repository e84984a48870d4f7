package v3

import (
	"net/http"
	"time"

	"github.com/mockpay/mockpay/channel/wechatpay/kit"
	"github.com/mockpay/mockpay/payment"
)

// Transaction is the transaction object of a query and of a
// TRANSACTION.SUCCESS resource (§2.6). Fields a trade does not have yet
// are omitted, never empty (P-V3-9).
type Transaction struct {
	AppID          string      `json:"appid"`
	MchID          string      `json:"mchid"`
	OutTradeNo     string      `json:"out_trade_no"`
	TransactionID  string      `json:"transaction_id,omitempty"`
	TradeType      string      `json:"trade_type,omitempty"`
	TradeState     string      `json:"trade_state"`
	TradeStateDesc string      `json:"trade_state_desc"`
	BankType       string      `json:"bank_type,omitempty"`
	Attach         string      `json:"attach"`
	SuccessTime    string      `json:"success_time,omitempty"`
	Payer          *Payer      `json:"payer,omitempty"`
	Amount         TradeAmount `json:"amount"`
	SceneInfo      *SceneInfo  `json:"scene_info,omitempty"`
	Promotion      []struct{}  `json:"promotion_detail"`
}

// Payer is the buyer as one appid knows them.
type Payer struct {
	OpenID string `json:"openid"`
}

// TradeAmount is a transaction's amounts in fen.
type TradeAmount struct {
	Total         int64  `json:"total"`
	PayerTotal    *int64 `json:"payer_total,omitempty"`
	Currency      string `json:"currency"`
	PayerCurrency string `json:"payer_currency"`
}

// SceneInfo is the transaction's scene.
type SceneInfo struct {
	DeviceID string `json:"device_id"`
}

// RFC3339 in CST, as the platform writes times (§2.1).
func rfc3339(t time.Time) string { return t.In(payment.CST).Format(time.RFC3339) }

// TransactionOf is t as APIv3 shows it.
func TransactionOf(app *payment.App, t *payment.Trade) Transaction {
	terms := kit.OrderTerms(t.Order)
	state := kit.TradeState(t)
	tx := Transaction{
		AppID: terms.AppID, MchID: app.AppID, OutTradeNo: t.OutTradeNo, TradeState: state,
		TradeStateDesc: kit.TradeStateDesc(state), Attach: t.PassbackParams,
		Amount:    TradeAmount{Total: int64(t.Total), Currency: "CNY", PayerCurrency: "CNY"},
		Promotion: []struct{}{},
	}
	if !t.PaidAt.IsZero() {
		paid := int64(t.Total)
		openID := terms.OpenID
		if openID == "" {
			openID = kit.SandboxOpenID
		}
		tx.TransactionID, tx.TradeType, tx.BankType = t.TradeNo, terms.TradeType, "OTHERS"
		tx.SuccessTime, tx.Payer, tx.Amount.PayerTotal = rfc3339(t.PaidAt), &Payer{OpenID: openID}, &paid
		tx.SceneInfo = &SceneInfo{DeviceID: ""}
	}
	return tx
}

// queryByOutTradeNo is GET /v3/pay/transactions/out-trade-no/{no}?mchid= (§2.5).
func (a *API) queryByOutTradeNo(c *call) (int, any, error) {
	return a.query(c, c.path[3], "")
}

// queryByTransactionID is GET /v3/pay/transactions/id/{id}?mchid=.
func (a *API) queryByTransactionID(c *call) (int, any, error) {
	return a.query(c, "", c.path[3])
}

func (a *API) query(c *call, outTradeNo, transactionID string) (int, any, error) {
	if err := checkMchIDQuery(c); err != nil {
		return 0, nil, err
	}
	t, err := a.Service.Query(c.ctx, c.app, outTradeNo, transactionID)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, TransactionOf(c.app, t), nil
}

// checkMchIDQuery: queries name the merchant in ?mchid=, the one that signed.
func checkMchIDQuery(c *call) error {
	m := c.query["mchid"]
	switch {
	case len(m) == 0 || m[0] == "":
		return errField("mchid", "query", "缺少参数mchid", nil)
	case m[0] != c.app.AppID:
		return errField("mchid", "query", "mchid与请求头Authorization中的mchid不一致", m[0])
	}
	return nil
}

// close is POST …/out-trade-no/{no}/close with {"mchid"}: exactly 204
// (P-V3-7). Closing is re-entrant (§2.5): an order already closed answers
// 204 again; a paid one cannot be closed.
func (a *API) close(c *call) (int, any, error) {
	var in struct {
		MchID string `json:"mchid"`
	}
	if err := decodeBody(c.body, &in); err != nil {
		return 0, nil, err
	}
	if in.MchID != c.app.AppID {
		return 0, nil, errField("/mchid", "body", "mchid与请求头Authorization中的mchid不一致", in.MchID)
	}
	t, err := a.Service.Query(c.ctx, c.app, c.path[3], "")
	if err != nil {
		return 0, nil, err
	}
	switch {
	case t.Status == payment.StatusClosed && t.PaidAt.IsZero():
		return http.StatusNoContent, nil, nil
	case t.Status != payment.StatusPending:
		// The code for closing a paid order is unconfirmed; one official
		// guide says ORDER_PAID (wechatpay-protocol.md §2.7).
		return 0, nil, apiError(http.StatusBadRequest, "ORDER_PAID", "订单已支付，不能关闭")
	}
	if _, err := a.Service.Close(c.ctx, c.app, c.path[3], ""); err != nil {
		return 0, nil, err
	}
	return http.StatusNoContent, nil, nil
}
