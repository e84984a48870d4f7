package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"
)

// wrkResult is what bench/wrk/bodies.lua's done() prints.
type wrkResult struct {
	Requests   int64  `json:"requests"`
	DurationUS int64  `json:"duration_us"`
	P50US      int64  `json:"p50_us"`
	P99US      int64  `json:"p99_us"`
	Spare      int64  `json:"spare"`
	Bad        int64  `json:"bad"`
	BadBody    string `json:"bad_body"`
	ErrConnect int64  `json:"err_connect"`
	ErrRead    int64  `json:"err_read"`
	ErrWrite   int64  `json:"err_write"`
	ErrStatus  int64  `json:"err_status"`
	ErrTimeout int64  `json:"err_timeout"`
}

func (r wrkResult) errors() int64 {
	return r.ErrConnect + r.ErrRead + r.ErrWrite + r.ErrStatus + r.ErrTimeout + r.Bad
}

// load is how wrk drives a run: the issue's -t2 -c64 by default.
type load struct {
	Threads, Conns int
	Duration       time.Duration
	Lua            string // the directory of bodies.lua and checked.lua
	History        int    // paid trades in the history step's database
}

// run POSTs the bodies in file to url for l.Duration (mode once or
// repeat); every answer must meet expect (bench/wrk/checked.lua). Every
// run, ceilings included, pays the same for that check.
func (l load) run(url, file, mode, expect string) (wrkResult, error) {
	script := filepath.Join(l.Lua, "bodies.lua")
	if expect != "" {
		script = filepath.Join(l.Lua, "checked.lua")
	}
	args := []string{"-t", strconv.Itoa(l.Threads), "-c", strconv.Itoa(l.Conns),
		"-d", fmt.Sprintf("%ds", int(l.Duration.Seconds())), "--timeout", "10s",
		"-s", script, url, "--", file, strconv.Itoa(l.Threads), mode, expect}
	out, err := exec.Command("wrk", args...).Output()
	if err != nil {
		return wrkResult{}, fmt.Errorf("wrk %v: %w", args, err)
	}
	i := bytes.LastIndex(out, []byte(`{"requests"`))
	if i < 0 {
		return wrkResult{}, fmt.Errorf("wrk printed no result: %s", out)
	}
	var r wrkResult
	if err := json.Unmarshal(bytes.TrimSpace(out[i:]), &r); err != nil {
		return r, fmt.Errorf("wrk result %q: %w", out[i:], err)
	}
	// The spares (a thread out of bodies) are not the path being measured.
	r.Requests -= r.Spare
	return r, nil
}
