package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/mockpay/mockpay/internal/merchant"
)

// The fixture apps every fresh mockpay has (fixtures/apps.json).
const (
	rsa2App    = "2021000122600001"
	md5Partner = "2088102100000011"
)

// bench is one harness run: what every path shares.
type bench struct {
	bin  string
	dir  string // temporary files (body pools)
	load load
	rc   *receiver
	keys appKeys // the RSA2 fixture app's
	md5  appKeys // the MD5 fixture partner's
	// pool sizes of the once-only paths, grown when a run used them up.
	pagePool, refundPool, legacyPool int
	flows, dispatchN, shops          int
	// history is the seeded database of the history step (history.go),
	// historyN its trades.
	history  string
	historyN int
}

// figure is one measurement of one run.
type figure struct {
	Rate      float64 // per second
	P50, P99  time.Duration
	CPU       time.Duration // per request or flow; 0: not measured
	RSS, HWM  int64         // KiB
	NotifyP50 time.Duration // flash sale: pay answer → acknowledgement
	NotifyP99 time.Duration
	Note      string
	Requests  int64
	Elapsed   time.Duration
	Errors    int64
	SpareLeft bool
}

func fromWrk(r wrkResult, u usage) figure {
	f := figure{
		Rate: float64(r.Requests) / (float64(r.DurationUS) / 1e6),
		P50:  time.Duration(r.P50US) * time.Microsecond, P99: time.Duration(r.P99US) * time.Microsecond,
		RSS: u.RSS, HWM: u.HWM, Requests: r.Requests, Elapsed: time.Duration(r.DurationUS) * time.Microsecond,
		Errors: r.errors(), SpareLeft: r.Spare > 0,
	}
	if r.Requests > 0 {
		f.CPU = u.CPU / time.Duration(r.Requests)
	}
	return f
}

// wrkAgainst runs wrk on a started process and reads its CPU and memory.
func (b *bench) wrkAgainst(p *process, path, file, mode, expect string) (figure, error) {
	stop := meter(p.Pid)
	r, err := b.load.run(p.URL+path, file, mode, expect)
	if err != nil {
		return figure{}, err
	}
	f := fromWrk(r, stop())
	if f.Errors > 0 {
		return f, fmt.Errorf("%s: %d errors (connect %d read %d write %d status %d timeout %d; answers without %q: %d, e.g. %s)", path, f.Errors,
			r.ErrConnect, r.ErrRead, r.ErrWrite, r.ErrStatus, r.ErrTimeout, expect, r.Bad, r.BadBody)
	}
	return f, nil
}

func (b *bench) gateway(m *mockpay) string { return m.URL + "/gateway.do" }

func (b *bench) shop(m *mockpay) (*shop, error) { return newShop(b.gateway(m), b.keys) }

// pagePayPool signs page.pay forms with unique out_trade_nos.
func (b *bench) pagePayPool(s *shop, tag string) []string {
	return parallel(b.pagePool, func(i int) string { return s.pagePay(fmt.Sprintf("%s-%d", tag, i), b.rc.URL) })
}

// pagePayFile signs a round's page.pay pool into a file for wrk, keeping
// the last form out of it for the check after the run.
func (b *bench) pagePayFile(round int) (file, check string, err error) {
	s, err := newShop("", b.keys)
	if err != nil {
		return "", "", err
	}
	pool := b.pagePayPool(s, fmt.Sprintf("P%d", round))
	file = filepath.Join(b.dir, "pagepay.txt")
	return file, pool[len(pool)-1], writeLines(file, pool[:len(pool)-1])
}

func (b *bench) staticStub(round int) (figure, error) {
	addr := freeAddr()
	p, _, err := startProcess("http://"+addr, "/", selfPath(), "stub", "static", addr)
	if err != nil {
		return figure{}, err
	}
	defer p.Stop()
	file := filepath.Join(b.dir, "static.txt")
	if err := writeLines(file, []string{"a=b"}); err != nil {
		return figure{}, err
	}
	return b.wrkAgainst(p, "/", file, "repeat", "ok")
}

// verifyStub runs the verify-only server on the round's page.pay forms.
func (b *bench) verifyStub(file string) (figure, error) {
	addr := freeAddr()
	keyFile := filepath.Join(b.dir, "app-public.pem")
	if err := writeLines(keyFile, []string{b.keys.PublicKeyPEM}); err != nil {
		return figure{}, err
	}
	p, _, err := startProcess("http://"+addr, "/_mockpay/readyz", selfPath(), "stub", "verify", addr, keyFile)
	if err != nil {
		return figure{}, err
	}
	defer p.Stop()
	return b.wrkAgainst(p, "/gateway.do", file, "repeat", "status=3")
}

// pagePay is page.pay accept on a fresh mockpay: every request a new order.
func (b *bench) pagePay(file string, check string) (figure, error) {
	return b.pagePayOn(func() (*mockpay, error) { return startMockpay(b.bin) }, file, check)
}

