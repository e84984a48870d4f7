package main

// The control API's JSON, as the CLI reads it (server/openapi.json is the
// reference; unknown fields are ignored so a newer server still works).

type appJSON struct {
	Protocol              string `json:"protocol"` // openapi, or legacy for MAPI partners
	AppID                 string `json:"app_id"`
	Name                  string `json:"name"`
	PID                   string `json:"pid"`
	SignType              string `json:"sign_type"`
	GatewayURL            string `json:"gateway_url"`
	AppPrivateKeyPEM      string `json:"app_private_key_pem"`
	AppPrivateKeyPKCS8PEM string `json:"app_private_key_pkcs8_pem"`
	AppPublicKeyPEM       string `json:"app_public_key_pem"`
	AlipayPublicKeyPEM    string `json:"alipay_public_key_pem"`
	// Legacy partners only.
	MD5Key      string `json:"md5_key"`
	SellerEmail string `json:"seller_email"`
}

type tradeJSON struct {
	TradeNo       string             `json:"trade_no"`
	OutTradeNo    string             `json:"out_trade_no"`
	AppID         string             `json:"app_id"`
	Status        string             `json:"status"`
	Subject       string             `json:"subject"`
	TotalAmount   string             `json:"total_amount"`
	ProductCode   string             `json:"product_code"`
	NotifyURL     string             `json:"notify_url"`
	ReturnURL     string             `json:"return_url"`
	BuyerID       string             `json:"buyer_id"`
	CreatedAt     string             `json:"created_at"`
	PaidAt        string             `json:"paid_at"`
	ClosedAt      string             `json:"closed_at"`
	ExpiresAt     string             `json:"expires_at"`
	History       []historyJSON      `json:"history"`
	Notifications []notificationJSON `json:"notifications"`
}

type historyJSON struct {
	At     string `json:"at"`
	Status string `json:"status"`
}

type attemptJSON struct {
	Number      int    `json:"number"`
	ScheduledAt string `json:"scheduled_at"`
	StartedAt   string `json:"started_at"`
	URL         string `json:"url"`
	StatusCode  int    `json:"status_code"`
	LatencyMS   int64  `json:"latency_ms"`
	LagMS       int64  `json:"lag_ms"`
	Answer      string `json:"answer"`
	Acked       bool   `json:"acked"`
	Verdict     string `json:"verdict"`
}

type notificationJSON struct {
	ID            int64         `json:"id"`
	NotifyID      string        `json:"notify_id"`
	AppID         string        `json:"app_id"`
	TradeNo       string        `json:"trade_no"`
	OutTradeNo    string        `json:"out_trade_no"`
	TradeStatus   string        `json:"trade_status"`
	URL           string        `json:"url"`
	Status        string        `json:"status"` // pending, acked, gave_up
	AttemptCount  int           `json:"attempt_count"`
	Redeliveries  int           `json:"redeliveries"`
	NextAttemptAt string        `json:"next_attempt_at"`
	CreatedAt     string        `json:"created_at"`
	Attempts      []attemptJSON `json:"attempts"`
}

// feedItemJSON is one attempt of GET /attempts, with its notification's
// state when the feed was read.
type feedItemJSON struct {
	FeedID         int64  `json:"feed_id"`
	NotificationID int64  `json:"notification_id"`
	AppID          string `json:"app_id"`
	TradeNo        string `json:"trade_no"`
	OutTradeNo     string `json:"out_trade_no"`
	attemptJSON
	NotificationStatus string `json:"notification_status"`
	NextAttemptAt      string `json:"next_attempt_at"`
}

type actionJSON struct {
	Action      string    `json:"action"`
	Trade       tradeJSON `json:"trade"`
	RedirectURL string    `json:"redirect_url"`
	Message     string    `json:"message"`
}

type clockJSON struct {
	Now   string  `json:"now"`
	Scale float64 `json:"scale"`
}
