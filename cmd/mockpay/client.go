package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"syscall"
)

// defaultServer is where client commands find mockpay: serve's default.
const defaultServer = "http://" + defaultAddr

// apiClient calls a running mockpay's control API (/_mockpay/api/).
type apiClient struct {
	base string // http://host:port, no trailing slash
	http *http.Client
}

func newAPIClient(server string) (*apiClient, error) {
	if !strings.Contains(server, "://") {
		server = "http://" + server
	}
	u, err := url.Parse(server)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, usageError{fmt.Sprintf("--server %q is not a URL such as %s", server, defaultServer)}
	}
	// No client timeout: long polls (notifications --follow) last up to
	// their wait, and every call runs under the command's context.
	return &apiClient{base: strings.TrimRight(server, "/"), http: &http.Client{}}, nil
}

// apiError is an error answered by the control API: {"code","message"}.
// main prints it as "mockpay: <code>: <message>".
type apiError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (e *apiError) Error() string { return e.Code + ": " + e.Message }

// get calls GET path?query and decodes the answer into out (when not nil);
// it returns the raw JSON for --json.
func (c *apiClient) get(ctx context.Context, path string, query url.Values, out any) ([]byte, error) {
	if len(query) > 0 {
		path += "?" + query.Encode()
	}
	return c.call(ctx, http.MethodGet, path, nil, out)
}

// post calls POST path with body as JSON (nil: no body).
func (c *apiClient) post(ctx context.Context, path string, body, out any) ([]byte, error) {
	return c.call(ctx, http.MethodPost, path, body, out)
}

func (c *apiClient) call(ctx context.Context, method, path string, body, out any) ([]byte, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(b)
	}
	target := c.base + "/_mockpay/api" + path
	req, err := http.NewRequestWithContext(ctx, method, target, rd)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, c.unreachable(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("reading the answer of %s: %w", target, err)
	}
	if !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		return nil, fmt.Errorf("%s answered %s without JSON: is --server a mockpay?", target, resp.Status)
	}
	if resp.StatusCode >= 300 {
		var e apiError
		if json.Unmarshal(raw, &e) != nil || e.Code == "" {
			return nil, fmt.Errorf("%s answered %s: %s", target, resp.Status, bytes.TrimSpace(raw))
		}
		return nil, &e
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			return nil, fmt.Errorf("%s: unexpected answer: %w", target, err)
		}
	}
	return raw, nil
}

// unreachable explains a failed connection; a refused one is almost always
// a mockpay that is not running yet.
func (c *apiClient) unreachable(err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if errors.Is(err, syscall.ECONNREFUSED) {
		return fmt.Errorf("no mockpay at %s (connection refused): start one with `mockpay serve` (or `docker compose up -d`), or point --server / MOCKPAY_URL at it", c.base)
	}
	return fmt.Errorf("cannot reach mockpay at %s: %w", c.base, err)
}
