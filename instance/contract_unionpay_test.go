package instance_test

import (
	"crypto/rsa"
	"crypto/x509"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/mockpay/mockpay/channel/channeltest"
	"github.com/mockpay/mockpay/channel/unionpay"
	"github.com/mockpay/mockpay/channel/unionpay/acp"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/sign"
)

// TestUnionPayContract runs the channel contract suite for UnionPay's
// gateway once per signing scheme of the fixtures.
func TestUnionPayContract(t *testing.T) {
	for _, merID := range []string{"777290058110048", "777290058110049", "777290058110050"} {
		t.Run(merID, func(t *testing.T) {
			e := newEnv(t)
			app, _ := e.app.Apps.App(merID)
			d := &unionPayDriver{base: e.app.URL, app: app, m: acp.Of(app)}
			channeltest.Run(t, channeltest.Config{
				BaseURL: e.app.URL, Statuses: unionpay.Statuses, Paid: payment.StatusPaid, Driver: d,
				ReturnPage: true, NoClose: true, RefundsApart: true,
			})
		})
	}
}

// unionPayDriver is a UnionPay merchant in the scheme its fixture is set up
// for: it signs with its PFX key or secure key, verifies answers with the
// sandbox chain (5.1.0), the gateway's certId (5.0.0) or its secure key.
type unionPayDriver struct {
	base string
	app  *payment.App
	m    *acp.Merchant

	mu        sync.Mutex
	names     map[string]string // orderId → the suite's out_trade_no
	txnTimes  map[string]string // orderId → txnTime
	notifyURL string
	refunds   int
}

const contractTxnTime = "20260501100000"

func (d *unionPayDriver) orderID(no string) string {
	id := strings.ReplaceAll(no, "-", "") + "X2026"
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.names == nil {
		d.names, d.txnTimes = map[string]string{}, map[string]string{}
	}
	d.names[id], d.txnTimes[id] = no, contractTxnTime
	return id
}

func (d *unionPayDriver) name(orderID string) string {
	d.mu.Lock()
	defer d.mu.Unlock()
	if n, ok := d.names[orderID]; ok {
		return n
	}
	return orderID
}

// signed signs f as the merchant's SDK does.
func (d *unionPayDriver) signed(t testing.TB, f acp.Fields) acp.Fields {
	f["version"], f["encoding"], f["signMethod"], f["merId"] = d.m.Version, "UTF-8", d.m.SignMethod, d.app.PID
	content := []byte(acp.Canonical(withCert(f, d)))
	if d.m.SignMethod == acp.MethodSecureKey {
		f["signature"] = acp.SignSecureKey(content, d.m.SecureKey)
		return f
	}
	key, err := sign.ParsePrivateKey(d.app.AppPrivateKeyPEM)
	if err != nil {
		t.Fatal(err)
	}
	if f["signature"], err = acp.SignRSA(key, d.m.Version, content); err != nil {
		t.Fatal(err)
	}
	return f
}

func withCert(f acp.Fields, d *unionPayDriver) acp.Fields {
	if d.m.SignMethod == acp.MethodCert {
		f["certId"] = d.m.CertID
	}
	return f
}

func form(f acp.Fields) string {
	v := url.Values{}
	for k, val := range f {
		v.Set(k, val)
	}
	return v.Encode()
}

func fen(t testing.TB, yuan string) string {
	a, err := payment.ParseYuan(yuan)
	if err != nil {
		t.Fatal(err)
	}
	return acp.Fen(a)
}

func (d *unionPayDriver) Order(t testing.TB, o channeltest.Order) *http.Request {
	d.mu.Lock()
	d.notifyURL = o.NotifyURL
	d.mu.Unlock()
	f := d.signed(t, acp.Fields{"txnType": "01", "txnSubType": "01", "bizType": "000201", "channelType": "07", "accessType": "0",
		"orderId": d.orderID(o.OutTradeNo), "txnTime": contractTxnTime, "txnAmt": fen(t, o.Amount), "currencyCode": "156",
		"frontUrl": o.ReturnURL, "backUrl": o.NotifyURL})
	if o.BreakSignature {
		f["txnAmt"] += "0"
	}
	req, _ := http.NewRequest(http.MethodPost, d.base+"/gateway/api/frontTransReq.do", strings.NewReader(form(f)))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req
}

func (d *unionPayDriver) OrderError(t testing.TB, _ *http.Response, body string) string {
	return channeltest.ErrorPageCode(body)
}

