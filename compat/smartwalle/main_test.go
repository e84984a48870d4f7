package smartwalle

import (
	"bufio"
	"bytes"
	"context"
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

// mockApp is one element of GET /_mockpay/api/apps.
type mockApp struct {
	Protocol              string `json:"protocol"` // "openapi", or "legacy" for MAPI partners
	AppID                 string `json:"app_id"`
	PID                   string `json:"pid"`
	SignType              string `json:"sign_type"`
	AppPrivateKeyPEM      string `json:"app_private_key_pem"`
	AppPrivateKeyPKCS8PEM string `json:"app_private_key_pkcs8_pem"`
	AppPublicKeyPEM       string `json:"app_public_key_pem"`
	AlipayPublicKeyPEM    string `json:"alipay_public_key_pem"`
}

var (
	// baseURL is the mockpay server, e.g. http://127.0.0.1:41234 (no trailing slash).
	baseURL string
	// gatewayURL is baseURL + "/gateway.do".
	gatewayURL string
	// app is the first OpenAPI RSA2 app reported by mockpay.
	app mockApp
	// theShop is the merchant server (notify_url / return_url target).
	theShop *shop
	// serverLog collects mockpay's stdout+stderr for diagnostics.
	serverLog lockedBuffer
	// mockpayBin is the binary under test, for suites that run their own.
	mockpayBin string
)

var bannerRE = regexp.MustCompile(`gateway:\s+(http://\S+)/gateway\.do`)

type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	tmp, err := os.MkdirTemp("", "mockpay-compat-smartwalle-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "mkdtemp:", err)
		return 1
	}
	defer os.RemoveAll(tmp)

	bin := os.Getenv("MOCKPAY_BIN")
	if bin == "" {
		bin, err = buildMockpay(tmp)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}

	mockpayBin = bin
	srv, err := startMockpay(bin, tmp)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		fmt.Fprintf(os.Stderr, "---- mockpay output ----\n%s\n", serverLog.String())
		return 1
	}
	defer srv.stop()

	app, err = fetchRSA2App(baseURL)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}

	theShop, err = newShop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "shop:", err)
		return 1
	}
	defer theShop.Close()

	code := m.Run()
	if code != 0 {
		out := serverLog.String()
		if len(out) > 20000 {
			out = "...\n" + out[len(out)-20000:]
		}
		fmt.Fprintf(os.Stderr, "---- mockpay output (tail) ----\n%s\n", out)
	}
	return code
}

// buildMockpay runs `go build -o <tmp>/mockpay ./cmd/mockpay` in the repo root (../..).
func buildMockpay(tmp string) (string, error) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		return "", err
	}
	bin := filepath.Join(tmp, "mockpay")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/mockpay")
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("building mockpay (cd %s && go build -o %s ./cmd/mockpay) failed: %v\n%s", root, bin, err, out)
	}
	return bin, nil
}

type mockpayProcess struct {
	cmd  *exec.Cmd
	done chan struct{}
}

// startMockpay runs `<bin> serve --addr 127.0.0.1:0 --db <tmp>/mockpay.db` in a
// temporary working directory and waits (≤60 s) for the banner line
// announcing the gateway URL, which sets baseURL and gatewayURL.
func startMockpay(bin, tmp string) (*mockpayProcess, error) {
	p, base, err := spawnMockpay(bin, filepath.Join(tmp, "wd"), filepath.Join(tmp, "mockpay.db"))
	if err != nil {
		return nil, err
	}
	baseURL = base
	gatewayURL = baseURL + "/gateway.do"
	return p, nil
}

// spawnMockpay runs `<bin> serve --addr 127.0.0.1:0 --db <db> <extra...>` in
// wd and returns the process and its base URL once the banner is out.
func spawnMockpay(bin, wd, db string, extra ...string) (*mockpayProcess, string, error) {
	if err := os.MkdirAll(wd, 0o755); err != nil {
		return nil, "", err
	}
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0", "--db", db}, extra...)...)
	cmd.Dir = wd
	cmd.Stderr = &serverLog
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, "", err
	}
	if err := cmd.Start(); err != nil {
		return nil, "", fmt.Errorf("starting %s: %w", bin, err)
	}
	p := &mockpayProcess{cmd: cmd, done: make(chan struct{})}

	found := make(chan string, 1)
	scanDone := make(chan struct{})
	go func() {
		defer close(scanDone)
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 64*1024), 1024*1024)
		sent := false
		for sc.Scan() {
			line := sc.Text()
			fmt.Fprintln(&serverLog, line)
			if !sent {
				if mm := bannerRE.FindStringSubmatch(line); mm != nil {
					found <- mm[1]
					sent = true
				}
			}
		}
		// keep draining in case the scanner stopped on an over-long line
		_, _ = io.Copy(&serverLog, stdout)
	}()
	go func() {
		<-scanDone
		_ = cmd.Wait()
		close(p.done)
	}()

	select {
	case base := <-found:
		return p, strings.TrimRight(base, "/"), nil
	case <-p.done:
		return nil, "", fmt.Errorf("mockpay exited before printing a line matching %q (exit: %v)", bannerRE, cmd.ProcessState)
	case <-time.After(60 * time.Second):
		p.stop()
		return nil, "", fmt.Errorf("mockpay did not print a line matching %q within 60s", bannerRE)
	}
}

func (p *mockpayProcess) stop() {
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		fmt.Fprintln(os.Stderr, "mockpay did not exit within 10s of SIGTERM; killing it")
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

func fetchRSA2App(base string) (mockApp, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/_mockpay/api/apps", nil)
	if err != nil {
		return mockApp{}, err
	}
	rsp, err := http.DefaultClient.Do(req)
	if err != nil {
		return mockApp{}, fmt.Errorf("GET /_mockpay/api/apps: %w", err)
	}
	defer rsp.Body.Close()
	body, err := io.ReadAll(rsp.Body)
	if err != nil {
		return mockApp{}, err
	}
	if rsp.StatusCode != http.StatusOK {
		return mockApp{}, fmt.Errorf("GET /_mockpay/api/apps: HTTP %d: %s", rsp.StatusCode, body)
	}
	var apps []mockApp
	if err := json.Unmarshal(body, &apps); err != nil {
		return mockApp{}, fmt.Errorf("GET /_mockpay/api/apps: body is not a JSON array of apps: %v\n%s", err, body)
	}
	for _, a := range apps {
		// Legacy MAPI partners are listed too; only OpenAPI apps suit the SDK.
		if a.Protocol == "openapi" && a.SignType == "RSA2" {
			if a.AppID == "" || a.AppPrivateKeyPEM == "" || a.AlipayPublicKeyPEM == "" {
				return mockApp{}, fmt.Errorf("GET /_mockpay/api/apps: RSA2 app lacks app_id/app_private_key_pem/alipay_public_key_pem: %+v", a)
			}
			return a, nil
		}
	}
	return mockApp{}, errors.New("GET /_mockpay/api/apps: no app with protocol \"openapi\" and sign_type \"RSA2\" in " + string(body))
}
