package wechatpayv2

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

// merchant is a WeChat Pay element of GET /_mockpay/api/apps: what a shop
// configures gopay with (issue 14 item 3: the same merchants as APIv3).
type merchant struct {
	Protocol   string `json:"protocol"`
	MchID      string `json:"mch_id"`
	AppID      string `json:"appid"`
	APIv2Key   string `json:"apiv2_key"`
	APIBaseURL string `json:"api_base_url"`
}

var (
	baseURL   string // mockpay, http://127.0.0.1:port
	caFile    string
	merchants []merchant
	serverLog lockedBuffer
	// direct talks to mockpay's own API, never through a proxy.
	direct  = &http.Client{Timeout: 15 * time.Second, Transport: &http.Transport{Proxy: nil}}
	shopURL string
	shop    = &notifications{}
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
func (b *lockedBuffer) String() string { b.mu.Lock(); defer b.mu.Unlock(); return b.buf.String() }

func TestMain(m *testing.M) { os.Exit(runMain(m)) }

func runMain(m *testing.M) int {
	tmp, err := os.MkdirTemp("", "mockpay-compat-wechatpay-v2-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(tmp)
	bin := os.Getenv("MOCKPAY_BIN")
	if bin == "" {
		fmt.Fprintln(os.Stderr, "MOCKPAY_BIN is not set: run `make test-compat-wechatpay-v2` (it builds bin/mockpay)")
		return 1
	}
	stopShop, err := startShop()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer stopShop()
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
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--db", filepath.Join(tmp, "mockpay.db"))
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
		for sc.Scan() {
			fmt.Fprintln(&serverLog, sc.Text())
			if mm := bannerRE.FindStringSubmatch(sc.Text()); mm != nil {
				select {
				case found <- mm[1]:
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

func fetchSetup(tmp string) error {
	var all []json.RawMessage
	if err := getJSON(baseURL+"/_mockpay/api/apps", &all); err != nil {
		return err
	}
	for _, raw := range all {
		var m merchant
		if json.Unmarshal(raw, &m) == nil && m.Protocol == "wechatpay" {
			merchants = append(merchants, m)
		}
	}
	if len(merchants) == 0 {
		return errors.New("mockpay lists no WeChat Pay merchant")
	}
	pem, err := get(baseURL + "/_mockpay/ca.pem")
	if err != nil {
		return err
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

// control calls mockpay's control API (POST), as CI does instead of a
// buyer, and decodes its JSON answer.
func control(t *testing.T, path string, out any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, baseURL+"/_mockpay/api"+path, strings.NewReader("{}"))
	req.Header.Set("Content-Type", "application/json")
	rsp, err := direct.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer rsp.Body.Close()
	b, _ := io.ReadAll(rsp.Body)
	if rsp.StatusCode != http.StatusOK {
		t.Fatalf("POST %s: %d %s", path, rsp.StatusCode, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("POST %s: %v: %s", path, err, b)
		}
	}
}

func merchantFor(t *testing.T, i int) merchant {
	t.Helper()
	if i >= len(merchants) {
		t.Fatalf("mockpay lists %d WeChat Pay merchants, want at least %d", len(merchants), i+1)
	}
	return merchants[i]
}