// verify checks a gateway message as the merchant's SDK does (§3.4).
func (d *unionPayDriver) verify(f acp.Fields) error {
	content := []byte(acp.Canonical(f))
	switch {
	case f["signMethod"] == acp.MethodSecureKey:
		return acp.VerifySecureKey(content, d.m.SecureKey, f["signature"])
	case f["version"] == acp.V500:
		if f["certId"] != d.m.SignCertID {
			return fmt.Errorf("certId %s is not the gateway's %s", f["certId"], d.m.SignCertID)
		}
		certs, _ := sign.ParseCertificates(d.m.SignCertPEM)
		return acp.VerifyRSA(certs[0].PublicKey.(*rsa.PublicKey), acp.V500, content, f["signature"])
	}
	certs, err := sign.ParseCertificates(f["signPubKeyCert"])
	if err != nil {
		return err
	}
	roots, inter := x509.NewCertPool(), x509.NewCertPool()
	r, _ := sign.ParseCertificates(d.m.RootPEM)
	mid, _ := sign.ParseCertificates(d.m.MiddlePEM)
	roots.AddCert(r[0])
	inter.AddCert(mid[0])
	if _, err := certs[0].Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}); err != nil {
		return err
	}
	if parts := strings.Split(certs[0].Subject.CommonName, "@"); len(parts) < 3 || parts[2] != "中国银联股份有限公司" {
		return fmt.Errorf("CN %q fails the owner check", certs[0].Subject.CommonName)
	}
	return acp.VerifyRSA(certs[0].PublicKey.(*rsa.PublicKey), acp.V510, content, f["signature"])
}

var (
	formAction  = regexp.MustCompile(`<form id="pay_form"[^>]* action="([^"]*)"`)
	hiddenInput = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)
)

// Return reads the gateway's result page and the signed fields it posts
// to frontUrl.
func (d *unionPayDriver) Return(t testing.TB, location string) channeltest.Note {
	resp, err := http.Get(location)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	page := string(b)
	m := formAction.FindStringSubmatch(page)
	if m == nil || !strings.HasSuffix(html.UnescapeString(m[1]), "/return") {
		t.Fatalf("result page without a form to frontUrl: %s", page)
	}
	f := acp.Fields{}
	for _, in := range hiddenInput.FindAllStringSubmatch(page, -1) {
		f[in[1]] = html.UnescapeString(in[2])
	}
	if err := d.verify(f); err != nil {
		t.Errorf("the frontUrl post does not verify: %v %v", err, f)
	}
	return channeltest.Note{OutTradeNo: d.name(f["orderId"]), TradeNo: f["queryId"], Status: statusOfResp(f["respCode"])}
}

func statusOfResp(code string) string {
	if code == "00" || code == "A6" {
		return unionpay.Statuses.Name(payment.StatusPaid)
	}
	return "respCode " + code
}

func (d *unionPayDriver) Notification(t testing.TB, r channeltest.Received) channeltest.Note {
	q, err := url.ParseQuery(r.Body)
	f := acp.Fields{}
	for k := range q {
		f[k] = q.Get(k)
	}
	if err != nil || d.verify(f) != nil || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		t.Errorf("notification does not verify: %v %v %s", err, d.verify(f), r.Body)
	}
	trade := f["queryId"]
	if f["origQryId"] != "" {
		trade = f["origQryId"]
	}
	return channeltest.Note{OutTradeNo: d.name(f["orderId"]), TradeNo: trade, Status: statusOfResp(f["respCode"])}
}

func (d *unionPayDriver) Ack() (int, string) { return http.StatusOK, "ok" }

// call posts a back-end request and verifies the raw answer.
func (d *unionPayDriver) call(t testing.TB, path string, f acp.Fields) acp.Fields {
	resp, err := http.Post(d.base+path, "application/x-www-form-urlencoded", strings.NewReader(form(d.signed(t, f))))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	out := acp.Fields{}
	for _, p := range strings.Split(string(b), "&") {
		k, v, _ := strings.Cut(p, "=")
		out[k] = v
	}
	if resp.StatusCode != http.StatusOK || d.verify(out) != nil {
		t.Fatalf("%s: %d, answer does not verify (%v): %s", path, resp.StatusCode, d.verify(out), b)
	}
	return out
}

func (d *unionPayDriver) Query(t testing.TB, outTradeNo string) (string, string) {
	id := d.orderID(outTradeNo)
	a := d.call(t, "/gateway/api/queryTrans.do", acp.Fields{"txnType": "00", "txnSubType": "00", "bizType": "000000", "accessType": "0",
		"orderId": id, "txnTime": contractTxnTime})
	if a["respCode"] != "00" {
		return "", a["respCode"]
	}
	switch a["origRespCode"] {
	case "00", "A6":
		return unionpay.Statuses.Name(payment.StatusPaid), ""
	case "03", "04", "05":
		return unionpay.Statuses.Name(payment.StatusPending), ""
	}
	return unionpay.Statuses.Name(payment.StatusClosed), ""
}

func (d *unionPayDriver) Close(testing.TB, string) string { return "" }

func (d *unionPayDriver) Refund(t testing.TB, _, tradeNo, amount string) string {
	d.mu.Lock()
	d.refunds++
	id, backURL := fmt.Sprintf("REFUND%04d", d.refunds), d.notifyURL
	d.mu.Unlock()
	a := d.call(t, "/gateway/api/backTransReq.do", acp.Fields{"txnType": "04", "txnSubType": "00", "bizType": "000201", "channelType": "07",
		"accessType": "0", "orderId": id, "txnTime": contractTxnTime, "txnAmt": fen(t, amount), "currencyCode": "156",
		"origQryId": tradeNo, "backUrl": backURL})
	if a["respCode"] != "00" {
		return a["respCode"]
	}
	return ""
}

func (d *unionPayDriver) ErrorCode(c payment.Code) string { return unionpay.ErrorCode(c) }
