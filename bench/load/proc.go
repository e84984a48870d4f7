package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// clockTicks is USER_HZ, the unit of /proc/<pid>/stat's utime and stime:
// 100 on every Linux architecture Go supports.
const clockTicks = 100

// cpuTime is the CPU time (user + system) a process has used so far.
func cpuTime(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name (field 2) may hold spaces: count from its ")".
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0, fmt.Errorf("short /proc/%d/stat", pid)
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64) // field 14 overall
	stime, _ := strconv.ParseInt(f[12], 10, 64) // field 15
	return time.Duration(utime+stime) * time.Second / clockTicks, nil
}

// memory reads VmRSS and VmHWM (peak RSS) in KiB.
func memory(pid int) (rss, hwm int64) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		switch k {
		case "VmRSS":
			rss = n
		case "VmHWM":
			hwm = n
		}
	}
	return rss, hwm
}

// freeAddr returns a loopback address with a port nobody listens on now.
func freeAddr() string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// process is a server the harness started and measures.
type process struct {
	cmd  *exec.Cmd
	URL  string
	Pid  int
	done chan struct{}
}

// startProcess runs name args… and waits until GET url+readyPath answers
// 200, returning how long that took from just before the exec.
func startProcess(url, readyPath string, name string, args ...string) (*process, time.Duration, error) {
	cmd := exec.Command(name, args...)
	cmd.Stdout = nil
	cmd.Stderr = os.Stderr
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, 0, err
	}
	p := &process{cmd: cmd, URL: url, Pid: cmd.Process.Pid, done: make(chan struct{})}
	go func() { cmd.Wait(); close(p.done) }()
	hc := &http.Client{Timeout: 200 * time.Millisecond}
	deadline := t0.Add(10 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-p.done:
			return nil, 0, fmt.Errorf("%s exited before it was ready", name)
		default:
		}
		resp, err := hc.Get(url + readyPath)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p, time.Since(t0), nil
			}
		}
		time.Sleep(time.Millisecond)
	}
	p.Stop()
	return nil, 0, fmt.Errorf("%s not ready within 10s", name)
}

// Stop ends the process (SIGTERM, then SIGKILL after 10 s) and waits.
func (p *process) Stop() {
	p.cmd.Process.Signal(os.Interrupt)
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		p.cmd.Process.Kill()
		<-p.done
	}
}

// usage is what a process spent between two points of a run.
type usage struct {
	CPU      time.Duration
	RSS, HWM int64 // KiB, at the end
}

// meter measures a process's CPU over a run: call the returned function at
// the run's end.
func meter(pid int) func() usage {
	endProfile := func() {}
	if profileHook != nil {
		endProfile = profileHook(pid)
	}
	before, _ := cpuTime(pid)
	return func() usage {
		after, _ := cpuTime(pid)
		endProfile()
		rss, hwm := memory(pid)
		return usage{CPU: after - before, RSS: rss, HWM: hwm}
	}
}

// withTimeout is a context bounded by d.
func withTimeout(d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), d)
}
