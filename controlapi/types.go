// Package controlapi is mockpay's control API on the wire: the JSON types
// of every request and answer under /_mockpay/api/ (server/api/openapi.json
// describes them), and a typed Go client over HTTP. The server encodes
// these very types and the client decodes them, so the two cannot drift.
// It imports nothing of mockpay: a test suite can use the client without
// pulling in the sandbox.
package controlapi

import "time"

// TimeLayout is how the API writes virtual times: RFC 3339 in GMT+8, the
// platform's zone, so they read like the protocol's own timestamps.
const TimeLayout = time.RFC3339

// Error is every refusal: {"code": ..., "message": ...}. Code is a domain
// code (trade_not_exist, invalid_parameter, …) or an HTTP one (not_found,
// bad_request, timeout, …).
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Status is the answer of /healthz, /readyz and /reset.
type Status struct {
	Status string `json:"status"`
}

// App is an OpenAPI app in GET /apps, with its test keys (the Alipay
// channel's app view fills it).
type App struct {
	Protocol              string `json:"protocol"` // "openapi"; legacy partners are Partner
	AppID                 string `json:"app_id"`
	Name                  string `json:"name"`
	PID                   string `json:"pid"`
	SellerID              string `json:"seller_id"`
	SellerEmail           string `json:"seller_email"`
	SignType              string `json:"sign_type"`
	KeyMode               string `json:"key_mode"`
	GatewayURL            string `json:"gateway_url"`
	AppPrivateKeyPEM      string `json:"app_private_key_pem"`
	AppPrivateKeyPKCS8PEM string `json:"app_private_key_pkcs8_pem"`
	AppPublicKeyPEM       string `json:"app_public_key_pem"`
	AlipayPublicKeyPEM    string `json:"alipay_public_key_pem"`
	// AESKey is the app's content-encryption key (encrypt_type=AES; the
	// SDKs' encryptKey / SetEncryptKey), base64; absent for none.
	AESKey string `json:"aes_key,omitempty"`
	// The SNs of a cert-mode app (key_mode "cert"), as requests carry them
	// (app_cert_sn, alipay_root_cert_sn) and answers (alipay_cert_sn);
	// absent in public-key mode.
	AppCertSN        string `json:"app_cert_sn,omitempty"`
	AlipayCertSN     string `json:"alipay_cert_sn,omitempty"`
	AlipayRootCertSN string `json:"alipay_root_cert_sn,omitempty"`
}

// Partner is a legacy MAPI partner in GET /apps: its PID is its seller_id,
// md5_key signs, and an RSA partner also has the key pairs an OpenAPI app
// has (SHA1withRSA, alipay-protocol.md §1.2). Every value is a string, as
// in the rest of the list, for consumers that read it as a map of strings.
type Partner struct {
	Protocol              string `json:"protocol"` // "legacy"
	Name                  string `json:"name"`
	PID                   string `json:"pid"`
	SellerID              string `json:"seller_id"`
	SellerEmail           string `json:"seller_email"`
	SignType              string `json:"sign_type"` // MD5, or RSA for a partner with RSA keys (MD5 works too)
	MD5Key                string `json:"md5_key"`
	TradeStatusOnPay      string `json:"trade_status_on_pay"` // TRADE_SUCCESS (refundable) or TRADE_FINISHED (§1.5)
	AntiPhishing          string `json:"anti_phishing"`       // "on": orders need query_timestamp's key (§1.7); else "off"
	GatewayURL            string `json:"gateway_url"`
	AppPrivateKeyPEM      string `json:"app_private_key_pem,omitempty"`
	AppPrivateKeyPKCS8PEM string `json:"app_private_key_pkcs8_pem,omitempty"`
	AppPublicKeyPEM       string `json:"app_public_key_pem,omitempty"`
	AlipayPublicKeyPEM    string `json:"alipay_public_key_pem,omitempty"`
}

