package main

import (
	"fmt"
	"math"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/mockpay/mockpay/internal/merchant"
)

// The measurements, by name, in the order of the report.
const (
	cStatic   = "static Go HTTP handler (constant answer)"
	cVerify   = "verify-only server (form parse + RSA2 verify, 303)"
	cGoSign   = "Go RSA-2048 sign, per core"
	cGoVerify = "Go RSA-2048 verify, per core"
	cSSLSign  = "openssl speed rsa2048 sign, per core"
	cSSLVer   = "openssl speed rsa2048 verify, per core"
	cSQLite   = "SQLite single-row commit (WAL, synchronous=NORMAL)"
	cSQLFull  = "SQLite single-row commit (WAL, synchronous=FULL)"
	pPagePay  = "page.pay accept"
	pQuery    = "trade.query (paid trade)"
	pRefund   = "trade.refund (0.01, new out_request_no)"
	pNotify   = "notification dispatch (one host)"
	pLegacy   = "legacy MD5 create_direct_pay_by_user"
	pFlash    = "flash sale flow (page.pay → pay → notification acked)"
	pPageHist = "page.pay accept, history in the database"
	pQueryHst = "trade.query (paid trade), history in the database"
)

// signaturesPerFlow is what one flash-sale flow signs: the return URL's
// parameters and the notification (the page.pay is a verification).
const signaturesPerFlow = 2

type results map[string][]figure

// step is one measurement of a round; key selects it with -only.
type step struct {
	key string
	run func(round int) ([]named, error)
}

type named struct {
	name string
	f    figure
}

func (r results) add(name string, f figure) { r[name] = append(r[name], f) }

// median of one field over the rounds.
func (r results) median(name string, field func(figure) float64) float64 {
	var v []float64
	for _, f := range r[name] {
		v = append(v, field(f))
	}
	if len(v) == 0 {
		return math.NaN()
	}
	slices.Sort(v)
	return v[len(v)/2]
}

func (r results) rate(name string) float64 {
	return r.median(name, func(f figure) float64 { return f.Rate })
}

