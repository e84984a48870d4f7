package smartwalle

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smartwalle/alipay/v3"
)

// receivedNotification is one POST that arrived at the shop's notify_url.
type receivedNotification struct {
	Method      string
	ContentType string
	Form        url.Values
	Decoded     *alipay.Notification // nil when the SDK rejected it
	VerifyErr   error                // error from the SDK's DecodeNotification
	Answer      string               // body the shop answered with
	At          time.Time
}

// shop is the merchant web server: notify_url and return_url point at it.
// Notifications are decoded and verified with the SDK's own
// Client.DecodeNotification (what GetTradeNotification calls).
type shop struct {
	*httptest.Server
	client *alipay.Client

	mu    sync.Mutex
	notes map[string][]receivedNotification // by out_trade_no
}

func newShop() (*shop, error) {
	c, err := newSDKClient(app.AppPrivateKeyPEM)
	if err != nil {
		return nil, err
	}
	s := &shop{client: c.Client, notes: map[string][]receivedNotification{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/notify", s.handleNotify)
	mux.HandleFunc("/return", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("shop return page"))
	})
	mux.HandleFunc("/quit", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("shop quit page"))
	})
	s.Server = httptest.NewServer(mux)
	return s, nil
}

func (s *shop) notifyURL() string { return s.URL + "/notify" }
func (s *shop) returnURL() string { return s.URL + "/return" }
func (s *shop) quitURL() string   { return s.URL + "/quit" }

func (s *shop) handleNotify(w http.ResponseWriter, r *http.Request) {
	rec := receivedNotification{
		Method:      r.Method,
		ContentType: r.Header.Get("Content-Type"),
		At:          time.Now(),
	}
	if err := r.ParseForm(); err != nil {
		rec.VerifyErr = err
	} else {
		rec.Form = r.Form
		rec.Decoded, rec.VerifyErr = decodeNotification(s.client, r.Form)
	}
	if rec.VerifyErr == nil && r.Method == http.MethodPost {
		rec.Answer = "success"
		s.record(rec)
		s.client.ACKNotification(w) // writes exactly "success"
		return
	}
	rec.Answer = "fail"
	s.record(rec)
	_, _ = w.Write([]byte("fail"))
}

func (s *shop) record(rec receivedNotification) {
	key := ""
	if rec.Form != nil {
		key = rec.Form.Get("out_trade_no")
	}
	s.mu.Lock()
	s.notes[key] = append(s.notes[key], rec)
	s.mu.Unlock()
}

func (s *shop) notifications(outTradeNo string) []receivedNotification {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]receivedNotification(nil), s.notes[outTradeNo]...)
}

// waitNotification waits until at least one notification for outTradeNo arrived.
func (s *shop) waitNotification(t *testing.T, outTradeNo string, timeout time.Duration) receivedNotification {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		if ns := s.notifications(outTradeNo); len(ns) > 0 {
			return ns[0]
		}
		if time.Now().After(deadline) {
			s.mu.Lock()
			var others []string
			for k, v := range s.notes {
				others = append(others, k+" x"+strconv.Itoa(len(v)))
			}
			s.mu.Unlock()
			t.Fatalf("no notification for out_trade_no=%s reached notify_url %s within %s (notifications seen for: %s)",
				outTradeNo, s.notifyURL(), timeout, strings.Join(others, ", "))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// sdkClient is a real SDK client plus a transport that remembers the last
// gateway exchange, so failures can show exactly what mockpay answered.
type sdkClient struct {
	*alipay.Client
	rt *recordingTransport
}

// newSDKClient builds a sandbox-mode SDK client pointed at mockpay's gateway
// with the given app private key (alipay.New tries PKCS#1 first, then
// PKCS#8; PEM or bare base64) and mockpay's platform public key (PKIX).
func newSDKClient(privateKey string) (*sdkClient, error) {
	rt := &recordingTransport{}
	c, err := alipay.New(app.AppID, privateKey, false,
		alipay.WithSandboxGateway(gatewayURL),
		alipay.WithHTTPClient(&http.Client{Timeout: 30 * time.Second, Transport: rt}),
	)
	if err != nil {
		return nil, err
	}
	if err := c.LoadAliPayPublicKey(app.AlipayPublicKeyPEM); err != nil {
		return nil, err
	}
	return &sdkClient{Client: c, rt: rt}, nil
}

func mustSDKClient(t *testing.T, privateKey string) *sdkClient {
	t.Helper()
	c, err := newSDKClient(privateKey)
	if err != nil {
		t.Fatalf("alipay.New/LoadAliPayPublicKey: %v", err)
	}
	return c
}

// lastExchange describes the last request/response seen by this client.
func (c *sdkClient) lastExchange() string { return c.rt.last() }

type recordingTransport struct {
	mu     sync.Mutex
	method string
	url    string
	req    []byte
	status int
	rsp    []byte
	err    error
}

func (r *recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var reqBody []byte
	if req.Body != nil {
		var err error
		reqBody, err = io.ReadAll(req.Body)
		_ = req.Body.Close()
		if err != nil {
			return nil, err
		}
		req.Body = io.NopCloser(bytes.NewReader(reqBody))
	}
	rsp, err := http.DefaultTransport.RoundTrip(req)
	var rspBody []byte
	status := 0
	if err == nil {
		rspBody, err = io.ReadAll(rsp.Body)
		_ = rsp.Body.Close()
		rsp.Body = io.NopCloser(bytes.NewReader(rspBody))
		status = rsp.StatusCode
	}
	r.mu.Lock()
	r.method, r.url, r.req, r.status, r.rsp, r.err = req.Method, req.URL.String(), reqBody, status, rspBody, err
	r.mu.Unlock()
	return rsp, err
}

func (r *recordingTransport) last() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.method == "" {
		return "(no gateway exchange recorded)"
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s %s\n", r.method, r.url)
	if form, err := url.ParseQuery(string(r.req)); err == nil && len(form) > 0 {
		keys := make([]string, 0, len(form))
		for k := range form {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(&sb, "  > %s=%s\n", k, strings.Join(form[k], ","))
		}
	}
	if r.err != nil {
		fmt.Fprintf(&sb, "  transport error: %v\n", r.err)
	} else {
		fmt.Fprintf(&sb, "  < HTTP %d\n  < %s\n", r.status, r.rsp)
	}
	return sb.String()
}
