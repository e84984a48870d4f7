package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// runReplicasBench is the flash sale (flashSale: page.pay, the buyer
// paying, the notification acknowledged) on SQLite with one process and on
// PostgreSQL with 1, 2 and 3 replicas, the configurations interleaved
// round by round so a machine shared with other work loads them alike; the
// report gives each configuration's median rate and its ratio to SQLite's,
// measured in the same run. Every replica runs on this machine: the figures
// say what sharing costs, not what more machines would give.
func runReplicasBench(bin, admin string, rounds int) (string, error) {
	const flows, conc, nShops = 400, 16, 3
	type config struct {
		name     string
		replicas int // 0: SQLite
	}
	configs := []config{{"SQLite, 1 process", 0}, {"PostgreSQL, 1 replica", 1}, {"PostgreSQL, 2 replicas", 2}, {"PostgreSQL, 3 replicas", 3}}
	rates := map[string][]float64{}
	p50s := map[string][]time.Duration{}
	cpus := map[string][]time.Duration{}
	rc, err := startReceiver()
	if err != nil {
		return "", err
	}
	defer rc.Close()
	load0 := loadavg()
	for round := range rounds {
		for _, c := range configs {
			var ms []*mockpay
			var drop func()
			if c.replicas == 0 {
				m, err := startMockpay(bin)
				if err != nil {
					return "", err
				}
				ms = []*mockpay{m}
			} else {
				dbURL, d, err := newPGDatabase(admin, "bench")
				if err != nil {
					return "", err
				}
				drop = d
				if ms, err = startReplicas(bin, dbURL, c.replicas); err != nil {
					drop()
					return "", err
				}
			}
			before := cpuOf(ms)
			r, err := benchFlash(ms, rc, fmt.Sprintf("B%d-%d", round, c.replicas), flows, conc, nShops)
			spent := cpuOf(ms) - before
			stopAll(ms)
			if drop != nil {
				drop()
			}
			if err != nil {
				return "", fmt.Errorf("%s: %w", c.name, err)
			}
			rates[c.name] = append(rates[c.name], float64(r.N)/r.Elapsed.Seconds())
			p50s[c.name] = append(p50s[c.name], percentile(r.Latencies, 50))
			cpus[c.name] = append(cpus[c.name], spent/time.Duration(r.N))
		}
	}
	w := &strings.Builder{}
	fmt.Fprintf(w, "Flash sale, %d flows (page.pay → pay → notification acknowledged), %d at a time, %d shops; median of %d interleaved rounds.\n",
		flows, conc, nShops, rounds)
	fmt.Fprintf(w, "Machine: %s; load average at start %s, at end %s.\n\n", machine(), load0, loadavg())
	fmt.Fprintln(w, "| configuration | flows/s | rate ratio to SQLite | p50 flow | CPU per flow (mockpay + PostgreSQL) | CPU ratio to SQLite |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|")
	base, baseCPU := medianF(rates[configs[0].name]), medianD(cpus[configs[0].name])
	for _, c := range configs {
		r, cpu := medianF(rates[c.name]), medianD(cpus[c.name])
		fmt.Fprintf(w, "| %s | %.0f | %.2f | %s | %s | %.2f |\n", c.name, r, r/base, ms(medianD(p50s[c.name])), ms(cpu),
			float64(cpu)/float64(baseCPU))
	}
	return w.String(), nil
}

// benchFlash runs one flash sale over the replicas ms.
func benchFlash(ms []*mockpay, rc *receiver, tag string, flows, conc, nShops int) (flowResult, error) {
	shops := make([]*shop, nShops)
	for i := range shops {
		k, err := ms[0].newApp(fmt.Sprintf("flash shop %d", i))
		if err != nil {
			return flowResult{}, err
		}
		if shops[i], err = newShop(ms[0].URL+"/gateway.do", k); err != nil {
			return flowResult{}, err
		}
	}
	orders := make([]string, flows)
	for i := range orders {
		orders[i] = fmt.Sprintf("%s-%d", tag, i)
	}
	bodies := parallel(flows, func(i int) string { return shops[i%len(shops)].pagePay(orders[i], rc.URL) })
	rc.reset()
	r, err := flashSale(ms, rc, shops, orders, bodies, conc)
	if err != nil {
		return r, err
	}
	time.Sleep(100 * time.Millisecond)
	if paid, dup, _ := rc.counts(); paid != flows || dup != 0 {
		return r, fmt.Errorf("receiver acknowledged %d payments (want %d), %d notify_ids more than once", paid, flows, dup)
	}
	return r, nil
}

func medianF(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	for i := range s {
		for j := i + 1; j < len(s); j++ {
			if s[j] < s[i] {
				s[i], s[j] = s[j], s[i]
			}
		}
	}
	return s[len(s)/2]
}

func medianD(xs []time.Duration) time.Duration {
	f := make([]float64, len(xs))
	for i, x := range xs {
		f[i] = float64(x)
	}
	return time.Duration(medianF(f))
}

// cpuOf is the CPU time the replicas and every PostgreSQL server process
// on this machine (the throw-away cluster's) have used so far: what a
// flow costs the whole deployment, not only mockpay.
func cpuOf(ms []*mockpay) time.Duration {
	var total time.Duration
	for _, m := range ms {
		t, _ := cpuTime(m.Pid)
		total += t
	}
	procs, _ := os.ReadDir("/proc")
	for _, p := range procs {
		pid, err := strconv.Atoi(p.Name())
		if err != nil {
			continue
		}
		if comm, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid)); strings.TrimSpace(string(comm)) == "postgres" {
			t, _ := cpuTime(pid)
			total += t
		}
	}
	return total
}
