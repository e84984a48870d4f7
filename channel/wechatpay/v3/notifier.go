package v3

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/channel/wechatpay/kit"
	"github.com/mockpay/mockpay/clock"
	"github.com/mockpay/mockpay/payment"
)

// Notifier is APIv3's notification (§2.8): a JSON envelope whose resource
// is the transaction or refund encrypted with the APIv3 key, signed like
// an answer; acknowledged by any 200 or 204 within 5 s (P-V3-13), retried
// on WeChat's 15 intervals (§3).
type Notifier struct {
	Apps *payment.Registry
	// Wall signs each attempt with a fresh wall-clock timestamp and nonce
	// (P-V3-2): SDKs reject one 5 minutes off their clock, so the virtual
	// time the attempt was due at never reaches the signature.
	Wall clock.Clock
}

// Envelope is a notification's body.
type Envelope struct {
	ID           string       `json:"id"`
	CreateTime   string       `json:"create_time"`
	ResourceType string       `json:"resource_type"`
	EventType    string       `json:"event_type"`
	Summary      string       `json:"summary"`
	Resource     kit.Resource `json:"resource"`
}

// RefundResource is the decrypted resource of a REFUND.* notification.
type RefundResource struct {
	MchID               string `json:"mchid"`
	TransactionID       string `json:"transaction_id"`
	OutTradeNo          string `json:"out_trade_no"`
	RefundID            string `json:"refund_id"`
	OutRefundNo         string `json:"out_refund_no"`
	RefundStatus        string `json:"refund_status"`
	SuccessTime         string `json:"success_time,omitempty"`
	UserReceivedAccount string `json:"user_received_account"`
	Amount              struct {
		Total       int64 `json:"total"`
		Refund      int64 `json:"refund"`
		PayerTotal  int64 `json:"payer_total"`
		PayerRefund int64 `json:"payer_refund"`
	} `json:"amount"`
}

// Plain is n's event type and decrypted resource, as mockpay shows it
// beside the wire body.
func (nf Notifier) Plain(app *payment.App, n *payment.Notification) (event, summary, originalType string, resource []byte, err error) {
	if n.Kind == payment.KindRefund && n.Refund != nil {
		rr := RefundResource{MchID: app.AppID, TransactionID: n.Trade.TradeNo, OutTradeNo: n.Trade.OutTradeNo,
			RefundID: kit.RefundIDOf(n.Refund), OutRefundNo: n.Refund.OutRequestNo, RefundStatus: RefundStatus(n.Refund),
			UserReceivedAccount: "支付用户零钱"}
		if rr.RefundStatus == RefundSuccess {
			rr.SuccessTime = rfc3339(n.Refund.CreatedAt) // only a refund that reached the buyer has one (§2.8)
		}
		rr.Amount.Total, rr.Amount.Refund = int64(n.Trade.Total), int64(n.Refund.Amount)
		rr.Amount.PayerTotal, rr.Amount.PayerRefund = int64(n.Trade.Total), int64(n.Refund.Amount)
		resource, err = json.Marshal(rr)
		event, summary := refundEvent(rr.RefundStatus)
		return event, summary, "refund", resource, err
	}
	if n.Kind != payment.KindTrade || n.Trade.PaidAt.IsZero() {
		return "", "", "", nil, fmt.Errorf("APIv3 notifies payments and refunds only, not %s", n.Kind)
	}
	resource, err = json.Marshal(TransactionOf(app, &n.Trade))
	return "TRANSACTION.SUCCESS", "支付成功", "transaction", resource, err
}

// refundEvent is the event_type and summary of a refund notification by
// its refund_status (§2.8): REFUND.SUCCESS, REFUND.ABNORMAL, REFUND.CLOSED.
func refundEvent(status string) (string, string) {
	switch status {
	case RefundAbnormal:
		return "REFUND.ABNORMAL", "退款异常"
	case RefundClosed:
		return "REFUND.CLOSED", "退款关闭"
	}
	return "REFUND.SUCCESS", "退款成功"
}

// Reveal is n's event type and decrypted resource, for the dashboard, the
// control API and the CLI beside the encrypted wire body.
func (nf Notifier) Reveal(n *payment.Notification) (string, string, bool) {
	app, ok := nf.Apps.App(n.AppID)
	if !ok {
		return "", "", false
	}
	event, _, _, plain, err := nf.Plain(app, n)
	if err != nil {
		return "", "", false
	}
	return event, string(plain), true
}

// Encode renders one attempt: the envelope (its id the same on every
// retry, §2.8) with the resource freshly encrypted, signed now.
func (nf Notifier) Encode(n *payment.Notification, at time.Time) (channel.Request, error) {
	app, ok := nf.Apps.App(n.AppID)
	if !ok {
		return channel.Request{}, fmt.Errorf("no merchant %s", n.AppID)
	}
	event, summary, originalType, plain, err := nf.Plain(app, n)
	if err != nil {
		return channel.Request{}, err
	}
	res, err := kit.Encrypt(kit.Creds(app).APIv3Key, originalType, originalType, plain)
	if err != nil {
		return channel.Request{}, err
	}
	body, err := json.Marshal(Envelope{ID: n.NotifyID, CreateTime: rfc3339(n.CreatedAt), ResourceType: "encrypt-resource",
		EventType: event, Summary: summary, Resource: res})
	if err != nil {
		return channel.Request{}, err
	}
	h, err := Signed(app, nf.Wall, body)
	if err != nil {
		return channel.Request{}, err
	}
	h.Set("Content-Type", "application/json")
	h.Set("Wechatpay-Signature-Type", authScheme)
	h.Set("Request-ID", requestID())
	h.Set("User-Agent", "Mozilla/4.0")
	return channel.Request{Body: string(body), Header: h}, nil
}

// Judge: HTTP 200 or 204 acknowledges, whatever the body (§2.8).
func (Notifier) Judge(a channel.Answer) (bool, string) {
	switch a.StatusCode {
	case http.StatusOK, http.StatusNoContent:
		return true, fmt.Sprintf("acknowledged: HTTP %d", a.StatusCode)
	}
	return false, fmt.Sprintf("not acknowledged: HTTP %d (WeChat Pay wants 200 or 204), body %s", a.StatusCode, channel.Quote(a.Body))
}

// Schedule is WeChat Pay's 15 intervals (§3).
func (Notifier) Schedule() channel.Schedule { return kit.Schedule }

// Timeout is 5 s (P-V3-13).
func (Notifier) Timeout() time.Duration { return kit.Timeout }
