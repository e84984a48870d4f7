package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mockpay/mockpay/controlapi"
	"github.com/mockpay/mockpay/internal/merchant"
)

func TestAppsCommands(t *testing.T) {
	s := newSandbox(t)
	out := s.mustCLI("apps")
	rows := strings.Split(strings.TrimSpace(out), "\n")
	if len(rows) != 12 || strings.Join(strings.Fields(rows[0]), " ") != "APP_ID SIGN_TYPE PID NAME" ||
		strings.Join(strings.Fields(rows[1]), " ") != "2021000122600001 RSA2 2088102100000001 mockpay demo shop" ||
		strings.Join(strings.Fields(rows[2]), " ") != "2021000122600002 RSA 2088102100000002 mockpay RSA (SHA1) shop" ||
		strings.Join(strings.Fields(rows[3]), " ") != "2021000122600003 RSA2 2088102100000003 mockpay cert-mode shop" ||
		strings.Join(strings.Fields(rows[4]), " ") != "777290058110048 5.1.0/01 777290058110048 mockpay UnionPay 5.1.0 shop" ||
		rows[7] != "" || strings.Join(strings.Fields(rows[8]), " ") != "LEGACY_PARTNER SIGN_TYPE MD5_KEY NAME" ||
		!strings.HasPrefix(strings.Join(strings.Fields(rows[9]), " "), "2088102100000011 MD5 ") {
		t.Errorf("apps table:\n%s", out)
	}
	var raw []map[string]any
	if err := json.Unmarshal([]byte(s.mustCLI("apps", "--json")), &raw); err != nil || len(raw) != 9 || raw[0]["protocol"] != "openapi" || raw[5]["protocol"] != "legacy" || raw[8]["protocol"] != "unionpay" {
		t.Errorf("apps --json: %v %v", err, raw)
	}
	partner := s.mustCLI("apps", "show", "2088102100000011")
	for _, want := range []string{"partner:      2088102100000011", "sign_type:    MD5", "md5_key:      " + strings.TrimSpace(readFile(t, fixtureFile(t, "2088102100000011", "md5_key.txt"))),
		"seller_email: seller-md5@sandbox.mockpay.local"} {
		if !strings.Contains(partner, want) {
			t.Errorf("apps show of a partner lacks %q:\n%s", want, partner)
		}
	}
	if strings.Contains(partner, "PRIVATE KEY") {
		t.Errorf("an MD5 partner has no keys to show:\n%s", partner)
	}
	if rsa := s.mustCLI("apps", "show", "2088102100000012"); !strings.Contains(rsa, "BEGIN RSA PRIVATE KEY") {
		t.Errorf("apps show of an RSA partner lacks its keys:\n%s", rsa)
	}

	shown := s.mustCLI("apps", "show", fixtureApp)
	for _, want := range []string{"app_id:     " + fixtureApp, "sign_type:  RSA2", "gateway:    " + s.base + "/gateway.do",
		strings.TrimSpace(readFile(t, fixtureFile(t, fixtureApp, "app_private_key.pem"))),
		strings.TrimSpace(readFile(t, fixtureFile(t, fixtureApp, "app_private_key_pkcs8.pem"))),
		strings.TrimSpace(readFile(t, fixtureFile(t, fixtureApp, "app_public_key.pem"))),
		strings.TrimSpace(readFile(t, fixtureFile(t, fixtureApp, "alipay_public_key.pem")))} {
		if !strings.Contains(shown, want) {
			t.Errorf("apps show lacks %q", want)
		}
	}
	if _, err := s.cli("apps", "show", "2021999999999999"); err == nil || !strings.HasPrefix(err.Error(), "invalid_app_id: ") {
		t.Errorf("unknown app: %v", err)
	}

	// A created app works with the keys the command printed.
	created := s.mustCLI("apps", "create", "--name", "CLI suite", "--sign-type", "RSA")
	var a controlapi.App
	for _, line := range strings.Split(created, "\n") {
		if id, ok := strings.CutPrefix(line, "created app "); ok {
			s.api("/apps/"+id, &a)
		}
	}
	if a.Name != "CLI suite" || a.SignType != "RSA" || !strings.Contains(created, strings.TrimSpace(a.AppPrivateKeyPEM)) ||
		!strings.Contains(created, strings.TrimSpace(a.AlipayPublicKeyPEM)) {
		t.Fatalf("apps create printed:\n%s\nthe API has %+v", created, a)
	}
	m, err := merchant.New(s.base+"/gateway.do", a.AppID, pemAfter(t, created, "app private key, PKCS#1"), pemAfter(t, created, "alipay public key"), "RSA")
	if err != nil {
		t.Fatal(err)
	}
	r, err := m.Call("alipay.trade.query", map[string]string{"out_trade_no": "NONE"}, nil)
	if err != nil || r.SubCode() != "ACQ.TRADE_NOT_EXIST" {
		t.Errorf("a query with the printed keys: %v %+v", err, r)
	}

	// --key-mode certificate: the app's SNs are printed and match the API.
	certOut := s.mustCLI("apps", "create", "--name", "CLI cert", "--key-mode", "certificate")
	var ca controlapi.App
	for _, line := range strings.Split(certOut, "\n") {
		if id, ok := strings.CutPrefix(line, "created app "); ok {
			s.api("/apps/"+id, &ca)
		}
	}
	if ca.KeyMode != "cert" || ca.AppCertSN == "" || !strings.Contains(certOut, "app_cert_sn:         "+ca.AppCertSN) ||
		!strings.Contains(certOut, "alipay_root_cert_sn: "+ca.AlipayRootCertSN) {
		t.Errorf("apps create --key-mode certificate printed:\n%s\nthe API has %+v", certOut, ca)
	}

	// With the merchant's own public key, mockpay holds no private key.
	own := s.mustCLI("apps", "create", "--public-key", fixtureFile(t, fixtureApp, "app_public_key.pem"))
	if !strings.Contains(own, "(none: the app was registered with your own public key)") ||
		!strings.Contains(own, strings.TrimSpace(readFile(t, fixtureFile(t, fixtureApp, "app_public_key.pem")))) {
		t.Errorf("own key:\n%s", own)
	}
	if _, err := s.cli("apps", "create", "--sign-type", "MD5"); err == nil || !strings.HasPrefix(err.Error(), "invalid_parameter: ") {
		t.Errorf("MD5 app: %v", err)
	}
}