// pagePayOn is page.pay accept on the mockpay start gives.
func (b *bench) pagePayOn(start func() (*mockpay, error), file string, check string) (figure, error) {
	m, err := start()
	if err != nil {
		return figure{}, err
	}
	defer m.Stop()
	f, err := b.wrkAgainst(m.process, "/gateway.do", file, "once", "status=3")
	if err != nil {
		return f, err
	}
	// One more, checked: the answer is the cashier redirect.
	code, body, err := postForm(b.gateway(m), check)
	if err != nil || code != http.StatusSeeOther {
		return f, fmt.Errorf("page.pay after the run: HTTP %d %v: %.300s", code, err, body)
	}
	return f, nil
}

// paidTrade opens and pays one order on m.
func (b *bench) paidTrade(m *mockpay, s *shop, otn string) error {
	code, body, err := postForm(b.gateway(m), s.pagePay(otn, b.rc.URL))
	if err != nil || code != http.StatusSeeOther {
		return fmt.Errorf("page.pay %s: HTTP %d %v: %.300s", otn, code, err, body)
	}
	_, err = m.payOrder(s.keys.AppID, otn)
	return err
}

// checkAnswer posts a signed call and requires code 10000 with a
// signature that verifies, plus the given fields.
func checkAnswer(s *shop, method, body string, want map[string]string) error {
	code, raw, err := postForm(s.c.Gateway, body)
	if err != nil || code != http.StatusOK {
		return fmt.Errorf("%s: HTTP %d %v: %.300s", method, code, err, raw)
	}
	r, err := s.c.Decode(method, raw)
	if err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	if r.Code() != "10000" || !r.Verified {
		return fmt.Errorf("%s: code %s verified %v: %.300s", method, r.Code(), r.Verified, raw)
	}
	for k, v := range want {
		if r.Str(k) != v {
			return fmt.Errorf("%s: %s = %q, want %q", method, k, r.Str(k), v)
		}
	}
	return nil
}

// query is trade.query on one paid trade, the same signed request again
// and again (a polling shop).
func (b *bench) query(round int) (figure, error) {
	return b.queryOn(func() (*mockpay, error) { return startMockpay(b.bin) }, fmt.Sprintf("Q%d", round))
}

// queryOn is trade.query on the mockpay start gives, of a trade paid
// first as otn.
func (b *bench) queryOn(start func() (*mockpay, error), otn string) (figure, error) {
	m, err := start()
	if err != nil {
		return figure{}, err
	}
	defer m.Stop()
	s, err := b.shop(m)
	if err != nil {
		return figure{}, err
	}
	if err := b.paidTrade(m, s, otn); err != nil {
		return figure{}, err
	}
	body := s.query(otn)
	if err := checkAnswer(s, "alipay.trade.query", body, map[string]string{"trade_status": "TRADE_SUCCESS"}); err != nil {
		return figure{}, err
	}
	file := filepath.Join(b.dir, "query.txt")
	if err := writeLines(file, []string{body}); err != nil {
		return figure{}, err
	}
	return b.wrkAgainst(m.process, "/gateway.do", file, "repeat", `"code":"10000"`)
}

// refundTrades is how many paid trades the refunds are spread over, so no
// one trade's refund history grows long.
const refundTrades = 20

// refund is alipay.trade.refund of 0.01, each request a new out_request_no.
// Each refund also queues a refund notification to the receiver, as on
// the platform; its delivery is part of the CPU measured.
func (b *bench) refund(round int) (figure, error) {
	m, err := startMockpay(b.bin)
	if err != nil {
		return figure{}, err
	}
	defer m.Stop()
	s, err := b.shop(m)
	if err != nil {
		return figure{}, err
	}
	for t := range refundTrades {
		if err := b.paidTrade(m, s, fmt.Sprintf("R%d-%d", round, t)); err != nil {
			return figure{}, err
		}
	}
	n := b.refundPool + 1
	bodies := parallel(n, func(i int) string {
		return s.refund(fmt.Sprintf("R%d-%d", round, i%refundTrades), fmt.Sprintf("RQ%d-%d", round, i))
	})
	file := filepath.Join(b.dir, "refund.txt")
	if err := writeLines(file, bodies[1:]); err != nil {
		return figure{}, err
	}
	f, err := b.wrkAgainst(m.process, "/gateway.do", file, "once", `"fund_change":"Y"`)
	if err != nil {
		return f, err
	}
	return f, checkAnswer(s, "alipay.trade.refund", bodies[0], map[string]string{"fund_change": "Y"})
}

func (b *bench) legacyClient(m *mockpay) *merchant.Legacy {
	return merchant.NewLegacy(b.gateway(m), b.md5.PID, b.md5.MD5Key)
}

