package unionpay

import (
	"bufio"
	"fmt"
	"io"
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

// base is mockpay's URL; merchants its UnionPay merchants; mockpayLog the
// server's output for failure reports.
var (
	base       string
	merchants  []merchantInfo
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
	dir, err := os.MkdirTemp("", "mockpay-compat-unionpay-")
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
	if merchants, err = listMerchants(); err != nil {
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
		return stop, nil
	case <-exited:
		return nil, fmt.Errorf("mockpay exited before printing a line matching %s", banner)
	case <-time.After(60 * time.Second):
		stop()
		return nil, fmt.Errorf("mockpay printed no line matching %s within 60s", banner)
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}