// pemAfter is the PEM block printed after the line starting with label.
func pemAfter(t *testing.T, out, label string) string {
	t.Helper()
	_, rest, ok := strings.Cut(out, "\n"+label)
	if !ok {
		t.Fatalf("no %q in\n%s", label, out)
	}
	start := strings.Index(rest, "-----BEGIN")
	end := strings.Index(rest[start:], "-----END")
	endLine := strings.Index(rest[start+end:], "\n")
	return rest[start : start+end+endLine+1]
}

// TestPayFailCancel: each buyer action acts on the server as the cashier
// button would, by trade_no or by the shop's out_trade_no.
func TestPayFailCancel(t *testing.T) {
	s := newSandbox(t)
	s.order("PAY-1", "12.00")
	out := s.mustCLI("pay", "--app", fixtureApp, "--out-trade-no", "PAY-1")
	tradeNo := s.tradeNo("PAY-1")
	var tr controlapi.Trade
	if s.api("/trades/"+tradeNo, &tr); tr.Status != "TRADE_SUCCESS" {
		t.Fatalf("after pay the API says %s", tr.Status)
	}
	if !strings.HasPrefix(out, "pay: trade "+tradeNo+" (out_trade_no PAY-1, app "+fixtureApp+") is TRADE_SUCCESS\n") {
		t.Errorf("pay printed:\n%s", out)
	}
	// The return URL printed is signed: an independent verifier accepts it.
	var returnURL string
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, s.shop.URL+"/return?") {
			returnURL = line
		}
	}
	u, err := url.Parse(returnURL)
	if err != nil || returnURL == "" {
		t.Fatalf("no return URL in\n%s", out)
	}
	if err := s.m.VerifyParams(u.Query()); err != nil || u.Query().Get("trade_no") != tradeNo {
		t.Errorf("return params do not verify: %v %v", err, u.Query())
	}
	for _, k := range []string{"method", "out_trade_no", "total_amount", "sign", "sign_type", "timestamp"} {
		if !strings.Contains(out, "  "+k+" ") {
			t.Errorf("return parameter %s not listed", k)
		}
	}
	if _, err := s.cli("pay", tradeNo); err == nil || !strings.HasPrefix(err.Error(), "trade_has_success: ") {
		t.Errorf("second pay: %v", err)
	}

	// fail and cancel by trade_no, once the cashier was entered.
	s.order("FAIL-1", "1.00")
	s.mustCLI("fail", "--app", fixtureApp, "--out-trade-no", "FAIL-1")
	failNo := s.tradeNo("FAIL-1")
	out = s.mustCLI("fail", failNo)
	if s.api("/trades/"+failNo, &tr); tr.Status != "WAIT_BUYER_PAY" || !strings.Contains(out, "is WAIT_BUYER_PAY") || !strings.Contains(out, "余额不足") {
		t.Errorf("fail: %s\n%s", tr.Status, out)
	}
	out = s.mustCLI("cancel", failNo)
	if s.api("/trades/"+failNo, &tr); !strings.Contains(out, "the buyer goes back to "+s.shop.URL+"/") || tr.Status != "WAIT_BUYER_PAY" {
		t.Errorf("cancel:\n%s", out)
	}
	out = s.mustCLI("pay", failNo, "--json")
	var res controlapi.ActionResult
	if err := json.Unmarshal([]byte(out), &res); err != nil || res.Trade.Status != "TRADE_SUCCESS" || res.Action != "pay" {
		t.Errorf("pay --json: %v %s", err, out)
	}

	for _, args := range [][]string{{"pay"}, {"pay", "--app", fixtureApp}, {"pay", "123", "--app", fixtureApp, "--out-trade-no", "X"}, {"fail", "a", "b"}} {
		if _, err := s.cli(args...); exitCode(err) != 2 {
			t.Errorf("%q: %v, want a usage error", args, err)
		}
	}
	if _, err := s.cli("pay", "--app", fixtureApp, "--out-trade-no", "NEVER-SENT"); err == nil || !strings.Contains(err.Error(), ": ") {
		t.Errorf("an order that never reached the gateway: %v", err)
	}
}

