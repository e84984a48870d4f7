package controlapi

import (
	"context"
	"net/http"
	"strconv"
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

// SendRequest is the body of POST /notifications/{id}/send.
type SendRequest struct {
	URL string `json:"url"`
}

// SendResult is one delivery of a notification to another URL: what was
// sent and what that URL answered. It is not one of the notification's
// attempts and changes nothing of its schedule.
type SendResult struct {
	NotificationID int64   `json:"notification_id"`
	NotifyID       string  `json:"notify_id"`
	TradeNo        string  `json:"trade_no,omitempty"`
	Attempt        Attempt `json:"attempt"`
}

// Send delivers notification id once to url, signed now (POST
// /notifications/{id}/send), and returns what url answered.
func (c *Client) Send(ctx context.Context, id int64, url string) (SendResult, error) {
	var out SendResult
	return out, c.call(ctx, http.MethodPost, "/notifications/"+strconv.FormatInt(id, 10)+"/send", nil, SendRequest{URL: url}, &out)
}
