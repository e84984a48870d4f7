package controlapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Client calls a running mockpay's control API.
type Client struct {
	// Base is the server, http://host:port without a trailing slash.
	Base string
	// HTTP sends the requests. It should have no timeout of its own: long
	// polls last up to their wait, and each call runs under its context.
	HTTP *http.Client
	// Answered, when set, sees the body of every successful answer as the
	// server sent it (the CLI's --json prints it unchanged).
	Answered func(raw []byte)
}

// New returns a client of the server at base (http://host:port).
func New(base string) *Client {
	return &Client{Base: strings.TrimRight(base, "/"), HTTP: &http.Client{}}
}

// UnreachableError is a call that reached no server.
type UnreachableError struct {
	Server string
	Err    error
}

func (e *UnreachableError) Error() string {
	if e.Refused() {
		return fmt.Sprintf("no mockpay at %s (connection refused)", e.Server)
	}
	return fmt.Sprintf("cannot reach mockpay at %s: %v", e.Server, e.Err)
}

func (e *UnreachableError) Unwrap() error { return e.Err }

// Refused says nothing listens there: almost always a mockpay not
// started yet.
func (e *UnreachableError) Refused() bool { return errors.Is(e.Err, syscall.ECONNREFUSED) }

// NotAPIError is an answer without JSON: whatever answered is not
// mockpay's control API.
type NotAPIError struct {
	URL, Status string
}

func (e *NotAPIError) Error() string { return e.URL + " answered " + e.Status + " without JSON" }

// Apps lists every app and legacy partner with its test keys.
func (c *Client) Apps(ctx context.Context) ([]AppEntry, error) {
	var out []AppEntry
	return out, c.call(ctx, http.MethodGet, "/apps", nil, nil, &out)
}

// App returns one app or partner.
func (c *Client) App(ctx context.Context, appID string) (AppEntry, error) {
	var out AppEntry
	return out, c.call(ctx, http.MethodGet, "/apps/"+url.PathEscape(appID), nil, nil, &out)
}

// CreateApp registers a sandbox app.
func (c *Client) CreateApp(ctx context.Context, req CreateAppRequest) (App, error) {
	var out App
	return out, c.call(ctx, http.MethodPost, "/apps", nil, req, &out)
}

// TradeQuery filters GET /trades; empty fields do not filter.
type TradeQuery struct {
	AppID, OutTradeNo, TradeNo, Status string
	Limit                              int // 0: the API's default page (100)
	// Cursor is the page after the one that gave it (TradesPage); empty:
	// the first page.
	Cursor string
}

func (q TradeQuery) values() url.Values {
	v := url.Values{}
	setIf(v, "app_id", q.AppID)
	setIf(v, "out_trade_no", q.OutTradeNo)
	setIf(v, "trade_no", q.TradeNo)
	setIf(v, "status", q.Status)
	if q.Limit > 0 {
		v.Set("limit", strconv.Itoa(q.Limit))
	}
	setIf(v, "cursor", q.Cursor)
	return v
}

// Trades lists trades, newest first: one page (TradesPage says whether
// more follow).
func (c *Client) Trades(ctx context.Context, q TradeQuery) ([]Trade, error) {
	out, _, err := c.TradesPage(ctx, q)
	return out, err
}

// TradesPage is one page of trades, newest first, and the cursor of the
// next ("" after the last).
func (c *Client) TradesPage(ctx context.Context, q TradeQuery) ([]Trade, string, error) {
	var out []Trade
	next, err := c.page(ctx, "/trades", q.values(), &out)
	return out, next, err
}

// Trade returns a trade with its history and notifications.
func (c *Client) Trade(ctx context.Context, tradeNo string) (Trade, error) {
	var out Trade
	return out, c.call(ctx, http.MethodGet, "/trades/"+url.PathEscape(tradeNo), nil, nil, &out)
}

// TradeNotifications lists a trade's notifications with every attempt.
func (c *Client) TradeNotifications(ctx context.Context, tradeNo string) ([]Notification, error) {
	var out []Notification
	return out, c.call(ctx, http.MethodGet, "/trades/"+url.PathEscape(tradeNo)+"/notifications", nil, nil, &out)
}