func TestTradesCommands(t *testing.T) {
	s := newSandbox(t)
	s.order("T-1", "1.00")
	s.order("T-2", "2.50")
	s.mustCLI("pay", "--app", fixtureApp, "--out-trade-no", "T-1")
	s.mustCLI("fail", "--app", fixtureApp, "--out-trade-no", "T-2")
	<-s.shop.received
	t1, t2 := s.tradeNo("T-1"), s.tradeNo("T-2")

	out := s.mustCLI("trades")
	rows := strings.Split(strings.TrimSpace(out), "\n")
	if len(rows) < 3 || strings.Join(strings.Fields(rows[0]), " ") != "TRADE_NO OUT_TRADE_NO APP_ID STATUS AMOUNT CREATED SUBJECT" {
		t.Fatalf("trades:\n%s", out)
	}
	flat := strings.Join(strings.Fields(out), " ")
	for _, want := range []string{t1 + " T-1 " + fixtureApp + " TRADE_SUCCESS 1.00 ", t2 + " T-2 " + fixtureApp + " WAIT_BUYER_PAY 2.50 ", " CLI test"} {
		if !strings.Contains(flat, want) {
			t.Errorf("trades lacks %q:\n%s", want, out)
		}
	}
	if out := s.mustCLI("trades", "--status", "TRADE_SUCCESS"); !strings.Contains(out, t1) || strings.Contains(out, t2) {
		t.Errorf("--status:\n%s", out)
	}
	if out := s.mustCLI("trades", "--out-trade-no", "T-2", "--app", fixtureApp); strings.Contains(out, t1) || !strings.Contains(out, t2) {
		t.Errorf("--out-trade-no:\n%s", out)
	}
	if out := s.mustCLI("trades", "--limit", "1"); strings.Count(out, "\n") != 2 {
		t.Errorf("--limit 1:\n%s", out)
	}
	if out := s.mustCLI("trades", "--app", "2021000122600002"); strings.Count(out, "\n") != 1 {
		t.Errorf("another app:\n%s", out)
	}

	var n controlapi.Notification
	s.api("/notifications/wait?trade_no="+t1+"&status=acked&timeout=10s", &n)
	shown := s.mustCLI("trades", "show", t1)
	for _, want := range []string{"trade_no      " + t1, "status        TRADE_SUCCESS", "total_amount  1.00", "notify_url    " + s.shop.URL + "/notify",
		"history:", "  WAIT_BUYER_PAY\n", "  TRADE_SUCCESS\n", "notifications:", "#1  acked  trade_status=TRADE_SUCCESS  notify_id=" + n.NotifyID,
		"#1 attempt 1 → " + s.shop.URL + "/notify  200  ", `"success"  ✓ acked`} {
		if !strings.Contains(shown, want) {
			t.Errorf("trades show lacks %q:\n%s", want, shown)
		}
	}
	if shown := s.mustCLI("trades", "show", t2); !strings.Contains(shown, "notifications:\n  none") {
		t.Errorf("an unpaid trade's notifications:\n%s", shown)
	}
	var tr controlapi.Trade
	if err := json.Unmarshal([]byte(s.mustCLI("trades", "show", "--json", t1)), &tr); err != nil || len(tr.History) != 2 || len(tr.Notifications) != 1 {
		t.Errorf("trades show --json: %v %+v", err, tr)
	}
	if _, err := s.cli("trades", "show", "42"); err == nil || err.Error() != "not_found: no such object" {
		t.Errorf("unknown trade: %v", err)
	}
	if _, err := s.cli("trades", "--limit", "x"); exitCode(err) != 2 {
		t.Errorf("--limit x: %v", err)
	}
}

