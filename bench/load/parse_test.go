package main

import (
	"os"
	"testing"
	"time"
)

// What OpenSSL 3.0 prints after `openssl speed rsa2048`.
const opensslOut = `version: 3.0.19
                  sign    verify    sign/s verify/s
rsa 2048 bits 0.000260s 0.000017s   3847.0  59508.3
`

func TestOpensslLine(t *testing.T) {
	m := opensslRSA.FindSubmatch([]byte(opensslOut))
	if m == nil || string(m[1]) != "3847.0" || string(m[2]) != "59508.3" {
		t.Fatalf("parsed %q", m)
	}
}

func TestProcReadsThisProcess(t *testing.T) {
	stop := meter(os.Getpid())
	// Spin until /proc shows CPU spent (it counts in 10 ms ticks), or 5 s.
	before, _ := cpuTime(os.Getpid())
	for t0 := time.Now(); time.Since(t0) < 5*time.Second; {
		if now, _ := cpuTime(os.Getpid()); now > before {
			break
		}
	}
	u := stop()
	if u.CPU <= 0 || u.RSS <= 0 || u.HWM < u.RSS {
		t.Fatalf("usage %+v", u)
	}
}

func TestPercentile(t *testing.T) {
	d := []time.Duration{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	if p := percentile(d, 50); p != 6 {
		t.Errorf("p50 %d", p)
	}
	if p := percentile(d, 99); p != 10 {
		t.Errorf("p99 %d", p)
	}
	if p := percentile(nil, 50); p != 0 {
		t.Errorf("empty p50 %d", p)
	}
}
