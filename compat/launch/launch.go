// Package launch starts the built mockpay binary for the Go compat suites
// (compat/*/main_test.go): `mockpay serve` on free ports in a temporary
// directory, its banner read for the URLs, its output kept for failure
// reports, SIGTERM to stop it, and the few control-API reads every suite
// makes. Standard library only, so a suite's go.mod holds its SDK and this.
package launch

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
	"time"
)

// The banner lines that tell where mockpay listens: the gateway line names
// the HTTP origin, the https line (with --tls-addr) follows it.
var (
	bannerRE    = regexp.MustCompile(`gateway:\s+(http://\S+)/gateway\.do`)
	tlsBannerRE = regexp.MustCompile(`https:\s+(https://\S+)/gateway\.do`)
)

// Direct talks to mockpay's own API, never through a proxy (the suites
// that test the proxy route set HTTPS_PROXY for the SDK, not for this).
var Direct = &http.Client{Timeout: 15 * time.Second, Transport: &http.Transport{Proxy: nil}}

// Options say how to start mockpay.
type Options struct {
	// Bin is the mockpay binary.
	Bin string
	// Dir is the working directory; empty means a new temporary directory
	// (named after TempPrefix) that Stop removes.
	Dir        string
	TempPrefix string
	// DB is the --db file; empty means Dir/mockpay.db.
	DB string
	// TLS adds --tls-addr 127.0.0.1:0 and waits for the https banner line.
	TLS bool
	// Args are more serve flags, Env more environment (KEY=VALUE).
	Args []string
	Env  []string
	// Log receives mockpay's output too; nil means only Server.Log.
	Log io.Writer
}

// Server is a running mockpay.
type Server struct {
	URL    string // http://127.0.0.1:port, no trailing slash
	TLSURL string // https://127.0.0.1:port with Options.TLS
	Dir    string // working directory
	cmd    *exec.Cmd
	done   chan struct{}
	log    *Buffer
	rmDir  bool
	once   sync.Once
}

// Binary is $MOCKPAY_BIN, or, when it is unset and root (the repository
// root) is given, a mockpay built from root into dir.
func Binary(root, dir string) (string, error) {
	if bin := os.Getenv("MOCKPAY_BIN"); bin != "" {
		return bin, nil
	}
	if root == "" {
		return "", errors.New("MOCKPAY_BIN is not set")
	}
	bin, err := filepath.Abs(filepath.Join(dir, "mockpay"))
	if err != nil {
		return "", err
	}
	build := exec.Command("go", "build", "-o", bin, "./cmd/mockpay")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building mockpay (cd %s && go build -o %s ./cmd/mockpay) failed: %v\n%s", root, bin, err, out)
	}
	return bin, nil
}

// Start runs `<bin> serve --addr 127.0.0.1:0 --db <db> [--tls-addr
// 127.0.0.1:0] <args...>` and waits (≤60 s) for its banner. On error the
// output so far is in the error.
func Start(o Options) (*Server, error) {
	s := &Server{Dir: o.Dir, done: make(chan struct{}), log: &Buffer{}}
	if s.Dir == "" {
		dir, err := os.MkdirTemp("", o.TempPrefix)
		if err != nil {
			return nil, err
		}
		s.Dir, s.rmDir = dir, true
	} else if err := os.MkdirAll(s.Dir, 0o755); err != nil {
		return nil, err
	}
	db := o.DB
	if db == "" {
		db = filepath.Join(s.Dir, "mockpay.db")
	}
	args := []string{"serve", "--addr", "127.0.0.1:0"}
	if o.TLS {
		args = append(args, "--tls-addr", "127.0.0.1:0")
	}
	args = append(append(args, "--db", db), o.Args...)
	var out io.Writer = s.log
	if o.Log != nil {
		out = io.MultiWriter(s.log, o.Log)
	}
	bin := o.Bin
	if strings.ContainsRune(bin, filepath.Separator) {
		// cmd.Dir would otherwise change what a relative path names.
		if abs, err := filepath.Abs(bin); err == nil {
			bin = abs
		}
	}
	cmd := exec.Command(bin, args...)
	cmd.Dir = s.Dir
	if len(o.Env) > 0 {
		cmd.Env = append(os.Environ(), o.Env...)
	}
	cmd.Stderr = out
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		s.cleanup()
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		s.cleanup()
		return nil, fmt.Errorf("starting %s: %w", o.Bin, err)
	}
	s.cmd = cmd
	found := make(chan [2]string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 64*1024), 1024*1024)
		var gateway string
		sent := false
		for sc.Scan() {
			line := sc.Text()
			fmt.Fprintln(out, line)
			if sent {
				continue
			}
			if mm := bannerRE.FindStringSubmatch(line); mm != nil {
				gateway = strings.TrimRight(mm[1], "/")
				if !o.TLS {
					found <- [2]string{gateway, ""}
					sent = true
				}
			} else if mm := tlsBannerRE.FindStringSubmatch(line); mm != nil && o.TLS && gateway != "" {
				found <- [2]string{gateway, strings.TrimRight(mm[1], "/")}
				sent = true
			}
		}
		// Keep draining in case the scanner stopped on an over-long line.
		_, _ = io.Copy(out, stdout)
		_ = cmd.Wait()
		close(s.done)
	}()
	select {
	case u := <-found:
		s.URL, s.TLSURL = u[0], u[1]
		return s, nil
	case <-s.done:
		s.cleanup()
		return nil, fmt.Errorf("mockpay exited before its banner (%v)\n---- mockpay output ----\n%s", cmd.ProcessState, s.Log())
	case <-time.After(60 * time.Second):
		s.Stop()
		return nil, fmt.Errorf("mockpay printed no banner within 60s\n---- mockpay output ----\n%s", s.Log())
	}
}

