package main

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain lets a test run this binary as a real `mockpay serve` child
// process (MOCKPAY_TEST_CHILD=1), to kill it with SIGKILL.
func TestMain(m *testing.M) {
	if os.Getenv("MOCKPAY_TEST_CHILD") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// freePort is a port nothing listens on right now.
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
}

// TestServePORTAloneStaysOnLoopback: PORT names a port, not the network:
// the banner says loopback, and no other local address answers.
func TestServePORTAloneStaysOnLoopback(t *testing.T) {
	port := freePort(t)
	db := filepath.Join(t.TempDir(), "p.db")
	base, out, stop := serveInProcess(t, nil, map[string]string{"PORT": port, "MOCKPAY_DB": db})
	defer stop()
	if base != "http://127.0.0.1:"+port {
		t.Errorf("base %s, want http://127.0.0.1:%s", base, port)
	}
	if !strings.Contains(out.String(), "listening: 127.0.0.1:"+port+" (loopback only)") || strings.Contains(out.String(), "WARNING") {
		t.Errorf("banner for PORT alone:\n%s", out.String())
	}
	for _, ip := range nonLoopbackIPs(t) {
		c, err := net.DialTimeout("tcp", net.JoinHostPort(ip.String(), port), 2*time.Second)
		if err == nil {
			c.Close()
			t.Errorf("PORT=%s alone answers on %s", port, ip)
		}
	}
	st, err := os.Stat(db)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("database mode: %v %v", st.Mode(), err)
	}
}

func nonLoopbackIPs(t *testing.T) []net.IP {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		t.Logf("no interface list: %v", err)
		return nil
	}
	var out []net.IP
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && n.IP.To4() != nil {
			out = append(out, n.IP)
		}
	}
	return out
}

// TestServeBeyondLoopbackWarns: an explicit wildcard address (the
// Dockerfile's and docker-compose's MOCKPAY_ADDR, or --addr :PORT) is
// honoured, and the banner says plainly that the keys are on the network.
func TestServeBeyondLoopbackWarns(t *testing.T) {
	for name, c := range map[string]struct {
		args []string
		env  map[string]string
	}{
		"MOCKPAY_ADDR=0.0.0.0 (as the container sets it)": {nil, map[string]string{"MOCKPAY_ADDR": "0.0.0.0:0"}},
		"--addr :0":        {[]string{"--addr", ":0"}, nil},
		"--addr over PORT": {[]string{"--addr", "0.0.0.0:0"}, map[string]string{"PORT": "1"}},
	} {
		t.Run(name, func(t *testing.T) {
			env := map[string]string{"MOCKPAY_DB": filepath.Join(t.TempDir(), "w.db")}
			for k, v := range c.env {
				env[k] = v
			}
			base, out, stop := serveInProcess(t, c.args, env)
			defer stop()
			banner := out.String()
			for _, want := range []string{"(NOT loopback)", "WARNING:   reachable from the network", "private key", "--addr 127.0.0.1:PORT"} {
				if !strings.Contains(banner, want) {
					t.Errorf("banner lacks %q:\n%s", want, banner)
				}
			}
			// The URLs printed are still ones this machine can open.
			resp, err := http.Get(base + "/_mockpay/healthz")
			if err != nil || resp.StatusCode != http.StatusOK {
				t.Fatalf("healthz at %s: %v %v", base, err, resp)
			}
			resp.Body.Close()
		})
	}
}

// TestServeOnLoopbackDoesNotWarn: the default case stays quiet.
func TestServeOnLoopbackDoesNotWarn(t *testing.T) {
	_, out, stop := serveInProcess(t, []string{"--addr", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "l.db")}, nil)
	defer stop()
	if !strings.Contains(out.String(), "(loopback only)") || strings.Contains(out.String(), "WARNING") {
		t.Errorf("loopback banner:\n%s", out.String())
	}
}

// TestSecondServeOnOneDatabase: a second `mockpay serve` on a database a
// running one holds refuses to start and names it; once the holder is
// gone — killed with SIGKILL, so nothing of it ran on the way out — a new
// one starts on the same file.
func TestSecondServeOnOneDatabase(t *testing.T) {
	db := filepath.Join(t.TempDir(), "shared.db")
	child, childBase := startChild(t, db)

	var out syncBuffer
	err := run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--db", db}, envFunc(nil), &out, &out)
	if err == nil {
		t.Fatal("a second mockpay started on a held database")
	}
	for _, want := range []string{fmt.Sprintf("pid %d", child.Process.Pid), "listening on " + strings.TrimPrefix(childBase, "http://"), "since ", "PostgreSQL", "--db"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("refusal lacks %q: %v", want, err)
		}
	}
	if exitCode(err) != 1 {
		t.Errorf("exit status %d", exitCode(err))
	}

	if err := child.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = child.Wait()
	_, _, stop := serveInProcess(t, []string{"--addr", "127.0.0.1:0", "--db", db}, nil)
	if err := stop(); err != nil {
		t.Fatalf("stop: %v", err)
	}
	// A clean stop lets the next one in as well.
	_, _, stop = serveInProcess(t, []string{"--addr", "127.0.0.1:0", "--db", db}, nil)
	if err := stop(); err != nil {
		t.Fatalf("stop: %v", err)
	}
}

// startChild runs `mockpay serve` on db in a child process (this test
// binary, see TestMain) and waits for its banner.
func startChild(t *testing.T, db string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "serve", "--addr", "127.0.0.1:0", "--db", db)
	cmd.Env = append(os.Environ(), "MOCKPAY_TEST_CHILD=1")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr syncBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := gatewayLine.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
		close(found)
	}()
	select {
	case base, ok := <-found:
		if !ok {
			t.Fatalf("child exited without a banner: %s", stderr.String())
		}
		return cmd, base
	case <-time.After(30 * time.Second):
		t.Fatalf("child printed no banner: %s", stderr.String())
	}
	return nil, ""
}
