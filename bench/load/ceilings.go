package main

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"syscall"
	"time"

	_ "github.com/mattn/go-sqlite3"
)

// goRSA is RSA-2048 PKCS#1 v1.5 SHA-256 signatures and verifications per
// CPU-second of one thread (one core's worth), with Go's crypto/rsa as
// mockpay uses it. Per CPU-second, like openssl speed's default, so the
// figure is the machine's and not how much of it a shared machine lent:
// each loop runs until the thread has used d of CPU (or 4d have passed).
func goRSA(key *rsa.PrivateKey, d time.Duration) (signPerSec, verifyPerSec float64) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	sum := sha256.Sum256([]byte("alipay_trade_query_response signed content of a typical length"))
	var sig []byte
	perCPUSecond := func(op func()) float64 {
		n, cpu0, wall0 := 0, threadCPU(), time.Now()
		for threadCPU()-cpu0 < d && time.Since(wall0) < 4*d {
			op()
			n++
		}
		return float64(n) / (threadCPU() - cpu0).Seconds()
	}
	signPerSec = perCPUSecond(func() {
		var err error
		if sig, err = rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:]); err != nil {
			panic(err)
		}
	})
	verifyPerSec = perCPUSecond(func() {
		if err := rsa.VerifyPKCS1v15(&key.PublicKey, crypto.SHA256, sum[:], sig); err != nil {
			panic(err)
		}
	})
	return signPerSec, verifyPerSec
}

// threadCPU is the calling thread's CPU time (RUSAGE_THREAD).
func threadCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(1, &ru); err != nil { // 1: RUSAGE_THREAD
		panic(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

var opensslRSA = regexp.MustCompile(`(?m)^rsa\s+2048 bits\s+\S+s\s+\S+s\s+([\d.]+)\s+([\d.]+)`)

// opensslSpeed runs `openssl speed -seconds N rsa2048` (one process: per
// core) and returns its sign/s and verify/s; ok is false without openssl.
// openssl divides by the CPU time it got (no -elapsed), as goRSA does.
func opensslSpeed(seconds int) (signPerSec, verifyPerSec float64, ok bool, err error) {
	path, err := exec.LookPath("openssl")
	if err != nil {
		return 0, 0, false, nil
	}
	out, err := exec.Command(path, "speed", "-seconds", strconv.Itoa(seconds), "rsa2048").Output()
	if err != nil {
		return 0, 0, true, fmt.Errorf("openssl speed: %w", err)
	}
	m := opensslRSA.FindSubmatch(out)
	if m == nil {
		return 0, 0, true, fmt.Errorf("openssl speed: no rsa 2048 line in %q", out)
	}
	s, _ := strconv.ParseFloat(string(m[1]), 64)
	v, _ := strconv.ParseFloat(string(m[2]), 64)
	return s, v, true, nil
}

// sqliteCommits is single-row commits per second into a fresh file with
// the product's settings (store/db.go: WAL, one connection, BEGIN
// IMMEDIATE) and the given synchronous mode.
func sqliteCommits(dir, synchronous string, d time.Duration) (float64, error) {
	path := filepath.Join(dir, "commit-"+synchronous+".db")
	defer func() {
		for _, s := range []string{"", "-wal", "-shm"} {
			os.Remove(path + s)
		}
	}()
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_busy_timeout", "5000")
	q.Set("_synchronous", synchronous)
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite3", "file:"+path+"?"+q.Encode())
	if err != nil {
		return 0, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, `CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)`); err != nil {
		return 0, err
	}
	n, start := 0, time.Now()
	for time.Since(start) < d {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return 0, err
		}
		if _, err := tx.Exec(`INSERT INTO t (v) VALUES (?)`, "a checkout row of a typical size"); err != nil {
			tx.Rollback()
			return 0, err
		}
		if err := tx.Commit(); err != nil {
			return 0, err
		}
		n++
	}
	return float64(n) / time.Since(start).Seconds(), nil
}
