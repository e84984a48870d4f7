package wechatpaygo

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

// merchant is a WeChat Pay element of GET /_mockpay/api/apps (issue 13 item 1).
type merchant struct {
	Protocol               string `json:"protocol"`
	AppID                  string `json:"app_id"`
	MchID                  string `json:"mch_id"`
	AppIDWx                string `json:"appid"`
	APIv3Key               string `json:"apiv3_key"`
	MerchantSerialNo       string `json:"merchant_serial_no"`
	MerchantPrivateKeyPEM  string `json:"merchant_private_key_pem"`
	PlatformKeyMode        string `json:"platform_key_mode"`
	PlatformSerialNo       string `json:"platform_serial_no"`
	PlatformCertificatePEM string `json:"platform_certificate_pem"`
	PlatformPublicKeyID    string `json:"platform_public_key_id"`
	PlatformPublicKeyPEM   string `json:"platform_public_key_pem"`
	APIBaseURL             string `json:"api_base_url"`
}

var (
	baseURL   string // mockpay, http://127.0.0.1:port
	tlsURL    string // mockpay's --tls-addr, https://127.0.0.1:port
	caFile    string // mockpay's local CA, as SSL_CERT_FILE names it
	apps      []merchant
	serverLog lockedBuffer
	// direct talks to mockpay's own API, never through the proxy.
	direct = &http.Client{Timeout: 15 * time.Second, Transport: &http.Transport{Proxy: nil}}
)

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
	tmp, err := os.MkdirTemp("", "mockpay-compat-gopay-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(tmp)
	bin := os.Getenv("MOCKPAY_BIN")
	if bin == "" {
		fmt.Fprintln(os.Stderr, "MOCKPAY_BIN is not set: run `make test-compat-gopay` (it builds bin/mockpay)")
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
	// What a merchant sets before starting the shop: Go reads both once, at
	// the first request and the first certificate check.
	os.Setenv("HTTPS_PROXY", baseURL)
	os.Setenv("HTTP_PROXY", baseURL)
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

// startMockpay runs `<bin> serve --addr 127.0.0.1:0` and waits for its
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
			// The https line follows the gateway line: the banner is
			// complete with it.
			if mm := tlsBannerRE.FindStringSubmatch(sc.Text()); mm != nil && gateway != "" {
				tlsURL = mm[1]
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

// fetchSetup reads the apps and saves the CA a merchant downloads from
// /_mockpay/ca.pem.
func fetchSetup(tmp string) error {
	if err := getJSON(baseURL+"/_mockpay/api/apps", &apps); err != nil {
		return err
	}
	pem, err := get(baseURL + "/_mockpay/ca.pem")
	if err != nil {
		return err
	}
	if !strings.Contains(pem, "BEGIN CERTIFICATE") {
		return fmt.Errorf("/_mockpay/ca.pem: %q", pem)
	}
	caFile = filepath.Join(tmp, "mockpay-ca.pem")
	return os.WriteFile(caFile, []byte(pem), 0o644)
}

func get(u string) (string, error) {
	rsp, err := direct.Get(u)
	if err != nil {
		return "", err
	}
	defer rsp.Body.Close()
	b, err := io.ReadAll(rsp.Body)
	if rsp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("GET %s: HTTP %d %s", u, rsp.StatusCode, b)
	}
	return string(b), err
}

func getJSON(u string, v any) error {
	body, err := get(u)
	if err != nil {
		return err
	}
	if err := json.Unmarshal([]byte(body), v); err != nil {
		return fmt.Errorf("GET %s: %v\n%s", u, err, body)
	}
	return nil
}

func merchantIn(t *testing.T, mode string) merchant {
	t.Helper()
	for _, a := range apps {
		if a.Protocol == "wechatpay" && a.PlatformKeyMode == mode {
			return a
		}
	}
	t.Fatalf("mockpay lists no WeChat Pay merchant in platform_key_mode %q", mode)
	return merchant{}
}

// control calls mockpay's control API (never through the proxy).
func control(t *testing.T, method, path string, body any) (int, []byte) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, baseURL+"/_mockpay/api"+path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	rsp, err := direct.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer rsp.Body.Close()
	b, _ := io.ReadAll(rsp.Body)
	return rsp.StatusCode, b
}
