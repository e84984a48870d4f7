package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"time"
)

// mockpay is one `mockpay serve` on a fresh database in a temporary
// directory, loopback only, logging errors only.
type mockpay struct {
	*process
	dir   string
	Ready time.Duration
}

func startMockpay(bin string) (*mockpay, error) {
	dir, err := os.MkdirTemp("", "mockpay-bench-")
	if err != nil {
		return nil, err
	}
	m, err := startMockpayOn(bin, filepath.Join(dir, "mockpay.db"))
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	m.dir = dir
	return m, nil
}

// startMockpayOn serves an existing database (kept at Stop).
func startMockpayOn(bin, db string) (*mockpay, error) {
	addr := freeAddr()
	p, ready, err := startProcess("http://"+addr, "/_mockpay/readyz", bin, "serve",
		"--addr", addr, "--db", db, "--quiet")
	if err != nil {
		return nil, err
	}
	return &mockpay{process: p, Ready: ready}, nil
}

func (m *mockpay) Stop() {
	m.process.Stop()
	if m.dir != "" {
		os.RemoveAll(m.dir)
	}
}

// client is the harness's HTTP client: it never follows redirects (the
// gateway's 303 is the answer being measured) and keeps enough idle
// connections for the flows' concurrency.
var client = &http.Client{
	Timeout:       30 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	Transport:     &http.Transport{MaxIdleConnsPerHost: 256, MaxConnsPerHost: 256},
}

// api calls mockpay's control API with a JSON body (nil: none) and decodes
// a 2xx answer into out.
func (m *mockpay) api(method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, _ := json.Marshal(in)
		body = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, m.URL+"/_mockpay/api"+path, body)
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: HTTP %d: %s", method, path, resp.StatusCode, b)
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}

// appKeys is the part of GET /_mockpay/api/apps/{id} a shop signs with.
type appKeys struct {
	AppID         string `json:"app_id"`
	PID           string `json:"pid"`
	SellerID      string `json:"seller_id"`
	PrivateKeyPEM string `json:"app_private_key_pem"`
	PublicKeyPEM  string `json:"app_public_key_pem"`
	AlipayKeyPEM  string `json:"alipay_public_key_pem"`
	MD5Key        string `json:"md5_key"`
}

func (m *mockpay) app(id string) (appKeys, error) {
	var a appKeys
	err := m.api("GET", "/apps/"+url.PathEscape(id), nil, &a)
	return a, err
}

// newApp creates an RSA2 app with generated keys: one shop of a flash sale.
func (m *mockpay) newApp(name string) (appKeys, error) {
	var a appKeys
	err := m.api("POST", "/apps", map[string]string{"name": name, "sign_type": "RSA2"}, &a)
	return a, err
}

// payOrder is the buyer paying a merchant order, as CI does without a
// browser (POST /_mockpay/api/apps/{app}/orders/{out_trade_no}/pay).
func (m *mockpay) payOrder(appID, outTradeNo string) (tradeNo string, err error) {
	var r struct {
		Trade struct {
			TradeNo string `json:"trade_no"`
			Status  string `json:"status"`
		} `json:"trade"`
	}
	if err := m.api("POST", "/apps/"+appID+"/orders/"+url.PathEscape(outTradeNo)+"/pay", nil, &r); err != nil {
		return "", err
	}
	if r.Trade.Status != "TRADE_SUCCESS" {
		return "", fmt.Errorf("order %s: status %q after pay", outTradeNo, r.Trade.Status)
	}
	return r.Trade.TradeNo, nil
}

// advance jumps mockpay's virtual clock.
func (m *mockpay) advance(by string) error {
	return m.api("POST", "/clock/advance", map[string]string{"by": by}, nil)
}

// postForm posts a form body to the gateway and returns the status and body.
func postForm(u, body string) (int, []byte, error) {
	resp, err := client.Post(u, "application/x-www-form-urlencoded", bytes.NewReader([]byte(body)))
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}