// TradeRefunds lists a trade's refunds, oldest first.
func (c *Client) TradeRefunds(ctx context.Context, tradeNo string) ([]Refund, error) {
	var out []Refund
	return out, c.call(ctx, http.MethodGet, "/trades/"+url.PathEscape(tradeNo)+"/refunds", nil, nil, &out)
}

// FailRefund ends refund id abnormal (the money did not reach the buyer)
// and answers its trade with its refunds; CloseRefund ends it closed
// (refused, its amount refundable again). The refund's notification
// follows. Synchronous platforms (Alipay, UnionPay) refuse both with
// unsupported_operation.
func (c *Client) FailRefund(ctx context.Context, id int64) (Trade, error) {
	return c.settleRefund(ctx, id, "fail")
}

// CloseRefund: see FailRefund.
func (c *Client) CloseRefund(ctx context.Context, id int64) (Trade, error) {
	return c.settleRefund(ctx, id, "close")
}

func (c *Client) settleRefund(ctx context.Context, id int64, outcome string) (Trade, error) {
	var out Trade
	return out, c.call(ctx, http.MethodPost, "/refunds/"+strconv.FormatInt(id, 10)+"/"+outcome, nil, nil, &out)
}

// ActOnTrade acts as the buyer (pay, fail, cancel) on a trade.
func (c *Client) ActOnTrade(ctx context.Context, tradeNo, action string) (ActionResult, error) {
	var out ActionResult
	return out, c.call(ctx, http.MethodPost, "/trades/"+url.PathEscape(tradeNo)+"/"+url.PathEscape(action), nil, nil, &out)
}

// ActOnOrder acts as the buyer on an app's out_trade_no; the buyer enters
// the cashier first when no browser did.
func (c *Client) ActOnOrder(ctx context.Context, appID, outTradeNo, action string) (ActionResult, error) {
	var out ActionResult
	path := "/apps/" + url.PathEscape(appID) + "/orders/" + url.PathEscape(outTradeNo) + "/" + url.PathEscape(action)
	return out, c.call(ctx, http.MethodPost, path, nil, nil, &out)
}

// NotificationQuery filters GET /notifications; empty fields do not filter.
type NotificationQuery struct {
	AppID, TradeNo, Status string
	Limit                  int    // 0: the API's default page (100)
	Cursor                 string // as TradeQuery.Cursor
}

// Notifications lists notifications with every attempt, newest first: one
// page (NotificationsPage says whether more follow).
func (c *Client) Notifications(ctx context.Context, q NotificationQuery) ([]Notification, error) {
	out, _, err := c.NotificationsPage(ctx, q)
	return out, err
}

// NotificationsPage is one page of notifications and the cursor of the
// next ("" after the last).
func (c *Client) NotificationsPage(ctx context.Context, q NotificationQuery) ([]Notification, string, error) {
	v := url.Values{}
	setIf(v, "app_id", q.AppID)
	setIf(v, "trade_no", q.TradeNo)
	setIf(v, "status", q.Status)
	if q.Limit > 0 {
		v.Set("limit", strconv.Itoa(q.Limit))
	}
	setIf(v, "cursor", q.Cursor)
	var out []Notification
	next, err := c.page(ctx, "/notifications", v, &out)
	return out, next, err
}

// Notification returns one notification with every attempt.
func (c *Client) Notification(ctx context.Context, id int64) (Notification, error) {
	var out Notification
	return out, c.call(ctx, http.MethodGet, "/notifications/"+strconv.FormatInt(id, 10), nil, nil, &out)
}

// Redeliver sends a notification once more, now, whatever its state; id
// is as the user typed it (the server refuses one that is not a number).
func (c *Client) Redeliver(ctx context.Context, id string) (Notification, error) {
	var out Notification
	return out, c.call(ctx, http.MethodPost, "/notifications/"+url.PathEscape(id)+"/redeliver", nil, nil, &out)
}

// WaitQuery names what a long poll waits for: a trade by TradeNo, or by
// AppID and OutTradeNo, reaching Status (and, for a notification, having
// at least Attempts attempts), for at most Timeout (0: the server's 30s).
type WaitQuery struct {
	TradeNo, AppID, OutTradeNo, Status string
	Attempts                           int
	Timeout                            time.Duration
}