func TestClockAndReset(t *testing.T) {
	s := newSandbox(t)
	var before, after controlapi.Clock
	s.api("/clock", &before)
	out := s.mustCLI("clock", "advance", "6h")
	s.api("/clock", &after)
	if d := virtual(t, after.Now).Sub(virtual(t, before.Now)); d < 6*time.Hour || d > 6*time.Hour+time.Minute {
		t.Errorf("clock advance 6h moved the API's clock by %s", d)
	}
	if !strings.HasPrefix(out, "advanced by 6h\nvirtual now: "+dateTime(after.Now)[:15]) {
		t.Errorf("advance printed %q (API now %s)", out, after.Now)
	}
	s.mustCLI("clock", "advance", "2d")
	s.api("/clock", &before)
	if d := virtual(t, before.Now).Sub(virtual(t, after.Now)); d < 48*time.Hour || d > 48*time.Hour+time.Minute {
		t.Errorf("clock advance 2d moved it by %s", d)
	}
	out = s.mustCLI("clock")
	if !strings.HasPrefix(out, "virtual now: "+dateTime(before.Now)[:15]) || !strings.Contains(out, "scale:       1x (real time)") {
		t.Errorf("clock printed %q (API now %s)", out, before.Now)
	}
	var c controlapi.Clock
	if err := json.Unmarshal([]byte(s.mustCLI("clock", "--json")), &c); err != nil || c.Scale != 1 {
		t.Errorf("clock --json: %v %+v", err, c)
	}
	if _, err := s.cli("clock", "advance", "soon"); err == nil || err.Error() != `invalid_parameter: by: "soon" is not a positive span such as 6h, 90m or 2d` {
		t.Errorf("advance soon: %v", err)
	}
	// A jump past the clock's maximum (the year 2200) would overflow the
	// stored instants: refused, and time stays put.
	s.api("/clock", &before)
	_, err := s.cli("clock", "advance", "2562047h")
	if err == nil || !strings.HasPrefix(err.Error(), "invalid_parameter: by 2562047h: virtual time would pass its maximum") ||
		!strings.Contains(err.Error(), "time stops at 2200-01-01T00:00:00Z") {
		t.Errorf("advance 2562047h: %v", err)
	}
	s.api("/clock", &after)
	if d := virtual(t, after.Now).Sub(virtual(t, before.Now)); d > time.Minute {
		t.Errorf("a refused advance moved the clock by %s", d)
	}
	if _, err := s.cli("clock", "advance"); exitCode(err) != 2 {
		t.Errorf("advance without a span: %v", err)
	}

	// reset deletes trades (and their notifications), keeps apps.
	s.order("R-1", "1.00") // the merchant's clock is real time, which the gateway still accepts
	s.mustCLI("pay", "--app", fixtureApp, "--out-trade-no", "R-1")
	if out := s.mustCLI("reset"); out != "reset: all trades and notifications deleted; apps kept\n" {
		t.Errorf("reset printed %q", out)
	}
	var ts []controlapi.Trade
	var apps []controlapi.App
	if s.api("/trades", &ts); len(ts) != 0 {
		t.Errorf("trades after reset: %d", len(ts))
	}
	if s.api("/apps", &apps); len(apps) != 9 { // the three apps, three legacy partners and three UnionPay merchants
		t.Errorf("apps after reset: %d", len(apps))
	}
}

