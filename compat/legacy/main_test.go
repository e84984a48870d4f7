package legacy

import (
	"bufio"
	"encoding/json"
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

// partnerInfo is a protocol "legacy" element of GET /_mockpay/api/apps.
type partnerInfo struct {
	Protocol         string `json:"protocol"`
	PID              string `json:"pid"`
	MD5Key           string `json:"md5_key"`
	SellerID         string `json:"seller_id"`
	SellerEmail      string `json:"seller_email"`
	SignType         string `json:"sign_type"`
	TradeStatusOnPay string `json:"trade_status_on_pay"`
	AntiPhishing     string `json:"anti_phishing"`
	PrivateKeyPEM    string `json:"app_private_key_pem"`
	AlipayPublicPEM  string `json:"alipay_public_key_pem"`
}

var (
	// gateway is mockpay's .../gateway.do; base is the server without a path.
	gateway, base string
	// partners are the legacy partners mockpay lists.
	partners []partnerInfo
	// mockpayLog collects the server's output for failure reports.
	mockpayLog logBuffer
)

// The banner line that tells where mockpay listens.
var banner = regexp.MustCompile(`gateway:\s+(http://\S+)/gateway\.do`)

type logBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestMain(m *testing.M) {
	code, err := run(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		code = 1
	}
	if code != 0 {
		fmt.Fprintf(os.Stderr, "---- mockpay output ----\n%s\n", tail(mockpayLog.String(), 20000))
	}
	os.Exit(code)
}

func run(m *testing.M) (int, error) {
	dir, err := os.MkdirTemp("", "mockpay-compat-legacy-")
	if err != nil {
		return 1, err
	}
	defer os.RemoveAll(dir)
	bin := os.Getenv("MOCKPAY_BIN")
	if bin == "" {
		bin = filepath.Join(dir, "mockpay")
		build := exec.Command("go", "build", "-o", bin, "./cmd/mockpay")
		build.Dir = filepath.Join("..", "..")
		if out, err := build.CombinedOutput(); err != nil {
			return 1, fmt.Errorf("go build ./cmd/mockpay: %v\n%s", err, out)
		}
	}
	stop, err := spawn(bin, dir)
	if err != nil {
		return 1, err
	}
	defer stop()
	if partners, err = listPartners(); err != nil {
		return 1, err
	}
	return m.Run(), nil
}

// spawn starts `mockpay serve` on a free port and waits for its banner.
func spawn(bin, dir string) (stop func(), err error) {
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--db", filepath.Join(dir, "mockpay.db"))
	cmd.Dir = dir
	cmd.Stderr = &mockpayLog
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	exited := make(chan struct{})
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			fmt.Fprintln(&mockpayLog, sc.Text())
			if m := banner.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case found <- m[1]:
				default:
				}
			}
		}
		_, _ = io.Copy(&mockpayLog, out)
		_ = cmd.Wait()
		close(exited)
	}()
	stop = func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
	}
	select {
	case b := <-found:
		base = strings.TrimRight(b, "/")
		gateway = base + "/gateway.do"
		return stop, nil
	case <-exited:
		return nil, fmt.Errorf("mockpay exited before printing a line matching %s", banner)
	case <-time.After(60 * time.Second):
		stop()
		return nil, fmt.Errorf("mockpay printed no line matching %s within 60s", banner)
	}
}

func listPartners() ([]partnerInfo, error) {
	resp, err := http.Get(base + "/_mockpay/api/apps")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var all []partnerInfo
	if err := json.NewDecoder(resp.Body).Decode(&all); err != nil {
		return nil, fmt.Errorf("GET /_mockpay/api/apps: %w", err)
	}
	var out []partnerInfo
	for _, p := range all {
		if p.Protocol == "legacy" {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("GET /_mockpay/api/apps lists no protocol \"legacy\" partner")
	}
	return out, nil
}

// findPartner returns the first partner that suits the test.
func findPartner(t *testing.T, what string, ok func(partnerInfo) bool) partnerInfo {
	t.Helper()
	for _, p := range partners {
		if ok(p) {
			return p
		}
	}
	t.Fatalf("mockpay lists no legacy partner that is %s: %+v", what, partners)
	return partnerInfo{}
}

// md5Partner is a refundable MD5 partner without anti-phishing.
func md5Partner(t *testing.T) partnerInfo {
	return findPartner(t, "MD5, refundable, anti-phishing off", func(p partnerInfo) bool {
		return p.SignType == "MD5" && p.TradeStatusOnPay == "TRADE_SUCCESS" && p.AntiPhishing == "off" && len(p.MD5Key) == 32
	})
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}