// Stop sends SIGTERM, kills mockpay if it has not exited within 10 s, and
// removes the temporary directory Start made. Stopping twice is harmless.
func (s *Server) Stop() {
	s.once.Do(func() {
		select {
		case <-s.done:
		default:
			_ = s.cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-s.done:
			case <-time.After(10 * time.Second):
				fmt.Fprintln(os.Stderr, "mockpay did not exit within 10s of SIGTERM; killing it")
				_ = s.cmd.Process.Kill()
				<-s.done
			}
		}
		s.cleanup()
	})
}

// Exited is closed when the process has exited.
func (s *Server) Exited() <-chan struct{} { return s.done }

func (s *Server) cleanup() {
	if s.rmDir {
		os.RemoveAll(s.Dir)
	}
}

// Log is everything mockpay printed so far.
func (s *Server) Log() string { return s.log.String() }

// Tail is the last n bytes of Log, for a failure report.
func (s *Server) Tail(n int) string {
	out := s.Log()
	if len(out) > n {
		return "…\n" + out[len(out)-n:]
	}
	return out
}

// Do sends method path (relative to URL) with body as JSON (none when
// nil) through Direct and returns the status and the answer.
func (s *Server) Do(method, path string, body any) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, s.URL+path, rd)
	if err != nil {
		return 0, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	rsp, err := Direct.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer rsp.Body.Close()
	b, err := io.ReadAll(rsp.Body)
	return rsp.StatusCode, b, err
}

// Get reads path (relative to URL) and fails on any status but 200.
func (s *Server) Get(path string) (string, error) { return Get(s.URL + path) }

// GetJSON reads path (200 only) and decodes it into v.
func (s *Server) GetJSON(path string, v any) error { return GetJSON(s.URL+path, v) }

// Get reads u through Direct and fails on any status but 200.
func Get(u string) (string, error) {
	rsp, err := Direct.Get(u)
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

// GetJSON reads u (200 only) and decodes it into v.
func GetJSON(u string, v any) error {
	body, err := Get(u)
	if err != nil {
		return err
	}
	if err := json.Unmarshal([]byte(body), v); err != nil {
		return fmt.Errorf("GET %s: %v\n%s", u, err, body)
	}
	return nil
}

// Apps decodes GET /_mockpay/api/apps.
func (s *Server) Apps(v any) error { return s.GetJSON("/_mockpay/api/apps", v) }

// SaveCA writes the local CA a merchant downloads from /_mockpay/ca.pem
// into Dir and returns the file, as SSL_CERT_FILE names it.
func (s *Server) SaveCA() (string, error) {
	pem, err := s.Get("/_mockpay/ca.pem")
	if err != nil {
		return "", err
	}
	if !strings.Contains(pem, "BEGIN CERTIFICATE") {
		return "", fmt.Errorf("/_mockpay/ca.pem: %q", pem)
	}
	file := filepath.Join(s.Dir, "mockpay-ca.pem")
	return file, os.WriteFile(file, []byte(pem), 0o644)
}

// Buffer is an io.Writer safe for the output goroutine and a test reading
// it at once (Options.Log, for a suite that runs several mockpays).
type Buffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