// TestClientErrors: the server URL comes from --server, then MOCKPAY_URL;
// a server that is not running is explained; errors keep the API's code.
func TestClientErrors(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String()
	ln.Close()
	var out bytes.Buffer
	err = run(context.Background(), []string{"trades"}, envFunc(map[string]string{"MOCKPAY_URL": closed}), &out, &out)
	if err == nil || exitCode(err) != 1 || !strings.Contains(err.Error(), "no mockpay at "+closed+" (connection refused): start one with `mockpay serve`") {
		t.Errorf("refused: %v", err)
	}
	// --server wins over the environment.
	s := newSandbox(t)
	out.Reset()
	if err := run(context.Background(), []string{"clock", "--server", s.base}, envFunc(map[string]string{"MOCKPAY_URL": closed}), &out, &out); err != nil {
		t.Errorf("--server over MOCKPAY_URL: %v", err)
	}
	// Without either, the default address: serve's.
	fl := newFlags("x", "", &out).remote(envFunc(nil))
	if *fl.server != "http://127.0.0.1:2088" {
		t.Errorf("default server %s", *fl.server)
	}
	if _, err := s.cli("clock", "--server", "::nope"); exitCode(err) != 2 {
		t.Errorf("bad --server: %v", err)
	}
	// A server that is not mockpay.
	if _, err := s.cli("clock", "--server", s.shop.URL); err == nil || !strings.Contains(err.Error(), "is --server a mockpay?") {
		t.Errorf("not a mockpay: %v", err)
	}
}

// TestHelpListsEveryCommand: "mockpay help" names every command, and each
// command answers -h with its usage and exit status 0.
func TestHelpListsEveryCommand(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"help"}, envFunc(nil), &out, &out); err != nil {
		t.Fatal(err)
	}
	help := out.String()
	names := []string{"serve", "healthcheck", "version", "apps", "trades", "pay", "fail", "cancel", "notifications", "redeliver", "clock", "reset", "sign", "verify"}
	for _, name := range names {
		if !strings.Contains(help, "  mockpay "+name) {
			t.Errorf("help does not list %s", name)
		}
	}
	sub := [][]string{{"apps", "create"}, {"apps", "show"}, {"trades", "show"}, {"clock", "advance"}}
	for _, name := range names {
		if name != "version" {
			sub = append(sub, []string{name})
		}
	}
	for _, args := range sub {
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), append(args, "-h"), envFunc(nil), &stdout, &stderr)
		if err != nil || !strings.Contains(stderr.String(), "Usage: mockpay "+strings.Join(args, " ")) {
			t.Errorf("%q -h: %v\n%s", args, err, stderr.String())
		}
	}
	out.Reset()
	if err := run(context.Background(), []string{"help", "verify"}, envFunc(nil), &out, &out); err != nil || !strings.Contains(out.String(), "-private-key file") {
		t.Errorf("help verify: %v\n%s", err, out.String())
	}
}

func TestParamsInput(t *testing.T) {
	dir := t.TempDir()
	lines := filepath.Join(dir, "lines.txt")
	if err := os.WriteFile(lines, []byte("b=2\r\na=%E6%B5%8B+x\n\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	body := filepath.Join(dir, "body.txt")
	if err := os.WriteFile(body, []byte("b=2&a=%E6%B5%8B+x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, arg, file, stdin string
	}{
		{"argument", "b=2&a=%E6%B5%8B+x", "", ""},
		{"a whole URL", "http://127.0.0.1:2088/gateway.do?b=2&a=%E6%B5%8B%20x", "", ""},
		{"stdin", "", "", "b=2&a=%E6%B5%8B+x\n"},
		{"form file", "", body, ""},
		{"one k=v per line", "", lines, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			fl := newSigningFlags("x", "", &bytes.Buffer{})
			args := []string{}
			if c.arg != "" {
				args = append(args, c.arg)
			}
			if c.file != "" {
				args = append(args, "--form-file", c.file)
			}
			stdin = strings.NewReader(c.stdin)
			defer func() { stdin = os.Stdin }()
			rest, err := fl.parse(args)
			if err != nil {
				t.Fatal(err)
			}
			p, err := fl.params(rest)
			if err != nil || len(p) != 2 || p.Value("a") != "测 x" || p.Value("b") != "2" {
				t.Errorf("params %v, %v", p, err)
			}
		})
	}
}
