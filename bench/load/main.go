// Command load is mockpay's load harness (issue 18): in one run on the
// machine it runs on, it measures the machine's own limits (RSA-2048 with
// Go and OpenSSL, a static Go HTTP server, a verify-only server, a
// single-row SQLite commit) interleaved with mockpay's hot paths against a
// real `mockpay serve` (page.pay accept, trade.query, refund, notification
// dispatch, the legacy MD5 order, a flash sale end to end), and reports
// each path as a ratio to its ceiling. Everything listens on 127.0.0.1 and
// every run is bounded. `make bench-load` runs it; docs/performance.md
// holds the figures.
//
// With -smoke it measures nothing: a few hundred requests through the same
// request builders, asserting every order accepted and every notification
// acknowledged exactly once (make test runs it, so the harness cannot rot).
//
// `load stub static|verify ADDR [KEY]` is the harness starting its own
// ceiling servers as separate processes.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "stub" {
		if err := runStub(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "load stub:", err)
			os.Exit(1)
		}
		return
	}
	bin := flag.String("bin", "bin/mockpay", "the mockpay binary to measure (make build)")
	smoke := flag.Bool("smoke", false, "check correctness with a few hundred requests; measure nothing")
	rounds := flag.Int("rounds", 3, "rounds of interleaved ceilings and paths; the report gives medians")
	dur := flag.Duration("d", 3*time.Second, "length of each wrk run")
	conns := flag.Int("c", 64, "wrk connections")
	threads := flag.Int("t", 2, "wrk threads")
	lua := flag.String("lua", "bench/wrk", "directory of the wrk scripts")
	out := flag.String("out", "", "also write the report (markdown) here")
	profiles := flag.String("profiles", "", "after the rounds, profile each path with perf into this directory (top symbols as text)")
	only := flag.String("only", "", "comma-separated steps to run instead of all (static,verify,pagepay,gorsa,query,openssl,refund,sqlite,notify,legacy,flash,history): for working on one path, not for the figures")
	history := flag.Int("history", 1000000, "paid trades seeded into the history step's database (page.pay and trade.query again on it)")
	flag.Parse()

	abs, err := filepath.Abs(*bin)
	if err == nil {
		*bin = abs
	}
	if *smoke {
		if err := runSmoke(*bin); err != nil {
			fmt.Fprintln(os.Stderr, "bench smoke: FAIL:", err)
			os.Exit(1)
		}
		fmt.Println("bench smoke: ok")
		return
	}
	for _, tool := range []string{"wrk"} {
		if _, err := exec.LookPath(tool); err != nil {
			fmt.Fprintf(os.Stderr, "bench-load needs %s: apt-get install -y wrk (Debian/Ubuntu)\n", tool)
			os.Exit(2)
		}
	}
	l := load{Threads: *threads, Conns: *conns, Duration: *dur, Lua: *lua, History: *history}
	sel := map[string]bool{}
	for _, k := range strings.Split(*only, ",") {
		if k != "" {
			sel[k] = true
		}
	}
	rep, err := runLoad(*bin, l, *rounds, *profiles, sel, *history)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench-load:", err)
		os.Exit(1)
	}
	fmt.Print(rep)
	if *out != "" {
		if err := os.WriteFile(*out, []byte(rep), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}

func selfPath() string {
	p, err := os.Executable()
	if err != nil {
		panic(err)
	}
	return p
}

// machine describes where the figures come from.
func machine() string {
	model := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
	}
	load, _ := os.ReadFile("/proc/loadavg")
	openssl := "absent"
	if out, err := exec.Command("openssl", "version").Output(); err == nil {
		openssl = strings.TrimSpace(string(out))
	}
	wrk := "absent"
	if out, _ := exec.Command("wrk", "-v").CombinedOutput(); len(out) > 0 {
		wrk = strings.TrimSpace(strings.SplitN(string(out), "\n", 2)[0])
	}
	return fmt.Sprintf("CPU %s, %d cores (runtime.NumCPU), %s %s/%s, %s, %s, load average %s",
		model, runtime.NumCPU(), runtime.Version(), runtime.GOOS, runtime.GOARCH, openssl, wrk,
		strings.Join(strings.Fields(string(load))[:3], " "))
}
