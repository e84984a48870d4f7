package instance_test

import (
	"database/sql"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/mockpay/mockpay/clock"
	"github.com/mockpay/mockpay/internal/merchant"
)

// TestDatabaseBeforeOrderTerms opens testdata/v008.sql, written by the build
// before migration 9 moved a MAPI order's own terms (price × quantity,
// payment_type, show_url, NoRefund) from Order.Legacy to Order.Terms.alipay.
// Its trades and checkout were ordered with price and quantity: the
// pending notification, the query, a resubmitted order and the payment of
// an opened trade and of a checkout all still see them.
func TestDatabaseBeforeOrderTerms(t *testing.T) {
	e := &env{t: t, clock: clock.NewFake(start.Add(time.Hour)), logs: &logBuffer{}}
	e.shop = newShop(t)
	e.db = loadDump(t, "testdata/v008.sql", e.shop.URL)
	e.startApp()
	e.m = e.merchant("2021000122600001")

	db, err := sql.Open("sqlite3", e.db)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		`SELECT count(*) FROM trades WHERE json_type(data, '$.Legacy') IS NOT NULL`,
		`SELECT count(*) FROM checkouts WHERE json_type(data, '$.Order.Legacy') IS NOT NULL`,
		`SELECT count(*) FROM notifications WHERE json_type(data, '$.Trade.Legacy') IS NOT NULL`,
	} {
		var left int
		if err := db.QueryRow(q).Scan(&left); err != nil || left != 0 {
			t.Errorf("%s: %d %v", q, left, err)
		}
	}

	md5 := e.partner(md5PID)
	priced := func(l *merchant.Legacy, n url.Values, outTradeNo, price, quantity, status string) {
		t.Helper()
		if n.Get("out_trade_no") != outTradeNo || n.Get("price") != price || n.Get("quantity") != quantity ||
			n.Get("trade_status") != status || n.Get("payment_type") != "1" || l.Verify(n) != nil {
			t.Errorf("%s: %v", outTradeNo, n)
		}
	}
	// The pending notification of the paid trade carries its price and
	// quantity.
	priced(md5, e.shop.next(t), "PAID-PQ", "2.50", "3", "TRADE_SUCCESS")
	r, err := md5.Call("single_trade_query", map[string]string{"out_trade_no": "PAID-PQ"})
	if err != nil || r.IsSuccess != "T" || r.Fields["price"] != "2.50" || r.Fields["quantity"] != "3" || r.Fields["total_fee"] != "7.50" {
		t.Errorf("query PAID-PQ: %v %v", err, r.Fields)
	}

	// The opened trade of the plain 即时到账 partner: another quantity is
	// refused by name; its cashier pays it into TRADE_FINISHED, its
	// NoRefund kept by the migration.
	plain := e.partner(plainPID)
	p := e.directPay(plainPID, "OPEN-PQ", "")
	delete(p, "total_fee")
	p["price"], p["quantity"], p["anti_phishing_key"] = "1.20", "4", e.antiPhishingKey(plainPID)
	resp, body := e.get(plain.PageURL("create_direct_pay_by_user", p))
	wantErrorPage(t, resp, body, "TRADE_QUANTITY_NOT_MATCH")
	e.payOldCheckout("0c584a22-9a74-4699-bf55-22590341773c")
	priced(plain, e.shop.next(t), "OPEN-PQ", "1.20", "5", "TRADE_FINISHED")

	// The checkout opens a trade of its price and quantity.
	e.payOldCheckout("194f0db4-9daf-4056-9cfd-daa2d65870c4")
	priced(md5, e.shop.next(t), "CHECKOUT-PQ", "3.00", "2", "TRADE_SUCCESS")
}

// antiPhishingKey is a live anti_phishing_key of pid from query_timestamp.
func (e *env) antiPhishingKey(pid string) string {
	e.t.Helper()
	_, body := e.get(e.app.URL + "/gateway.do?service=query_timestamp&partner=" + pid + "&_input_charset=utf-8")
	r, err := merchant.ParseXML([]byte(body))
	if err != nil || r.Fields["encrypt_key"] == "" {
		e.t.Fatalf("query_timestamp: %v %s", err, body)
	}
	return r.Fields["encrypt_key"]
}

// payOldCheckout pays in the cashier of a checkout the old database holds.
func (e *env) payOldCheckout(token string) {
	e.t.Helper()
	cashier := e.app.URL + "/cashier/" + token
	if resp, body := e.get(cashier); resp.StatusCode != http.StatusOK {
		e.t.Fatalf("cashier %s: %d %s", token, resp.StatusCode, body)
	}
	if resp, body := e.press(cashier, "pay"); resp.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("pay %s: %d %s", token, resp.StatusCode, body)
	}
}
