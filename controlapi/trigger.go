package controlapi

import (
	"context"
	"net/http"
)

// TriggerRequest is the body of POST /trades: an event to make happen
// without signing. The trade is made as if the app's shop had ordered it
// and driven to Outcome, so the shop's notify_url receives the platform's
// real signed notifications.
type TriggerRequest struct {
	AppID        string `json:"app_id"`
	Amount       string `json:"amount"` // yuan, e.g. "88.00"
	Subject      string `json:"subject,omitempty"`
	NotifyURL    string `json:"notify_url,omitempty"`
	OutTradeNo   string `json:"out_trade_no,omitempty"`
	Outcome      string `json:"outcome"`                 // paid, failed, closed or refunded
	RefundAmount string `json:"refund_amount,omitempty"` // refunded in part: this much; else in whole
}

// Trigger makes an event happen (POST /trades) and returns the trade as
// the outcome left it; its notifications follow on the platform's schedule.
func (c *Client) Trigger(ctx context.Context, req TriggerRequest) (Trade, error) {
	var out Trade
	return out, c.call(ctx, http.MethodPost, "/trades", nil, req, &out)
}