// legacy is the MD5 create_direct_pay_by_user order, each a new
// out_trade_no; the answer is the redirect to the cashier.
func (b *bench) legacy(round int) (figure, error) {
	m, err := startMockpay(b.bin)
	if err != nil {
		return figure{}, err
	}
	defer m.Stop()
	l := b.legacyClient(m)
	bodies := parallel(b.legacyPool+1, func(i int) string { return legacyOrder(l, fmt.Sprintf("L%d-%d", round, i), b.rc.URL) })
	file := filepath.Join(b.dir, "legacy.txt")
	if err := writeLines(file, bodies[1:]); err != nil {
		return figure{}, err
	}
	f, err := b.wrkAgainst(m.process, "/gateway.do", file, "once", "status=3")
	if err != nil {
		return f, err
	}
	return f, checkLegacyOrder(b.gateway(m), bodies[0])
}

// checkLegacyOrder requires a legacy order to be redirected to the cashier.
func checkLegacyOrder(gateway, body string) error {
	code, raw, err := postForm(gateway, body)
	if err != nil || code/100 != 3 {
		return fmt.Errorf("legacy order: HTTP %d %v: %.300s", code, err, raw)
	}
	return nil
}

// notifications is dispatch alone (flows.go, dispatch).
func (b *bench) notifications(round int) (figure, error) {
	m, err := startMockpay(b.bin)
	if err != nil {
		return figure{}, err
	}
	defer m.Stop()
	s, err := b.shop(m)
	if err != nil {
		return figure{}, err
	}
	r, u, err := dispatch(m, b.rc, s, fmt.Sprintf("N%d", round), b.dispatchN, 16)
	if err != nil {
		return figure{}, err
	}
	if err := b.exactlyOnce(r.N); err != nil {
		return figure{}, err
	}
	return figure{Rate: float64(r.N) / r.Elapsed.Seconds(), P50: percentile(r.Latencies, 50), P99: percentile(r.Latencies, 99),
		CPU: u.CPU / time.Duration(r.N), RSS: u.RSS, HWM: u.HWM, Requests: int64(r.N), Elapsed: r.Elapsed}, nil
}

// exactlyOnce checks the receiver acknowledged n payments, each once.
func (b *bench) exactlyOnce(n int) error {
	time.Sleep(100 * time.Millisecond) // a duplicate would be on its way now
	paid, dup, _ := b.rc.counts()
	if paid != n || dup != 0 {
		return fmt.Errorf("receiver acknowledged %d payments (want %d), %d notify_ids more than once", paid, n, dup)
	}
	return nil
}

// flash is the flash sale: many shops, each flow page.pay → pay → acked.
func (b *bench) flash(round, conc int) (figure, error) {
	m, err := startMockpay(b.bin)
	if err != nil {
		return figure{}, err
	}
	defer m.Stop()
	shops := make([]*shop, b.shops)
	for i := range shops {
		k, err := m.newApp(fmt.Sprintf("flash shop %d", i))
		if err != nil {
			return figure{}, err
		}
		if shops[i], err = newShop(b.gateway(m), k); err != nil {
			return figure{}, err
		}
	}
	orders := make([]string, b.flows)
	for i := range orders {
		orders[i] = fmt.Sprintf("F%d-%d", round, i)
	}
	bodies := parallel(b.flows, func(i int) string { return shops[i%len(shops)].pagePay(orders[i], b.rc.URL) })
	b.rc.reset()
	stop := meter(m.Pid)
	r, err := flashSale(m, b.rc, shops, orders, bodies, conc)
	if err != nil {
		return figure{}, err
	}
	u := stop()
	if err := b.exactlyOnce(r.N); err != nil {
		return figure{}, err
	}
	return figure{Rate: float64(r.N) / r.Elapsed.Seconds(), P50: percentile(r.Latencies, 50), P99: percentile(r.Latencies, 99),
		NotifyP50: percentile(r.NotifyDelays, 50), NotifyP99: percentile(r.NotifyDelays, 99),
		CPU: u.CPU / time.Duration(r.N), RSS: u.RSS, HWM: u.HWM, Requests: int64(r.N), Elapsed: r.Elapsed}, nil
}

// fixtureKeys reads the fixture apps' keys from a mockpay.
func fixtureKeys(m *mockpay) (rsa2, md5 appKeys, err error) {
	if rsa2, err = m.app(rsa2App); err != nil {
		return
	}
	md5, err = m.app(md5Partner)
	if err == nil && md5.MD5Key == "" {
		b, _ := json.Marshal(md5)
		err = fmt.Errorf("partner %s has no md5_key: %s", md5Partner, b)
	}
	if err == nil && !strings.Contains(rsa2.PrivateKeyPEM, "PRIVATE KEY") {
		err = fmt.Errorf("app %s: no private key in the control API", rsa2App)
	}
	return
}