// CreateAppRequest is the body of POST /apps.
type CreateAppRequest struct {
	Name            string `json:"name"`
	SignType        string `json:"sign_type"`
	AppPublicKeyPEM string `json:"app_public_key_pem,omitempty"`
	// RefundWindowDays, when set, is how many days the app's paid trades
	// stay refundable before they finish; else the platform's default.
	RefundWindowDays int `json:"refund_window_days,omitempty"`
	// AESKey: give the app a fresh content-encryption key (aes_key in
	// the answer).
	AESKey bool `json:"aes_key,omitempty"`
	// KeyMode is "public_key" (the default) or "certificate": the app's
	// certificates are issued by mockpay's local CA (GET /apps/{app_id}/certs).
	KeyMode string `json:"key_mode,omitempty"`
	// Protocol is the platform of the new app, as GET /apps names it:
	// "openapi" (Alipay, the default) or "wechatpay" (a WeChat Pay
	// merchant: mchid, appid, APIv3/APIv2 keys, a merchant certificate,
	// and a platform public key, or with key_mode certificate a platform
	// certificate).
	Protocol string `json:"protocol,omitempty"`
}

// Trade is a trade in GET /trades; GET /trades/{trade_no} and the trade
// wait add its History and Notifications.
type Trade struct {
	TradeNo    string `json:"trade_no"`
	OutTradeNo string `json:"out_trade_no"`
	AppID      string `json:"app_id"`
	PID        string `json:"pid"`
	Status     string `json:"status"` // in the words of the channel it was ordered through
	// ScanCode is the text of the QR code the buyer scans to pay it, for
	// a protocol that gives one (WeChat Native's code_url); absent else.
	ScanCode      string         `json:"scan_code,omitempty"`
	Subject       string         `json:"subject"`
	Body          string         `json:"body,omitempty"`
	TotalAmount   string         `json:"total_amount"`
	ProductCode   string         `json:"product_code,omitempty"`
	NotifyURL     string         `json:"notify_url,omitempty"`
	ReturnURL     string         `json:"return_url,omitempty"`
	BuyerID       string         `json:"buyer_id,omitempty"`
	CreatedAt     string         `json:"created_at"`
	PaidAt        string         `json:"paid_at,omitempty"`
	ClosedAt      string         `json:"closed_at,omitempty"`
	ExpiresAt     string         `json:"expires_at,omitempty"`
	History       []History      `json:"history,omitempty"`
	Notifications []Notification `json:"notifications,omitempty"`

	// RefundedAmount is the sum of the trade's refunds, absent while none.
	RefundedAmount string `json:"refunded_amount,omitempty"`
	// Refunds are the trade's refunds, oldest first, absent while none.
	Refunds []Refund `json:"refunds,omitempty"`
}

// Refund is money given back on a trade: an OpenAPI refund or one record
// of a legacy batch refund.
type Refund struct {
	ID            int64  `json:"id"`             // what the refund outcome levers name (POST /refunds/{id}/fail|close)
	OutRequestNo  string `json:"out_request_no"` // the merchant's key for this refund
	Amount        string `json:"amount"`         // this refund, in yuan
	RefundedTotal string `json:"refunded_total"` // the trade's refunds once this one applied
	Reason        string `json:"reason,omitempty"`
	RefundedAt    string `json:"refunded_at"` // virtual time
	Status        string `json:"status"`      // REFUND_SUCCESS, or REFUND_ABNORMAL / REFUND_CLOSED after a lever
}

// History is one status a trade reached, and when.
type History struct {
	At     string `json:"at"`
	Status string `json:"status"`
}

// Notification is an asynchronous notification with every attempt so far.
type Notification struct {
	ID            int64  `json:"id"`
	NotifyID      string `json:"notify_id"`
	AppID         string `json:"app_id"`
	TradeNo       string `json:"trade_no"`
	OutTradeNo    string `json:"out_trade_no"`
	TradeStatus   string `json:"trade_status"`
	URL           string `json:"url"`
	Status        string `json:"status"` // pending, acked, gave_up
	AttemptCount  int    `json:"attempt_count"`
	Redeliveries  int    `json:"redeliveries"`
	NextAttemptAt string `json:"next_attempt_at,omitempty"`
	CreatedAt     string `json:"created_at"`
	AckedAt       string `json:"acked_at,omitempty"`
	// EventType and Payload are what a protocol whose wire body hides its
	// content shows of it (WeChat Pay APIv3: event_type and the decrypted
	// resource, JSON); absent for the others.
	EventType string    `json:"event_type,omitempty"`
	Payload   string    `json:"payload,omitempty"`
	Attempts  []Attempt `json:"attempts"`
}