func (q WaitQuery) values() url.Values {
	v := TradeQuery{AppID: q.AppID, OutTradeNo: q.OutTradeNo, TradeNo: q.TradeNo, Status: q.Status}.values()
	if q.Attempts > 0 {
		v.Set("attempts", strconv.Itoa(q.Attempts))
	}
	if q.Timeout > 0 {
		v.Set("timeout", q.Timeout.String())
	}
	return v
}

// WaitTrade waits until the trade reaches the status; an *Error with code
// "timeout" when it did not in time.
func (c *Client) WaitTrade(ctx context.Context, q WaitQuery) (Trade, error) {
	var out Trade
	return out, c.call(ctx, http.MethodGet, "/trades/wait", q.values(), nil, &out)
}

// WaitNotification waits until a notification of the trade reaches the
// status with enough attempts; an *Error with code "timeout" when none
// did in time.
func (c *Client) WaitNotification(ctx context.Context, q WaitQuery) (Notification, error) {
	var out Notification
	return out, c.call(ctx, http.MethodGet, "/notifications/wait", q.values(), nil, &out)
}

// Attempts reads the attempts feed after a feed id (0: from the start),
// waiting up to wait for the next attempt when there is none yet.
func (c *Client) Attempts(ctx context.Context, after int64, wait time.Duration) (Feed, error) {
	v := url.Values{"after": {strconv.FormatInt(after, 10)}}
	if wait > 0 {
		v.Set("wait", wait.String())
	}
	var out Feed
	return out, c.call(ctx, http.MethodGet, "/attempts", v, nil, &out)
}

// Clock shows virtual now.
func (c *Client) Clock(ctx context.Context) (Clock, error) {
	var out Clock
	return out, c.call(ctx, http.MethodGet, "/clock", nil, nil, &out)
}

// Advance jumps virtual time forward by a span (6h, 90m, 2d).
func (c *Client) Advance(ctx context.Context, by string) (Clock, error) {
	var out Clock
	return out, c.call(ctx, http.MethodPost, "/clock/advance", nil, AdvanceRequest{By: by}, &out)
}

// Reset deletes every trade and notification; apps stay.
func (c *Client) Reset(ctx context.Context) error {
	return c.call(ctx, http.MethodPost, "/reset", nil, nil, nil)
}

func setIf(q url.Values, key, value string) {
	if value != "" {
		q.Set(key, value)
	}
}

// call sends one request to /_mockpay/api + path and decodes the answer
// into out (when not nil); a refusal is an *Error.
// page GETs one page of a list and returns the next page's cursor.
func (c *Client) page(ctx context.Context, path string, query url.Values, out any) (string, error) {
	var next string
	err := c.do(ctx, http.MethodGet, path, query, nil, out, func(h http.Header) { next = h.Get("X-Next-Cursor") })
	return next, err
}

func (c *Client) call(ctx context.Context, method, path string, query url.Values, body, out any) error {
	return c.do(ctx, method, path, query, body, out, nil)
}

// do is call, giving the answer's header to header (nil: not needed).
func (c *Client) do(ctx context.Context, method, path string, query url.Values, body, out any, header func(http.Header)) error {
	if len(query) > 0 {
		path += "?" + query.Encode()
	}
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	target := c.Base + "/_mockpay/api" + path
	req, err := http.NewRequestWithContext(ctx, method, target, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return err
		}
		return &UnreachableError{Server: c.Base, Err: err}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return fmt.Errorf("reading the answer of %s: %w", target, err)
	}
	if !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		return &NotAPIError{URL: target, Status: resp.Status}
	}
	if header != nil {
		header(resp.Header)
	}
	if resp.StatusCode >= 300 {
		var e Error
		if json.Unmarshal(raw, &e) != nil || e.Code == "" {
			return fmt.Errorf("%s answered %s: %s", target, resp.Status, bytes.TrimSpace(raw))
		}
		return &e
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			return fmt.Errorf("%s: unexpected answer: %w", target, err)
		}
	}
	if c.Answered != nil {
		c.Answered(raw)
	}
	return nil
}
