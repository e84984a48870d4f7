package wechatpaygopay

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// wxApp is one WeChat Pay merchant of GET /_mockpay/api/apps, with the
// fields issue 13 item 1 lists (a client is configured from them alone).
type wxApp struct {
	Protocol               string `json:"protocol"`
	AppID                  string `json:"app_id"`
	MchID                  string `json:"mch_id"`
	Appid                  string `json:"appid"`
	APIv3Key               string `json:"apiv3_key"`
	MerchantSerialNo       string `json:"merchant_serial_no"`
	MerchantPrivateKeyPEM  string `json:"merchant_private_key_pem"`
	MerchantCertificatePEM string `json:"merchant_certificate_pem"`
	PlatformKeyMode        string `json:"platform_key_mode"`
	PlatformSerialNo       string `json:"platform_serial_no"`
	PlatformCertificatePEM string `json:"platform_certificate_pem"`
	PlatformPublicKeyID    string `json:"platform_public_key_id"`
	PlatformPublicKeyPEM   string `json:"platform_public_key_pem"`
	APIBaseURL             string `json:"api_base_url"`
}

var (
	baseURL   string // mockpay's control API, http://127.0.0.1:port
	caFile    string // mockpay's CA, as SSL_CERT_FILE names it
	wxApps    []wxApp
	serverLog lockedBuffer
	// direct talks to mockpay's own API, never through the proxy.
	direct = &http.Client{Timeout: 15 * time.Second, Transport: &http.Transport{Proxy: nil}}
)

// The banner's gateway line names the HTTP origin (see compat/gopay).
var (
	bannerRE    = regexp.MustCompile(`gateway:\s+(http://\S+)/gateway\.do`)
	tlsBannerRE = regexp.MustCompile(`https:\s+(https://\S+)/gateway\.do`)
)

type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}
func (b *lockedBuffer) String() string { b.mu.Lock(); defer b.mu.Unlock(); return b.buf.String() }

func TestMain(m *testing.M) { os.Exit(runMain(m)) }

func runMain(m *testing.M) int {
	tmp, err := os.MkdirTemp("", "mockpay-compat-wechatpay-gopay-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(tmp)
	bin := os.Getenv("MOCKPAY_BIN")
	if bin == "" {
		fmt.Fprintln(os.Stderr, "MOCKPAY_BIN is not set: run `make test-compat-wechatpay-gopay` (it builds bin/mockpay)")
		return 1
	}
	stop, err := startMockpay(bin, tmp)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%v\n---- mockpay output ----\n%s\n", err, serverLog.String())
		return 1
	}
	defer stop()
	if err := fetchSetup(tmp); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	// What a shop sets for the proxy route. Go never proxies loopback, so
	// the SetProxyHost clients (http://127.0.0.1:…) still go direct.
	os.Setenv("HTTPS_PROXY", baseURL)
	os.Setenv("SSL_CERT_FILE", caFile)
	code := m.Run()
	if code != 0 {
		out := serverLog.String()
		if len(out) > 20000 {
			out = "…\n" + out[len(out)-20000:]
		}
		fmt.Fprintf(os.Stderr, "---- mockpay output (tail) ----\n%s\n", out)
	}
	return code
}

// startMockpay runs `<bin> serve` on ephemeral ports and waits for its
// banner.
func startMockpay(bin, tmp string) (stop func(), err error) {
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--tls-addr", "127.0.0.1:0", "--db", filepath.Join(tmp, "mockpay.db"))
	cmd.Dir = tmp
	cmd.Stderr = &serverLog
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	done := make(chan struct{})
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		var gateway string
		for sc.Scan() {
			fmt.Fprintln(&serverLog, sc.Text())
			if mm := bannerRE.FindStringSubmatch(sc.Text()); mm != nil {
				gateway = mm[1]
			}
			if tlsBannerRE.MatchString(sc.Text()) && gateway != "" {
				select {
				case found <- gateway:
				default:
				}
			}
		}
		io.Copy(io.Discard, stdout)
		cmd.Wait()
		close(done)
	}()
	stop = func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	}
	select {
	case baseURL = <-found:
		return stop, nil
	case <-done:
		return nil, errors.New("mockpay exited before its banner")
	case <-time.After(60 * time.Second):
		stop()
		return nil, errors.New("mockpay printed no banner within 60s")
	}
}

// fetchSetup reads the WeChat Pay merchants and saves the CA a shop
// downloads from /_mockpay/ca.pem.
func fetchSetup(tmp string) error {
	var all []json.RawMessage
	if err := controlJSON(http.MethodGet, "/_mockpay/api/apps", nil, &all); err != nil {
		return err
	}
	for _, raw := range all {
		var a wxApp
		if err := json.Unmarshal(raw, &a); err != nil {
			return fmt.Errorf("apps element %s: %v", raw, err)
		}
		if a.Protocol == "wechatpay" {
			wxApps = append(wxApps, a)
		}
	}
	pem, status, err := control(http.MethodGet, "/_mockpay/ca.pem", nil)
	if err != nil || status != http.StatusOK || !strings.Contains(pem, "BEGIN CERTIFICATE") {
		return fmt.Errorf("/_mockpay/ca.pem: HTTP %d %q %v", status, pem, err)
	}
	caFile = filepath.Join(tmp, "mockpay-ca.pem")
	return os.WriteFile(caFile, []byte(pem), 0o644)
}

// control calls mockpay's own API (never through the proxy).
func control(method, path string, body any) (string, int, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return "", 0, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, baseURL+path, rd)
	if err != nil {
		return "", 0, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	rsp, err := direct.Do(req)
	if err != nil {
		return "", 0, err
	}
	defer rsp.Body.Close()
	b, err := io.ReadAll(rsp.Body)
	return string(b), rsp.StatusCode, err
}

func controlJSON(method, path string, body, out any) error {
	text, status, err := control(method, path, body)
	if err != nil {
		return err
	}
	if status/100 != 2 {
		return fmt.Errorf("%s %s: HTTP %d %s", method, path, status, text)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal([]byte(text), out); err != nil {
		return fmt.Errorf("%s %s: %v\n%s", method, path, err, text)
	}
	return nil
}

// merchant returns the fixture merchant in the given platform_key_mode.
func merchant(t *testing.T, mode string) wxApp {
	t.Helper()
	for _, a := range wxApps {
		if a.PlatformKeyMode == mode {
			return a
		}
	}
	t.Fatalf("GET /_mockpay/api/apps lists no wechatpay merchant with platform_key_mode %q (%d wechatpay merchants)", mode, len(wxApps))
	return wxApp{}
}

// pay pays an order through the control API, right after prepay
// (issue 13 item 3).
func pay(t *testing.T, a wxApp, outTradeNo string) {
	t.Helper()
	if err := controlJSON(http.MethodPost, "/_mockpay/api/apps/"+a.MchID+"/orders/"+outTradeNo+"/pay", nil, nil); err != nil {
		t.Fatalf("control API pay: %v", err)
	}
}

// advanceClock moves mockpay's virtual clock.
func advanceClock(t *testing.T, by string) {
	t.Helper()
	if err := controlJSON(http.MethodPost, "/_mockpay/api/clock/advance", map[string]string{"by": by}, nil); err != nil {
		t.Fatalf("clock advance: %v", err)
	}
}