// Attempt is one delivery of a notification and the shop's answer.
type Attempt struct {
	Number      int    `json:"number"`
	ScheduledAt string `json:"scheduled_at"`
	StartedAt   string `json:"started_at"`
	URL         string `json:"url"`
	StatusCode  int    `json:"status_code"`
	LatencyMS   int64  `json:"latency_ms"`
	LagMS       int64  `json:"lag_ms"` // started_at − scheduled_at, virtual: a busy dispatcher, or a clock jump over the attempt's time
	Answer      string `json:"answer"`
	Acked       bool   `json:"acked"`
	Verdict     string `json:"verdict"`
	Request     string `json:"request"`
	// Manual marks a redelivery asked for (POST …/redeliver): an extra
	// attempt outside the platform's schedule, which it does not move.
	Manual bool `json:"manual,omitempty"`
	// Failure marks an attempt the team must see (GET /verdicts):
	// canary_accepted (the shop acknowledged a forged or tampered
	// notification) or wrong_ack (it answered a genuine one with anything
	// but the exact acknowledgement).
	Failure string `json:"failure,omitempty"`
}

// FeedItem is one attempt of GET /attempts, with its notification's state
// when the feed was read.
type FeedItem struct {
	FeedID         int64  `json:"feed_id"`
	NotificationID int64  `json:"notification_id"`
	NotifyID       string `json:"notify_id"`
	AppID          string `json:"app_id"`
	TradeNo        string `json:"trade_no"`
	OutTradeNo     string `json:"out_trade_no"`
	TradeStatus    string `json:"trade_status"`
	Attempt
	NotificationStatus string `json:"notification_status"`
	NextAttemptAt      string `json:"next_attempt_at,omitempty"`
	// EventType and Payload: see Notification (WeChat Pay APIv3's event
	// and decrypted resource).
	EventType string `json:"event_type,omitempty"`
	Payload   string `json:"payload,omitempty"`
}

// Feed is the answer of GET /attempts.
type Feed struct {
	Attempts []FeedItem `json:"attempts"`
	Next     int64      `json:"next"` // pass as ?after= to get what follows
}

// ActionResult is the answer of a buyer action (pay, fail, cancel) on a
// trade or an order.
type ActionResult struct {
	Action       string            `json:"action"`
	Trade        Trade             `json:"trade"`
	RedirectURL  string            `json:"redirect_url,omitempty"`
	ReturnParams map[string]string `json:"return_params,omitempty"`
	Message      string            `json:"message"`
}

// Clock is the virtual clock.
type Clock struct {
	Now   string  `json:"now"`
	Scale float64 `json:"scale"` // virtual seconds per real second; 0 = stopped
}

// AdvanceRequest is the body of POST /clock/advance.
type AdvanceRequest struct {
	By string `json:"by"` // a Go duration (6h, 90m) or whole days (2d)
}

// AppPayRequest is the body (JSON or form) of POST /app-pay.
type AppPayRequest struct {
	OrderStr string `json:"order_str" form:"order_str"`
	Action   string `json:"action" form:"action"` // pay (default), fail or cancel
}

// AppPayResult is what the mobile SDK returns to the app, plus the trade's
// identifiers.
type AppPayResult struct {
	ResultStatus string `json:"resultStatus"`
	Memo         string `json:"memo"`
	Result       string `json:"result"`
	TradeNo      string `json:"trade_no,omitempty"`
	OutTradeNo   string `json:"out_trade_no,omitempty"`
}