// runLoad measures everything, or with only set just those steps (keys:
// static, verify, pagepay, gorsa, query, openssl, refund, sqlite, notify,
// legacy, flash), which is for the optimising work, not for the figures.
func runLoad(bin string, l load, rounds int, profileDir string, only map[string]bool, historyN int) (string, error) {
	want := func(key string) bool { return len(only) == 0 || only[key] }
	loadBefore := loadavg()
	started := time.Now()
	dir, err := os.MkdirTemp("", "mockpay-load-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	rc, err := startReceiver()
	if err != nil {
		return "", err
	}
	defer rc.Close()
	b := &bench{bin: bin, dir: dir, load: l, rc: rc,
		pagePool: 4500 * int(l.Duration.Seconds()), refundPool: 1000 * int(l.Duration.Seconds()),
		legacyPool: 6000 * int(l.Duration.Seconds()), flows: 600, dispatchN: 600, shops: 4, historyN: historyN}

	// Start-up: ready time and idle RSS, also where the fixture keys come from.
	var readies []time.Duration
	var idle []int64
	for i := range 7 {
		m, err := startMockpay(bin)
		if err != nil {
			return "", err
		}
		readies = append(readies, m.Ready)
		if i == 0 {
			if b.keys, b.md5, err = fixtureKeys(m); err != nil {
				m.Stop()
				return "", err
			}
		}
		time.Sleep(300 * time.Millisecond)
		rss, _ := memory(m.Pid)
		idle = append(idle, rss)
		m.Stop()
	}
	slices.Sort(readies)
	slices.Sort(idle)
	goKey, err := merchant.ParsePrivateKey(b.keys.PrivateKeyPEM)
	if err != nil {
		return "", err
	}

	res := results{}
	var notes []string
	one := func(name string) func(figure, error) ([]named, error) {
		return func(f figure, err error) ([]named, error) { return []named{{name, f}}, err }
	}
	// enough runs a once-only path; while its pool runs out (the rate
	// would count the idle tail, and is only a lower bound), it signs a
	// pool twice as big and runs again on a fresh mockpay, three times at
	// most.
	enough := func(what string, pool *int, round int, run func() (figure, error)) (figure, error) {
		for try := 1; ; try++ {
			f, err := run()
			if err != nil || !f.SpareLeft {
				return f, err
			}
			if try == 3 {
				notes = append(notes, fmt.Sprintf("round %d: %s used up its %d forms three times; its rate is a lower bound", round, what, *pool))
				return f, nil
			}
			notes = append(notes, fmt.Sprintf("round %d: %s used up its %d forms and ran again with twice as many", round, what, *pool))
			*pool *= 2
		}
	}
	var pageFile, pageCheck string
	// The order interleaves each ceiling with the path it bounds.
	steps := []step{
		{"static", func(r int) ([]named, error) { return one(cStatic)(b.staticStub(r)) }},
		{"verify", func(r int) ([]named, error) {
			// One pool of page.pay forms serves the verify-only server and
			// mockpay; the last form is the check after mockpay's run.
			var err error
			if pageFile, pageCheck, err = b.pagePayFile(r); err != nil {
				return nil, err
			}
			return one(cVerify)(b.verifyStub(pageFile))
		}},
		{"pagepay", func(r int) ([]named, error) {
			f, err := enough("page.pay", &b.pagePool, r, func() (figure, error) {
				if pageFile == "" { // -only without verify, or a second try
					var err error
					if pageFile, pageCheck, err = b.pagePayFile(r); err != nil {
						return figure{}, err
					}
				}
				defer func() { pageFile = "" }()
				return b.pagePay(pageFile, pageCheck)
			})
			return []named{{pPagePay, f}}, err
		}},
		{"gorsa", func(int) ([]named, error) {
			s, v := goRSA(goKey, 2*time.Second)
			return []named{{cGoSign, figure{Rate: s}}, {cGoVerify, figure{Rate: v}}}, nil
		}},
		{"query", func(r int) ([]named, error) { return one(pQuery)(b.query(r)) }},
		{"openssl", func(int) ([]named, error) {
			s, v, ok, err := opensslSpeed(2)
			if !ok || err != nil {
				return nil, err
			}
			return []named{{cSSLSign, figure{Rate: s}}, {cSSLVer, figure{Rate: v}}}, nil
		}},
		{"refund", func(r int) ([]named, error) {
			f, err := enough("refund", &b.refundPool, r, func() (figure, error) { return b.refund(r) })
			return []named{{pRefund, f}}, err
		}},
		{"sqlite", func(int) ([]named, error) {
			var out []named
			for _, sync := range []struct{ mode, name string }{{"NORMAL", cSQLite}, {"FULL", cSQLFull}} {
				rate, err := sqliteCommits(dir, sync.mode, time.Second)
				if err != nil {
					return nil, err
				}
				out = append(out, named{sync.name, figure{Rate: rate}})
			}
			return out, nil
		}},
		{"notify", func(r int) ([]named, error) { return one(pNotify)(b.notifications(r)) }},
		{"legacy", func(r int) ([]named, error) {
			f, err := enough("the legacy order", &b.legacyPool, r, func() (figure, error) { return b.legacy(r) })
			return []named{{pLegacy, f}}, err
		}},
		{"flash", func(r int) ([]named, error) { return one(pFlash)(b.flash(r, 32)) }},
		// Last, so the fresh-database runs above are not beside a seeding.
		{"history", func(r int) ([]named, error) {
			db, err := b.historyDB()
			if err != nil {
				return nil, err
			}
			on := func() (*mockpay, error) { return startMockpayOn(b.bin, db) }
			file, check, err := b.pagePayFile(r)
			if err != nil {
				return nil, err
			}
			pf, err := enough("page.pay on history", &b.pagePool, r, func() (figure, error) { return b.pagePayOn(on, file, check) })
			if err != nil {
				return nil, err
			}
			qf, err := b.queryOn(on, fmt.Sprintf("HQ%d", r))
			return []named{{pPageHist, pf}, {pQueryHst, qf}}, err
		}},
	}
	for round := 1; round <= rounds; round++ {
		fmt.Fprintf(os.Stderr, "round %d/%d\n", round, rounds)
		for _, st := range steps {
			if !want(st.key) {
				continue
			}
			figs, err := st.run(round)
			if err != nil {
				return "", fmt.Errorf("round %d, %s: %w", round, st.key, err)
			}
			for _, nf := range figs {
				res.add(nf.name, nf.f)
				f := nf.f
				fmt.Fprintf(os.Stderr, "  %-60s %10.0f/s  p50 %-9s p99 %-9s cpu/op %s\n", nf.name, f.Rate,
					ms(f.P50), ms(f.P99), ms(f.CPU))
			}
		}
	}
	var profiles string
	if profileDir != "" {
		if profiles, err = b.profile(profileDir); err != nil {
			return "", err
		}
	}
	loadAfter := loadavg()
	return report(res, rounds, l, readies, idle, notes, loadBefore, loadAfter, time.Since(started), profiles), nil
}

func loadavg() string {
	b, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

func ms(d time.Duration) string {
	switch {
	case d == 0:
		return "–"
	case d < time.Millisecond:
		return fmt.Sprintf("%.0f µs", float64(d)/1e3)
	default:
		return fmt.Sprintf("%.1f ms", float64(d)/1e6)
	}
}

func report(res results, rounds int, l load, readies []time.Duration, idle []int64, notes []string,
	loadBefore, loadAfter string, took time.Duration, profiles string) string {
	w := &strings.Builder{}
	cores := float64(runtime.NumCPU())
	sslSign, goSign := res.rate(cSSLSign), res.rate(cGoSign)
	signer, perCore := "OpenSSL", sslSign
	if math.IsNaN(sslSign) {
		signer, perCore = "Go", goSign
	}
	signLimit := perCore * cores
	cpu := func(name string) time.Duration {
		return time.Duration(res.median(name, func(f figure) float64 { return float64(f.CPU) }))
	}
	perSign := time.Duration(float64(time.Second) / perCore)
	goPerSign := time.Duration(float64(time.Second) / goSign)

	fmt.Fprintf(w, "Machine: %s\n\n", machine())
	fmt.Fprintf(w, "Load average before %s, after %s; %d rounds, medians; wrk -t%d -c%d -d%s (bench/wrk/checked.lua); took %s.\n\n",
		loadBefore, loadAfter, rounds, l.Threads, l.Conns, l.Duration, took.Round(time.Second))
	fmt.Fprintf(w, "| measurement | rate /s | p50 | p99 | CPU per op | RSS / peak | ratio: rate | ratio: CPU per op |\n")
	fmt.Fprintf(w, "|---|---:|---:|---:|---:|---:|---|---|\n")
	row := func(name, byRate, byCPU string) {
		if len(res[name]) == 0 {
			return
		}
		med := func(field func(figure) float64) float64 { return res.median(name, field) }
		p50 := time.Duration(med(func(f figure) float64 { return float64(f.P50) }))
		p99 := time.Duration(med(func(f figure) float64 { return float64(f.P99) }))
		rss := med(func(f figure) float64 { return float64(f.RSS) })
		hwm := med(func(f figure) float64 { return float64(f.HWM) })
		mem := "–"
		if rss > 0 {
			mem = fmt.Sprintf("%.0f / %.0f MB", rss/1024, hwm/1024)
		}
		c := cpu(name)
		if c == 0 && (name == cGoSign || name == cSSLSign || name == cGoVerify || name == cSSLVer) {
			c = time.Duration(float64(time.Second) / res.rate(name))
		}
		fmt.Fprintf(w, "| %s | %.0f | %s | %s | %s | %s | %s | %s |\n", name, res.rate(name), ms(p50), ms(p99), ms(c), mem, byRate, byCPU)
	}
	// byRate is the path's rate over the ceiling's; byCPU the ceiling's
	// CPU per op over the path's, which a shared machine disturbs less.
	// A ratio whose ceiling was not measured (-only) is left out.
	byRate := func(path string, limit float64, what string) string {
		r := res.rate(path) / limit
		if math.IsNaN(r) || math.IsInf(r, 0) || r <= 0 {
			return "–"
		}
		return fmt.Sprintf("%.2f× %s", r, what)
	}
	byCPU := func(path string, ceiling time.Duration, what string) string {
		r := float64(ceiling) / float64(cpu(path))
		if math.IsNaN(r) || math.IsInf(r, 0) || r <= 0 {
			return "–"
		}
		return fmt.Sprintf("%.2f× %s", r, what)
	}
	fmt.Fprintf(w, "| **ceilings** | | | | | | | |\n")
	for _, c := range []string{cStatic, cVerify, cGoSign, cGoVerify, cSSLSign, cSSLVer, cSQLite, cSQLFull} {
		row(c, "", "")
	}
	fmt.Fprintf(w, "| **paths (mockpay serve, fresh database, --quiet)** | | | | | | | |\n")
	row(pPagePay, byRate(pPagePay, res.rate(cVerify), "verify-only")+"; "+byRate(pPagePay, res.rate(cStatic), "static"),
		byCPU(pPagePay, cpu(cVerify), "verify-only"))
	for _, p := range []string{pQuery, pRefund, pNotify} {
		row(p, byRate(p, signLimit, "signing limit")+"; "+byRate(p, goSign*cores, "Go's"),
			byCPU(p, perSign, "one "+signer+" signature")+"; "+byCPU(p, goPerSign, "one Go signature"))
	}
	if len(res[pPageHist]) > 0 {
		fmt.Fprintf(w, "| **paths on a database already holding %d paid trades** | | | | | | | |\n", l.History)
		row(pPageHist, byRate(pPageHist, res.rate(pPagePay), "fresh database"), byCPU(pPageHist, cpu(pPagePay), "fresh database"))
		p99 := func(name string) float64 { return res.median(name, func(f figure) float64 { return float64(f.P99) }) }
		row(pQueryHst, byRate(pQueryHst, res.rate(pQuery), "fresh database")+fmt.Sprintf("; p99 %.2f× fresh", p99(pQueryHst)/p99(pQuery)),
			byCPU(pQueryHst, cpu(pQuery), "fresh database"))
	}
	row(pLegacy, byRate(pLegacy, res.rate(cStatic), "static")+"; "+byRate(pLegacy, res.rate(cSQLite), "SQLite commit"),
		byCPU(pLegacy, cpu(cStatic), "static"))
	row(pFlash, byRate(pFlash, signLimit/signaturesPerFlow, fmt.Sprintf("signing limit ÷ %d", signaturesPerFlow))+"; "+
		byRate(pFlash, goSign*cores/signaturesPerFlow, fmt.Sprintf("Go's ÷ %d", signaturesPerFlow)),
		byCPU(pFlash, signaturesPerFlow*perSign, fmt.Sprintf("%d %s signatures", signaturesPerFlow, signer)))
	fmt.Fprintf(w, "\nSigning limit: %s %.0f signatures per CPU-second × %d cores = %.0f/s (Go: %.0f/s).\n", signer, perCore, int(cores), signLimit, goSign*cores)
	if len(res[pFlash]) > 0 {
		np50 := time.Duration(res.median(pFlash, func(f figure) float64 { return float64(f.NotifyP50) }))
		np99 := time.Duration(res.median(pFlash, func(f figure) float64 { return float64(f.NotifyP99) }))
		fmt.Fprintf(w, "Flash sale: from the pay answer to the notification's acknowledgement p50 %s, p99 %s.\n", ms(np50), ms(np99))
	}
	fmt.Fprintf(w, "\nStart-up (process start → /_mockpay/readyz 200, %d starts on a fresh database): median %s, min %s, max %s; idle RSS median %.1f MB.\n",
		len(readies), ms(readies[len(readies)/2]), ms(readies[0]), ms(readies[len(readies)-1]), float64(idle[len(idle)/2])/1024)
	for _, n := range notes {
		fmt.Fprintf(w, "\nNote: %s.\n", n)
	}
	if profiles != "" {
		w.WriteString("\n" + profiles)
	}
	return w.String()
}
