package instance_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/mockpay/mockpay/channel/unionpay/acp"
	"github.com/mockpay/mockpay/sign"
)

// upEnv is a mockpay with the 5.1.0 certificate merchant as a driver.
func upEnv(t *testing.T) (*env, *unionPayDriver) {
	e := newEnv(t)
	app, _ := e.app.Apps.App("777290058110048")
	return e, &unionPayDriver{base: e.app.URL, app: app, m: acp.Of(app)}
}

var noFollow = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// upPay orders at the front (txnType 01 consume or 02 pre-auth), pays in
// the cashier and returns the queryId from the result page's URL.
func upPay(t *testing.T, e *env, d *unionPayDriver, txnType, orderID, amount string) string {
	t.Helper()
	return upPayWith(t, e, d, acp.Fields{"txnType": txnType, "orderId": orderID, "txnAmt": amount})
}

// upPayWith is upPay with the order's fields (txnType, orderId, txnAmt
// and any more, e.g. reqReserved or backUrl) given.
func upPayWith(t *testing.T, e *env, d *unionPayDriver, fields acp.Fields) string {
	t.Helper()
	o := acp.Fields{"txnSubType": "01", "bizType": "000201", "channelType": "07", "accessType": "0",
		"txnTime": contractTxnTime, "currencyCode": "156", "frontUrl": e.shop.URL + "/front", "backUrl": e.shop.URL + "/notify"}
	for k, v := range fields {
		o[k] = v
	}
	orderID := o["orderId"]
	f := d.signed(t, o)
	resp, err := noFollow.Post(d.base+"/gateway/api/frontTransReq.do", "application/x-www-form-urlencoded", strings.NewReader(form(f)))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("front %s: %d", orderID, resp.StatusCode)
	}
	resp, err = noFollow.PostForm(d.base+resp.Header.Get("Location"), url.Values{"action": {"pay"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	u, _ := url.Parse(resp.Header.Get("Location"))
	if u == nil || u.Query().Get("queryId") == "" {
		t.Fatalf("pay %s: %d %s", orderID, resp.StatusCode, resp.Header.Get("Location"))
	}
	return u.Query().Get("queryId")
}

func upBack(t *testing.T, e *env, d *unionPayDriver, txnType, orderID, amount, origQryID string) acp.Fields {
	t.Helper()
	return d.call(t, "/gateway/api/backTransReq.do", acp.Fields{"txnType": txnType, "txnSubType": "00", "bizType": "000201",
		"channelType": "07", "accessType": "0", "orderId": orderID, "txnTime": contractTxnTime, "txnAmt": amount,
		"currencyCode": "156", "origQryId": origQryID, "backUrl": e.shop.URL + "/notify"})
}

// TestUnionPayUndoOnlyOnTheSettlementDay: a consume can be undone until
// 23:00 Beijing time of its settlement day, then only refunded (§5.5).
func TestUnionPayUndoOnlyOnTheSettlementDay(t *testing.T) {
	e, d := upEnv(t) // the clock starts at 10:00 Beijing time
	a := upPay(t, e, d, "01", "UNDODAYA1", "1000")
	e.shop.next(t)
	e.clock.Advance(12*time.Hour + 50*time.Minute) // 22:50
	if r := upBack(t, e, d, "31", "UNDODAYA2", "1000", a); r["respCode"] != "00" {
		t.Fatalf("undo at 22:50: %v", r)
	}
	if n := e.shop.next(t); n.Get("txnType") != "31" || n.Get("origQryId") != a {
		t.Errorf("undo notification: %v", n)
	}
	b := upPay(t, e, d, "01", "UNDODAYB1", "1000")
	e.shop.next(t)
	e.clock.Advance(15 * time.Minute) // 23:05: the next settlement day
	if r := upBack(t, e, d, "31", "UNDODAYB2", "1000", b); r["respCode"] != "35" {
		t.Errorf("undo after the cut-over: %v", r)
	}
	if r := upBack(t, e, d, "04", "UNDODAYB3", "1000", b); r["respCode"] != "00" {
		t.Errorf("refund after the cut-over: %v", r)
	}
	if n := e.shop.next(t); n.Get("txnType") != "04" || n.Get("settleDate") != "0502" {
		t.Errorf("refund notification after 23:00: %v", n)
	}
	if r := upBack(t, e, d, "31", "UNDODAYA3", "1000", a); r["respCode"] != "45" {
		t.Errorf("undo of an undone consume: %v", r)
	}
}

// TestUnionPayPreAuth: pre-auth at the front, completion within 115 %,
// once, notified; the completed pre-auth cannot be undone, the
// completion can (§5.7).
func TestUnionPayPreAuth(t *testing.T) {
	e, d := upEnv(t)
	pre := upPay(t, e, d, "02", "PREAUTH001", "1000")
	if n := e.shop.next(t); n.Get("txnType") != "02" || n.Get("queryId") != pre {
		t.Errorf("pre-auth notification: %v", n)
	}
	if r := upBack(t, e, d, "03", "PREAUTH002", "1151", pre); r["respCode"] != "33" {
		t.Errorf("completion above 115%%: %v", r)
	}
	r := upBack(t, e, d, "03", "PREAUTH003", "1150", pre)
	if r["respCode"] != "00" || r["origQryId"] != pre {
		t.Fatalf("completion: %v", r)
	}
	if n := e.shop.next(t); n.Get("txnType") != "03" || n.Get("origQryId") != pre || n.Get("txnAmt") != "1150" {
		t.Errorf("completion notification: %v", n)
	}
	q := d.call(t, "/gateway/api/queryTrans.do", acp.Fields{"txnType": "00", "txnSubType": "00", "bizType": "000000", "accessType": "0",
		"orderId": "PREAUTH003", "txnTime": contractTxnTime})
	if q["respCode"] != "00" || q["origRespCode"] != "00" || q["txnType"] != "03" {
		t.Errorf("query of the completion: %v", q)
	}
	if r := upBack(t, e, d, "03", "PREAUTH004", "100", pre); r["respCode"] != "35" {
		t.Errorf("a second completion: %v", r)
	}
	if r := upBack(t, e, d, "32", "PREAUTH005", "1000", pre); r["respCode"] != "35" {
		t.Errorf("undo of a completed pre-auth: %v", r)
	}
	if r := upBack(t, e, d, "33", "PREAUTH006", "1150", r["queryId"]); r["respCode"] != "00" {
		t.Errorf("completion undo: %v", r)
	}
	if n := e.shop.next(t); n.Get("txnType") != "33" {
		t.Errorf("completion undo notification: %v", n)
	}
	other := upPay(t, e, d, "02", "PREAUTH007", "500")
	e.shop.next(t)
	if r := upBack(t, e, d, "32", "PREAUTH008", "500", other); r["respCode"] != "00" {
		t.Errorf("pre-auth undo: %v", r)
	}
	if r := upBack(t, e, d, "04", "PREAUTH009", "100", other); r["respCode"] != "35" {
		t.Errorf("a refund of a pre-auth: %v", r)
	}
}

// TestUnionPayAppTn: appTransReq.do answers a 21-digit tn; mockpay's app
// page sends the buyer to the cashier of its trade; the payment is
// notified to backUrl (§5.3).
func TestUnionPayAppTn(t *testing.T) {
	e, d := upEnv(t)
	r := d.call(t, "/gateway/api/appTransReq.do", acp.Fields{"txnType": "01", "txnSubType": "01", "bizType": "000201", "channelType": "08",
		"accessType": "0", "orderId": "APPORDER01", "txnTime": contractTxnTime, "txnAmt": "300", "currencyCode": "156",
		"backUrl": e.shop.URL + "/notify"})
	if r["respCode"] != "00" || len(r["tn"]) != 21 {
		t.Fatalf("appTransReq: %v", r)
	}
	resp, err := noFollow.Get(d.base + "/unionpay/app?tn=" + r["tn"])
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cashier := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(cashier, "/cashier/trade/") {
		t.Fatalf("app page: %d %s", resp.StatusCode, cashier)
	}
	resp, err = noFollow.PostForm(d.base+cashier, url.Values{"action": {"pay"}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode >= 400 {
		t.Fatalf("pay: %d %s", resp.StatusCode, b)
	}
	if n := e.shop.next(t); n.Get("orderId") != "APPORDER01" || n.Get("respCode") != "00" {
		t.Errorf("app notification: %v", n)
	}
	if r := d.call(t, "/gateway/api/appTransReq.do", acp.Fields{"txnType": "01", "txnSubType": "01", "bizType": "000201", "channelType": "08",
		"accessType": "0", "orderId": "APPORDER01", "txnTime": contractTxnTime, "txnAmt": "300", "currencyCode": "156",
		"backUrl": e.shop.URL + "/notify"}); r["respCode"] != "12" {
		t.Errorf("a paid app order again: %v", r)
	}
}

// TestUnionPayEncryptCert: txnType 95 answers the encryption certificate
// as a CRLF PEM whose serial is the listed encryptCertId (§5.8).
func TestUnionPayEncryptCert(t *testing.T) {
	_, d := upEnv(t)
	r := d.call(t, "/gateway/api/backTransReq.do", acp.Fields{"txnType": "95", "txnSubType": "00", "bizType": "000000", "accessType": "0",
		"certType": "01", "orderId": "ENCCERT001", "txnTime": contractTxnTime})
	p := r["encryptPubKeyCert"]
	if r["respCode"] != "00" || !strings.Contains(p, "\r\n") || !strings.HasSuffix(p, "-----END CERTIFICATE-----") {
		t.Fatalf("95: %v", r)
	}
	if p != acp.CRLF(d.m.EncCertPEM) {
		t.Error("not the encryption certificate")
	}
}

// TestUnionPayGBK: a GBK form is read and answered in GBK, signed over
// the GBK bytes (§2, §3.1).
func TestUnionPayGBK(t *testing.T) {
	e, d := upEnv(t)
	f := acp.Fields{"version": "5.1.0", "encoding": "GBK", "signMethod": "01", "certId": d.m.CertID, "merId": d.app.PID,
		"txnType": "01", "txnSubType": "01", "bizType": "000201", "channelType": "07", "accessType": "0", "orderId": "GBKORDER01",
		"txnTime": contractTxnTime, "txnAmt": "100", "currencyCode": "156", "backUrl": e.shop.URL + "/notify", "orderDesc": "中文商品"}
	content, _ := acp.Encode("GBK", acp.Canonical(f))
	key, _ := sign.ParsePrivateKey(d.app.AppPrivateKeyPEM)
	f["signature"], _ = acp.SignRSA(key, "5.1.0", content)
	body, _ := acp.FormBody(f)
	resp, err := noFollow.Post(d.base+"/gateway/api/frontTransReq.do", "application/x-www-form-urlencoded", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Errorf("GBK order: %d", resp.StatusCode)
	}
}

// TestUnionPayUnderTheRealHostNames: through mockpay's proxy a client that
// trusts only mockpay's CA reaches the gateway and the file server under
// gateway.test.95516.com and filedownload.test.95516.com (§1.2), and its
// answers verify.
func TestUnionPayUnderTheRealHostNames(t *testing.T) {
	e := newHTTPSEnv(t)
	app, _ := e.app.Apps.App("777290058110048")
	d := &unionPayDriver{base: e.app.URL, app: app, m: acp.Of(app)}
	c := trusting(t, e, true)
	for _, target := range []string{"https://gateway.test.95516.com/gateway/api/queryTrans.do", "https://gateway.95516.com/gateway/api/queryTrans.do",
		"https://filedownload.test.95516.com/"} {
		txnType := "00"
		if strings.HasPrefix(target, "https://filedownload") {
			txnType = "76"
		}
		f := d.signed(t, acp.Fields{"txnType": txnType, "txnSubType": "00", "bizType": "000000", "accessType": "0", "orderId": "NOSUCHORDER1",
			"txnTime": contractTxnTime, "settleDate": "0501", "fileType": "00"})
		resp, err := c.Post(target, "application/x-www-form-urlencoded", strings.NewReader(form(f)))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		got := acp.Fields{}
		for _, p := range strings.Split(string(b), "&") {
			k, v, _ := strings.Cut(p, "=")
			got[k] = v
		}
		want := map[string]string{"00": "34", "76": "98"}[txnType]
		if err := d.verify(got); err != nil || got["respCode"] != want {
			t.Errorf("%s: %v %s", target, err, b)
		}
	}
}

// TestUnionPayOnTheDashboard: the apps page lists the UnionPay merchants
// with their URLs and file links.
func TestUnionPayOnTheDashboard(t *testing.T) {
	e, _ := upEnv(t)
	resp, err := http.Get(e.app.URL + "/_mockpay/apps")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	page := string(b)
	for _, want := range []string{`data-testid="unionpay-merchant" id="unionpay-777290058110049"`, "/gateway/api/backTransReq.do",
		"/_mockpay/api/apps/777290058110050/certs/acp_test_sign.pfx", "88888888"} {
		if !strings.Contains(page, want) {
			t.Errorf("the dashboard lacks %q", want)
		}
	}
}

// TestUnionPayJournal: a refused request is in the request journal with
// its respCode and, for a bad signature, the string mockpay verified.
func TestUnionPayJournal(t *testing.T) {
	e, d := upEnv(t)
	f := d.signed(t, acp.Fields{"txnType": "00", "txnSubType": "00", "bizType": "000000", "accessType": "0", "orderId": "JOURNAL001",
		"txnTime": contractTxnTime})
	f["orderId"] = "JOURNAL002"
	resp, err := http.Post(d.base+"/gateway/api/queryTrans.do", "application/x-www-form-urlencoded", strings.NewReader(form(f)))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	resp, err = http.Get(e.app.URL + "/_mockpay/api/requests?app=777290058110048")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(b), `"11"`) || !strings.Contains(string(b), "orderId=JOURNAL002") || strings.Contains(string(b), "PRIVATE KEY") {
		t.Errorf("journal: %s", b)
	}
}

// TestUnionPayCertFiles: the certificate listing names every file
// acp_sdk.properties points at, with its download URL.
func TestUnionPayCertFiles(t *testing.T) {
	e, d := upEnv(t)
	resp, err := http.Get(e.app.URL + "/_mockpay/api/apps/777290058110049/certs")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{"acp_test_sign.pfx", "acp_test_root.cer", "acp_test_middle.cer", "acp_test_enc.cer", "acp_test_verify_sign.cer",
		`"gateway_cert_id":"` + d.m.SignCertID + `"`, "/_mockpay/api/apps/777290058110049/certs/acp_test_root.cer"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("certs listing lacks %q: %s", want, b)
		}
	}
}
