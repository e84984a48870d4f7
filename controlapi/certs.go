package controlapi

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// AppPay plays the platform's mobile app on a signed app-pay order string
// (POST /app-pay): it verifies it, performs action (pay, fail or cancel;
// "" is pay) and returns what the mobile SDK hands back to the shop's app.
func (c *Client) AppPay(ctx context.Context, orderStr, action string) (AppPayResult, error) {
	var out AppPayResult
	return out, c.call(ctx, http.MethodPost, "/app-pay", nil, AppPayRequest{OrderStr: orderStr, Action: action}, &out)
}

// AppCerts is a certificate-mode app's certificates (GET
// /apps/{app_id}/certs). Files maps each file name to its download URL;
// Fields is the whole answer, whose other keys (SNs, PEMs) are the
// platform's own names.
type AppCerts struct {
	Files  map[string]string `json:"files"`
	Fields map[string]any    `json:"-"`
}

// Certs lists a certificate-mode app's certificates.
func (c *Client) Certs(ctx context.Context, appID string) (AppCerts, error) {
	var fields map[string]any
	if err := c.call(ctx, http.MethodGet, "/apps/"+url.PathEscape(appID)+"/certs", nil, nil, &fields); err != nil {
		return AppCerts{}, err
	}
	out := AppCerts{Fields: fields, Files: map[string]string{}}
	if files, ok := fields["files"].(map[string]any); ok {
		for name, u := range files {
			out.Files[name], _ = u.(string)
		}
	}
	return out, nil
}

// CertFile downloads one certificate file (GET /apps/{app_id}/certs/{file}):
// a PEM, not JSON, so it does not go through call; a refusal is an *Error.
func (c *Client) CertFile(ctx context.Context, appID, file string) ([]byte, error) {
	target := c.Base + "/_mockpay/api/apps/" + url.PathEscape(appID) + "/certs/" + url.PathEscape(file)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return nil, err
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &UnreachableError{Server: c.Base, Err: err}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("reading the answer of %s: %w", target, err)
	}
	if resp.StatusCode >= 300 {
		var e Error
		if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") && json.Unmarshal(raw, &e) == nil && e.Code != "" {
			return nil, &e
		}
		return nil, &NotAPIError{URL: target, Status: resp.Status}
	}
	return raw, nil
}

// OpenAPI fetches the control API's own OpenAPI 3 document.
func (c *Client) OpenAPI(ctx context.Context) (json.RawMessage, error) {
	var out json.RawMessage
	return out, c.call(ctx, http.MethodGet, "/openapi.json", nil, nil, &out)
}
