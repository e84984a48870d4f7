package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
)

// profileHook, when set, samples the process a run measures (meter) from
// the run's start to its end and returns the function that ends sampling.
var profileHook func(pid int) (end func())

// profile runs each mockpay path once more under `perf record` (call
// graphs from Go's frame pointers: mockpay needs no pprof endpoint) and
// keeps the top symbols as text: flat (self) and cumulative (children).
// Sampling at 499 Hz costs little, but these runs stay out of the figures.
func (b *bench) profile(dir string) (string, error) {
	if _, err := exec.LookPath("perf"); err != nil {
		return "Profiles: skipped, perf is not installed (apt-get install linux-perf).\n", nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	type run struct {
		file string
		name string
		do   func() (figure, error)
	}
	runs := []run{
		{"pagepay", pPagePay, func() (figure, error) {
			file, check, err := b.pagePayFile(99)
			if err != nil {
				return figure{}, err
			}
			return b.pagePay(file, check)
		}},
		{"query", pQuery, func() (figure, error) { return b.query(99) }},
		{"refund", pRefund, func() (figure, error) { return b.refund(99) }},
		{"notify", pNotify, func() (figure, error) { return b.notifications(99) }},
		{"legacy", pLegacy, func() (figure, error) { return b.legacy(99) }},
		{"flash", pFlash, func() (figure, error) { return b.flash(99, 32) }},
	}
	w := &strings.Builder{}
	w.WriteString("## Profiles\n\n`perf record -F 499 -g -p <mockpay>` during one extra run of each path after the three rounds (kept out of the figures); the top 20 symbols by self time. `bench/profiles/*.txt` also has the top 45 with callees.\n")
	for _, r := range runs {
		data := filepath.Join(b.dir, r.file+".perf.data")
		var perfErr error
		profileHook = func(pid int) func() {
			cmd := exec.Command("perf", "record", "-q", "-F", "499", "-g", "-p", fmt.Sprint(pid), "-o", data)
			if perfErr = cmd.Start(); perfErr != nil {
				return func() {}
			}
			return func() {
				cmd.Process.Signal(os.Interrupt)
				cmd.Wait()
			}
		}
		_, err := r.do()
		profileHook = nil
		if err != nil {
			return "", fmt.Errorf("profile %s: %w", r.name, err)
		}
		if perfErr != nil {
			return "", fmt.Errorf("perf record: %w", perfErr)
		}
		flat, err := perfTop(data, "--no-children", 20)
		if err != nil {
			return "", err
		}
		// The first dozen with callees are net/http and echo frames.
		cum, err := perfTop(data, "--children", 45)
		if err != nil {
			return "", err
		}
		text := fmt.Sprintf("# %s — self time\n%s\n# %s — with callees\n%s", r.name, flat, r.name, cum)
		if err := os.WriteFile(filepath.Join(dir, r.file+".txt"), []byte(text), 0o644); err != nil {
			return "", err
		}
		fmt.Fprintf(w, "\n### %s (`%s`)\n\n```\n%s```\n", r.name, filepath.Join(dir, r.file+".txt"), flat)
	}
	return w.String(), nil
}

// trailingDashes are perf report's empty columns.
var trailingDashes = regexp.MustCompile(`(\s+-)+\s*$`)

// perfTop is the first n symbol lines of perf report.
func perfTop(data, mode string, n int) (string, error) {
	out, err := exec.Command("perf", "report", "-i", data, "--stdio", mode, "--sort", "symbol",
		"-g", "none", "--percent-limit", "0.3").Output()
	if err != nil {
		return "", fmt.Errorf("perf report: %w", err)
	}
	var lines []string
	for _, l := range bytes.Split(out, []byte("\n")) {
		t := strings.TrimSpace(string(l))
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		lines = append(lines, trailingDashes.ReplaceAllString(string(l), ""))
		if len(lines) == n {
			break
		}
	}
	return strings.Join(lines, "\n") + "\n", nil
}
