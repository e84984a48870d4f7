package controlapi

import (
	"context"
	"net/http"
	"net/url"
)

// FaultKind is one scenario kind of GET /faults.
type FaultKind struct {
	Kind   string `json:"kind"`
	Family string `json:"family"` // delivery, gateway or buyer
	Canary bool   `json:"canary"` // a delivery the shop must refuse
	About  string `json:"about"`
}

// MagicAmount is a reserved amount and the chain it selects.
type MagicAmount struct {
	Amount string `json:"amount"` // yuan, e.g. "13579.01"
	Plan   string `json:"plan"`
}

// Faults is GET /faults: what can be selected and how, and what is.
type Faults struct {
	Kinds []FaultKind `json:"kinds"`
	// Marker is the passback_params / extra_common_param / attach marker
	// of a trade's own chain: Marker + chain + ")".
	Marker       string        `json:"marker"`
	MagicRange   [2]string     `json:"magic_range"` // the reserved amounts, yuan, inclusive
	MagicAmounts []MagicAmount `json:"magic_amounts"`
	Apps         []AppFaults   `json:"apps"` // the apps that have a plan
}

// AppFaults is an app's plan: GET and PUT /apps/{app_id}/faults.
type AppFaults struct {
	AppID string `json:"app_id"`
	// Plan is the chain, e.g. "drop:1,duplicate"; "" selects none.
	Plan  string      `json:"plan"`
	Steps []FaultStep `json:"steps"`
}

// FaultStep is one link of a plan, with the calls a counted gateway step
// has left.
type FaultStep struct {
	Step  string `json:"step"`
	Kind  string `json:"kind"`
	Calls *int   `json:"calls_left,omitempty"`
}

// SetFaults is the body of PUT /apps/{app_id}/faults.
type SetFaults struct {
	Plan string `json:"plan"`
}

// Failure is one attempt the team must see (GET /verdicts): a canary the
// shop acknowledged, or a genuine notification it answered with anything
// but the exact acknowledgement.
type Failure struct {
	Kind           string `json:"kind"` // canary_accepted or wrong_ack
	FeedID         int64  `json:"feed_id"`
	NotificationID int64  `json:"notification_id"`
	NotifyID       string `json:"notify_id"`
	AppID          string `json:"app_id"`
	TradeNo        string `json:"trade_no"`
	OutTradeNo     string `json:"out_trade_no"`
	Attempt        int    `json:"attempt"`
	StartedAt      string `json:"started_at"`
	URL            string `json:"url"`
	StatusCode     int    `json:"status_code"`
	Answer         string `json:"answer"`
	Verdict        string `json:"verdict"`
}

// Verdicts is GET /verdicts: every attempt judged, and the failures.
type Verdicts struct {
	OK       bool      `json:"ok"`       // no failure: what a CI job asserts
	Attempts int       `json:"attempts"` // attempts looked at
	Canaries int       `json:"canaries"` // forged or tampered deliveries among them
	Failures []Failure `json:"failures"`
}

// CheckRequest is the body of POST /check: the hardening suite against a
// shop's notify endpoint.
type CheckRequest struct {
	NotifyURL string `json:"notify_url"`
	AppID     string `json:"app_id"`
	// TradeNo or OutTradeNo names the paid trade the notifications are
	// about; empty: the app's latest paid trade.
	TradeNo    string `json:"trade_no,omitempty"`
	OutTradeNo string `json:"out_trade_no,omitempty"`
}

// CheckResult is one check of the suite.
type CheckResult struct {
	Name     string `json:"name"`
	Expected string `json:"expected"` // what a correct shop does
	Got      string `json:"got"`      // what the shop did
	Passed   bool   `json:"passed"`
	// Skipped: the check could not be run on this trade (Got says why);
	// it counts as passed.
	Skipped bool   `json:"skipped,omitempty"`
	Request string `json:"request,omitempty"` // the first bytes of what was sent
	MS      int64  `json:"ms"`
}

// CheckReport is POST /check's answer.
type CheckReport struct {
	NotifyURL  string        `json:"notify_url"`
	AppID      string        `json:"app_id"`
	TradeNo    string        `json:"trade_no"`
	OutTradeNo string        `json:"out_trade_no"`
	Passed     bool          `json:"passed"`
	Checks     []CheckResult `json:"checks"`
}

// Faults reads GET /faults.
func (c *Client) Faults(ctx context.Context) (Faults, error) {
	var out Faults
	return out, c.call(ctx, http.MethodGet, "/faults", nil, nil, &out)
}

// AppFaults reads an app's plan.
func (c *Client) AppFaults(ctx context.Context, appID string) (AppFaults, error) {
	var out AppFaults
	return out, c.call(ctx, http.MethodGet, "/apps/"+url.PathEscape(appID)+"/faults", nil, nil, &out)
}

// SetAppFaults replaces an app's plan ("" clears it).
func (c *Client) SetAppFaults(ctx context.Context, appID, plan string) (AppFaults, error) {
	var out AppFaults
	return out, c.call(ctx, http.MethodPut, "/apps/"+url.PathEscape(appID)+"/faults", nil, SetFaults{Plan: plan}, &out)
}

// Verdicts reads GET /verdicts, of one app's notifications when appID is
// not "".
func (c *Client) Verdicts(ctx context.Context, appID string) (Verdicts, error) {
	var out Verdicts
	q := url.Values{}
	setIf(q, "app_id", appID)
	return out, c.call(ctx, http.MethodGet, "/verdicts", q, nil, &out)
}

// Check runs the hardening suite (POST /check).
func (c *Client) Check(ctx context.Context, req CheckRequest) (CheckReport, error) {
	var out CheckReport
	return out, c.call(ctx, http.MethodPost, "/check", nil, req, &out)
}
