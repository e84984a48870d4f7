package controlapi

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// Request is one entry of the request journal: a request to an emulated
// platform surface and its verdict. It never carries a key.
type Request struct {
	ID        int64  `json:"id"`
	Time      string `json:"time"`         // wall time, RFC 3339
	Virtual   string `json:"virtual_time"` // the platform's time then
	Surface   string `json:"surface"`      // channel or cashier
	HTTP      string `json:"http_method"`
	Path      string `json:"path"`
	Status    int    `json:"status"`
	LatencyMS int64  `json:"latency_ms"`
	AppID     string `json:"app_id,omitempty"`
	Method    string `json:"method,omitempty"` // method or service as sent
	Verdict   string `json:"verdict"`          // accepted or rejected
	Code      string `json:"code,omitempty"`
	SubCode   string `json:"sub_code,omitempty"`
	Message   string `json:"message,omitempty"`
	// Diagnosis explains a bad signature as `mockpay verify` does.
	Diagnosis *Diagnosis `json:"diagnosis,omitempty"`
}

// Diagnosis is a bad signature explained.
type Diagnosis struct {
	Cause     string   `json:"cause"`
	Canonical string   `json:"canonical"` // the string mockpay verified
	Summary   string   `json:"summary"`
	Details   []string `json:"details,omitempty"`
	// Params are the parameters as received, each saying whether the
	// signed string holds it.
	Params []DiagnosisParam `json:"params,omitempty"`
}

// DiagnosisParam is one request parameter of a diagnosis.
type DiagnosisParam struct {
	Key    string `json:"key"`
	Value  string `json:"value"`
	Signed bool   `json:"signed"`
}

// Requests is the answer of GET /requests.
type Requests struct {
	Requests []Request `json:"requests"`
	Next     int64     `json:"next"` // pass as ?since= to get what follows
	// Journal names this journal: a restarted mockpay has a new one, whose
	// ids start again at 1 (mockpay logs --follow starts over on a change).
	Journal string `json:"journal"`
}

// RequestFilter picks journal entries; zero fields pick all.
type RequestFilter struct {
	AppID   string
	Verdict string // accepted or rejected
	Since   int64
	Wait    time.Duration // long-poll for the next entry when there is none
}

// Requests lists the request journal's entries f picks, the oldest first.
func (c *Client) Requests(ctx context.Context, f RequestFilter) (Requests, error) {
	v := url.Values{}
	if f.AppID != "" {
		v.Set("app", f.AppID)
	}
	if f.Verdict != "" {
		v.Set("verdict", f.Verdict)
	}
	if f.Since > 0 {
		v.Set("since", strconv.FormatInt(f.Since, 10))
	}
	if f.Wait > 0 {
		v.Set("wait", f.Wait.String())
	}
	var out Requests
	return out, c.call(ctx, http.MethodGet, "/requests", v, nil, &out)
}
