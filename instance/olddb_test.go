package instance_test

import (
	"database/sql"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"github.com/mockpay/mockpay/clock"
	"github.com/mockpay/mockpay/internal/merchant"
)

// oldDB loads testdata/v004.sql, a database written by mockpay before issue
// 9 (migration 4), and points its notify URLs at shopURL: the shop that was
// listening then is gone.
func oldDB(t *testing.T, shopURL string) string {
	t.Helper()
	return loadDump(t, "testdata/v004.sql", shopURL)
}

// loadDump loads a database dumped by an older build and points its notify
// URLs at shopURL.
func loadDump(t *testing.T, file, shopURL string, more ...string) string {
	t.Helper()
	dump, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(string(dump)); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`UPDATE notifications SET data = json_set(data, '$.URL', ?)`,
		`UPDATE trades SET data = json_set(data, '$.NotifyURL', ?)`,
		`UPDATE checkouts SET data = json_set(data, '$.Order.NotifyURL', ?)`,
	} {
		if _, err := db.Exec(q, shopURL+"/notify"); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range more {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

// TestDatabaseFromBeforeIssue9 opens a database written by an older build:
// its trades are listed with their Alipay statuses, its pending
// notifications are delivered, and its trades can still be paid and refunded.
func TestDatabaseFromBeforeIssue9(t *testing.T) {
	e := &env{t: t, clock: clock.NewFake(start.Add(time.Hour))}
	e.shop = newShop(t)
	e.db = oldDB(t, e.shop.URL)
	e.startApp()
	e.m = e.merchant("2021000122600001")
	l := e.partner(md5PID)

	// The two notifications left pending are delivered, signed as before.
	got := map[string]bool{}
	for range 2 {
		n := e.shop.next(t)
		switch n.Get("out_trade_no") {
		case "OLD-UNACKED":
			if err := e.m.VerifyParams(n); err != nil || n.Get("trade_status") != "TRADE_SUCCESS" || n.Get("notify_id") != "2026050101227950243076543834824290" {
				t.Errorf("OpenAPI notification: %v %v", err, n)
			}
		case "OLD-LEGACY":
			if err := l.Verify(n); err != nil || n.Get("trade_status") != "TRADE_SUCCESS" || n.Get("notify_id") != "196a856cadc2a96efd3c946aca5abe53r6" {
				t.Errorf("legacy notification: %v %v", err, n)
			}
		}
		got[n.Get("out_trade_no")] = true
	}
	if !got["OLD-UNACKED"] || !got["OLD-LEGACY"] {
		t.Errorf("pending notifications delivered: %v", got)
	}

	// The control API lists them with their statuses, and filters by them.
	var trades []map[string]any
	e.api("GET", "/trades?app_id=2021000122600001", nil, &trades)
	status := map[string]any{}
	for _, tr := range trades {
		status[tr["out_trade_no"].(string)] = tr["status"]
	}
	for no, want := range map[string]string{"OLD-PAID": "TRADE_SUCCESS", "OLD-PENDING": "WAIT_BUYER_PAY", "OLD-CLOSED": "TRADE_CLOSED", "OLD-UNACKED": "TRADE_SUCCESS"} {
		if status[no] != want {
			t.Errorf("%s status = %v, want %s (%v)", no, status[no], want, status)
		}
	}
	e.api("GET", "/trades?status=WAIT_BUYER_PAY", nil, &trades)
	if len(trades) != 1 || trades[0]["out_trade_no"] != "OLD-PENDING" {
		t.Errorf("trades WAIT_BUYER_PAY: %v", trades)
	}
	var detail map[string]any
	e.api("GET", "/trades/"+trades[0]["trade_no"].(string), nil, &detail)
	if h, _ := detail["history"].([]any); len(h) == 0 || h[0].(map[string]any)["status"] != "WAIT_BUYER_PAY" {
		t.Errorf("history of OLD-PENDING: %v", detail["history"])
	}

	// The pending trade is queried and paid.
	q, err := e.m.Call("alipay.trade.query", map[string]string{"out_trade_no": "OLD-PENDING"}, nil)
	if err != nil || q.Str("trade_status") != "WAIT_BUYER_PAY" || q.Str("total_amount") != "5.00" {
		t.Fatalf("query OLD-PENDING: %v %s", err, q.Raw)
	}
	e.payInTradeCashier(q.Str("trade_no"))
	if n := e.shop.next(t); n.Get("out_trade_no") != "OLD-PENDING" || n.Get("trade_status") != "TRADE_SUCCESS" {
		t.Errorf("payment notification of OLD-PENDING: %v", n)
	}
	// The unopened checkout is still there to pay.
	var res actionResult
	if code := e.api("POST", "/apps/2021000122600001/orders/OLD-CHECKOUT/pay", nil, &res); code != http.StatusOK || res.Trade["status"] != "TRADE_SUCCESS" {
		t.Errorf("pay OLD-CHECKOUT: %d %+v", code, res)
	}
	e.shop.next(t)

	// The paid trade refunds further, on top of its old refund.
	r, err := e.m.Call("alipay.trade.refund", map[string]any{"out_trade_no": "OLD-PAID", "refund_amount": "2.00", "out_request_no": "RQ-NEW"}, nil)
	if err != nil || r.Code() != "10000" || r.Str("refund_fee") != "5.00" {
		t.Errorf("refund OLD-PAID: %v %s", err, r.Raw)
	}
	// The closed trade stays closed.
	q, _ = e.m.Call("alipay.trade.query", map[string]string{"out_trade_no": "OLD-CLOSED"}, nil)
	if q.Str("trade_status") != "TRADE_CLOSED" {
		t.Errorf("query OLD-CLOSED: %s", q.Raw)
	}
	// The legacy trade is still the partner's.
	x, err := l.Call("single_trade_query", map[string]string{"out_trade_no": "OLD-LEGACY"})
	if err != nil || x.IsSuccess != "T" {
		t.Errorf("single_trade_query OLD-LEGACY: %v %s", err, x.Raw)
	}
}

// TestOldDatabaseSpeaksNeutrally: migrations 5 and 7 rewrote what the old
// build stored in Alipay's words (statuses, notification kinds) into the
// domain's.
func TestOldDatabaseSpeaksNeutrally(t *testing.T) {
	e := &env{t: t, clock: clock.NewFake(start.Add(time.Hour))}
	e.shop = newShop(t)
	e.db = oldDB(t, e.shop.URL)
	e.startApp()
	db, err := sql.Open("sqlite3", e.db)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	kinds := map[string]int{}
	rows, err := db.Query(`SELECT json_extract(data, '$.Kind'), count(*) FROM notifications GROUP BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			t.Fatal(err)
		}
		kinds[k] = n
	}
	if len(kinds) == 0 {
		t.Fatal("no notifications in the old database")
	}
	for k := range kinds {
		if k != "trade" && k != "refund" && k != "batch_refund" {
			t.Errorf("notification kind %q survived the migration (%v)", k, kinds)
		}
	}
}

// TestDatabaseBeforeAppCredentials opens testdata/v007.sql, written by the
// build before migration 8 moved an app's Alipay-only material (Cert,
// Legacy) under Credentials.alipay. Two of its fixture rows are renamed
// first, so that only the migration, not today's fixtures, can make them
// work: a cert-mode app and a MAPI partner that the running fixtures do
// not know. The app created through the API and its pending notification
// come through too.
func TestDatabaseBeforeAppCredentials(t *testing.T) {
	const certApp, partner, created = "2021000122600009", "2088102100000019", "2021657073765130"
	e := &env{t: t, clock: clock.NewFake(start.Add(time.Hour))}
	e.shop = newShop(t)
	e.db = loadDump(t, "testdata/v007.sql", e.shop.URL,
		`UPDATE apps SET app_id = '`+certApp+`', data = json_set(data, '$.AppID', '`+certApp+`') WHERE app_id = '2021000122600003'`,
		`UPDATE apps SET app_id = '`+partner+`', data = json_set(data, '$.AppID', '`+partner+`', '$.PID', '`+partner+`') WHERE app_id = '2088102100000013'`)
	e.startApp()

	db, err := sql.Open("sqlite3", e.db)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var left int
	if err := db.QueryRow(`SELECT count(*) FROM apps WHERE json_type(data, '$.Cert') IS NOT NULL OR json_type(data, '$.Legacy') IS NOT NULL`).Scan(&left); err != nil || left != 0 {
		t.Errorf("apps with Cert or Legacy left at the top: %d %v", left, err)
	}

	// The pending notification of the created app's paid trade is delivered.
	if n := e.shop.next(t); n.Get("out_trade_no") != "NEW-PAID" || n.Get("trade_status") != "TRADE_SUCCESS" || n.Get("app_id") != created {
		t.Errorf("notification: %v", n)
	}
	// The renamed partner keeps its MD5 key, contract and anti-phishing.
	var apps []map[string]any
	e.api("GET", "/apps", nil, &apps)
	byID := map[string]map[string]any{}
	for _, a := range apps {
		id, _ := a["app_id"].(string)
		if id == "" {
			id, _ = a["pid"].(string)
		}
		byID[id] = a
	}
	p := byID[partner]
	if p["protocol"] != "legacy" || p["md5_key"] != "gum2icn5lamk4fl3m8ll0eg6c3sq2x4w" || p["trade_status_on_pay"] != "TRADE_FINISHED" || p["anti_phishing"] != "on" {
		t.Errorf("migrated partner: %v", p)
	}
	l := merchant.NewLegacy(e.app.URL+"/gateway.do", partner, "gum2icn5lamk4fl3m8ll0eg6c3sq2x4w")
	if x, err := l.Call("single_trade_query", map[string]string{"out_trade_no": "NONE"}); err != nil || x.IsSuccess != "F" || x.Error != "TRADE_NOT_EXIST" {
		t.Errorf("the migrated partner's signed query: %v %+v", err, x)
	}
	// The renamed cert-mode app is still in certificate mode.
	if c := byID[certApp]; c["key_mode"] != "cert" {
		t.Errorf("migrated cert-mode app: %v", c)
	}
	var certs map[string]any
	if code := e.api("GET", "/apps/"+certApp+"/certs", nil, &certs); code != http.StatusOK || certs["app_cert_sn"] == "" {
		t.Errorf("certs of the migrated app: %d %v", code, certs)
	}
	if c := byID[created]; c["protocol"] != "openapi" || c["key_mode"] != "public_key" || c["name"] != "created before 008" {
		t.Errorf("created app: %v", c)
	}
	m := e.merchant(created)
	if q, err := m.Call("alipay.trade.query", map[string]string{"out_trade_no": "NEW-PAID"}, nil); err != nil || q.Str("trade_status") != "TRADE_SUCCESS" {
		t.Errorf("query NEW-PAID: %v", err)
	}
}
