package instance_test

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mockpay/mockpay/controlapi"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/sign"
)

// wxMerchant is a WeChat Pay element of GET /_mockpay/api/apps.
type wxMerchant struct {
	MchID, AppID, APIv3Key, Serial, PrivateKey, PlatformSerial, PlatformCert string
}

func (e *env) wxMerchant(mode string) wxMerchant {
	e.t.Helper()
	var apps []map[string]string
	e.api("GET", "/apps", nil, &apps)
	for _, a := range apps {
		if a["protocol"] == "wechatpay" && a["platform_key_mode"] == mode {
			return wxMerchant{a["mch_id"], a["appid"], a["apiv3_key"], a["merchant_serial_no"], a["merchant_private_key_pem"],
				a["platform_serial_no"] + a["platform_public_key_id"], a["platform_certificate_pem"] + a["platform_public_key_pem"]}
		}
	}
	e.t.Fatalf("no WeChat Pay merchant in %s mode", mode)
	return wxMerchant{}
}

// wxRequest is one APIv3 request signed as §2.2 says, at ts (Unix
// seconds); header entries replace (or, when "", remove) its headers.
func (e *env) wxRequest(m wxMerchant, method, target, body string, ts int64, header map[string]string) *http.Request {
	e.t.Helper()
	key, err := sign.ParsePrivateKey(m.PrivateKey)
	if err != nil {
		e.t.Fatal(err)
	}
	nonce := "n0nce" + strconv.FormatInt(time.Now().UnixNano(), 36)
	msg := method + "\n" + target + "\n" + strconv.FormatInt(ts, 10) + "\n" + nonce + "\n" + body + "\n"
	sig, _ := sign.SignRSA(key, sign.RSA2, []byte(msg))
	req, _ := http.NewRequest(method, e.app.URL+target, strings.NewReader(body))
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "mockpay-test")
	req.Header.Set("Authorization", fmt.Sprintf(`WECHATPAY2-SHA256-RSA2048 mchid="%s",nonce_str="%s",timestamp="%d",serial_no="%s",signature="%s"`,
		m.MchID, nonce, ts, strings.ToLower(m.Serial), sig))
	for k, v := range header {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	return req
}

// wx sends wxRequest's request and reads the answer.
func (e *env) wx(m wxMerchant, method, target, body string, ts int64, header map[string]string) (*http.Response, string) {
	e.t.Helper()
	rsp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(e.wxRequest(m, method, target, body, ts, header))
	if err != nil {
		e.t.Fatal(err)
	}
	defer rsp.Body.Close()
	b, _ := io.ReadAll(rsp.Body)
	return rsp, string(b)
}

func (e *env) mustLocation(u string) string {
	e.t.Helper()
	r, _ := e.get(u)
	if r.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("%s: %d, want 303", u, r.StatusCode)
	}
	return r.Header.Get("Location")
}

// verifyWx checks the Wechatpay-* signature of an answer or notification
// with the platform's key (§2.3).
func verifyWx(t *testing.T, m wxMerchant, h http.Header, body string) {
	t.Helper()
	var pub *rsa.PublicKey
	if certs, err := sign.ParseCertificates(m.PlatformCert); err == nil {
		pub = certs[0].PublicKey.(*rsa.PublicKey)
	} else if pub, err = sign.ParsePublicKey(m.PlatformCert); err != nil {
		t.Fatal(err)
	}
	if h.Get("Wechatpay-Serial") != m.PlatformSerial {
		t.Errorf("Wechatpay-Serial %q, want %q", h.Get("Wechatpay-Serial"), m.PlatformSerial)
	}
	msg := h.Get("Wechatpay-Timestamp") + "\n" + h.Get("Wechatpay-Nonce") + "\n" + body + "\n"
	if err := sign.VerifyRSA(pub, sign.RSA2, []byte(msg), h.Get("Wechatpay-Signature")); err != nil {
		t.Errorf("signature over %q: %v", msg, err)
	}
}

func TestWechatpayV3Wire(t *testing.T) {
	e := newEnv(t)
	m := e.wxMerchant("certificate")
	now := e.clock.Now().Unix()
	order := func(path, no string, extra string) string {
		return `{"appid":"` + m.AppID + `","mchid":"` + m.MchID + `","description":"wire test","out_trade_no":"` + no +
			`","notify_url":"https://shop.example/wx","amount":{"total":100}` + extra + `}`
	}

	// Accept and User-Agent are required (§2.1); a timestamp 6 minutes off
	// is refused (§2.2); both in JSON.
	rsp, body := e.wx(m, "POST", "/v3/pay/transactions/native", order("native", "WIRE-1", ""), now, map[string]string{"Accept": ""})
	if rsp.StatusCode != 400 || !strings.Contains(body, `"code":"INVALID_REQUEST"`) {
		t.Errorf("no Accept: %d %s", rsp.StatusCode, body)
	}
	rsp, body = e.wx(m, "POST", "/v3/pay/transactions/native", order("native", "WIRE-1", ""), now-360, nil)
	if rsp.StatusCode != 401 || !strings.Contains(body, `"code":"SIGN_ERROR"`) {
		t.Errorf("skewed: %d %s", rsp.StatusCode, body)
	}
	rsp, body = e.wx(m, "POST", "/v3/pay/transactions/native", order("native", "WIRE-1", ""), now, nil)
	if rsp.StatusCode != 200 || !strings.Contains(body, `"code_url":"weixin://wxpay/bizpayurl?pr=`) {
		t.Fatalf("native: %d %s", rsp.StatusCode, body)
	}
	verifyWx(t, m, rsp.Header, body)
	if rsp.Header.Get("Wechatpay-Timestamp") != strconv.FormatInt(now, 10) {
		t.Errorf("Wechatpay-Timestamp %s, the wall clock says %d", rsp.Header.Get("Wechatpay-Timestamp"), now)
	}
	// The code_url, scanned, opens the trade's cashier.
	var code struct {
		CodeURL string `json:"code_url"`
	}
	json.Unmarshal([]byte(body), &code)
	u, _ := url.Parse(code.CodeURL)
	if r, _ := e.get(e.app.URL + "/wxpay/bizpayurl?pr=" + u.Query().Get("pr")); !strings.HasPrefix(r.Header.Get("Location"), "/cashier/trade/4200") {
		t.Errorf("scanned code_url landed on %s", r.Header.Get("Location"))
	}

	// The cashier and the dashboard draw the code_url's QR.
	tradeNo := strings.TrimPrefix(e.mustLocation(e.app.URL+"/wxpay/bizpayurl?pr="+u.Query().Get("pr")), "/cashier/trade/")
	if _, page := e.get(e.app.URL + "/cashier/trade/" + tradeNo); !strings.Contains(page, `src="/cashier/trade/`+tradeNo+`/qr.png"`) {
		t.Errorf("the cashier of a Native trade shows no QR image")
	}
	if r, png := e.get(e.app.URL + "/cashier/trade/" + tradeNo + "/qr.png"); r.StatusCode != 200 || r.Header.Get("Content-Type") != "image/png" || !strings.HasPrefix(png, "\x89PNG") {
		t.Errorf("QR image: %d %s", r.StatusCode, r.Header.Get("Content-Type"))
	}
	if _, page := e.get(e.app.URL + "/_mockpay/trades/" + tradeNo); !strings.Contains(page, code.CodeURL) || !strings.Contains(page, "/qr.png") {
		t.Errorf("the dashboard's trade page shows no code_url QR")
	}

	// Close: exactly 204, signed over the empty body (P-V3-1, P-V3-7); again 204.
	for range 2 {
		rsp, body = e.wx(m, "POST", "/v3/pay/transactions/out-trade-no/WIRE-1/close", `{"mchid":"`+m.MchID+`"}`, now, nil)
		if rsp.StatusCode != 204 || body != "" {
			t.Fatalf("close: %d %q", rsp.StatusCode, body)
		}
		verifyWx(t, m, rsp.Header, "")
	}
	rsp, body = e.wx(m, "GET", "/v3/pay/transactions/out-trade-no/WIRE-1?mchid="+m.MchID, "", now, nil)
	if rsp.StatusCode != 200 || !strings.Contains(body, `"trade_state":"CLOSED"`) || strings.Contains(body, "transaction_id") {
		t.Errorf("closed query: %d %s", rsp.StatusCode, body)
	}

	// Field rules (§2.5).
	for _, bad := range []string{order("native", "WIRE-2", `,"notify_url":"https://shop.example/wx?a=1"`),
		order("native", "W1", ""), order("native", "WIRE-2", `,"amount":{"total":0}`),
		order("native", "WIRE-2", `,"description":"`+strings.Repeat("长", 128)+`"`), order("native", "WIRE-2", `,"time_expire":"tomorrow"`)} {
		if rsp, body := e.wx(m, "POST", "/v3/pay/transactions/native", bad, now, nil); rsp.StatusCode != 400 || !strings.Contains(body, `"code":"PARAM_ERROR"`) {
			t.Errorf("%s: %d %s", bad, rsp.StatusCode, body)
		}
	}

	// An order expires at its time_expire on the virtual clock (§2.5).
	expire := e.clock.Now().Add(10 * time.Minute).In(payment.CST).Format(time.RFC3339)
	if rsp, body := e.wx(m, "POST", "/v3/pay/transactions/native", order("native", "WIRE-EXP", `,"time_expire":"`+expire+`"`), now, nil); rsp.StatusCode != 200 {
		t.Fatalf("native with time_expire: %d %s", rsp.StatusCode, body)
	}
	e.clock.Advance(11 * time.Minute)
	now = e.clock.Now().Unix()
	if rsp, body := e.wx(m, "GET", "/v3/pay/transactions/out-trade-no/WIRE-EXP?mchid="+m.MchID, "", now, nil); !strings.Contains(body, `"trade_state":"CLOSED"`) {
		t.Errorf("after time_expire: %d %s", rsp.StatusCode, body)
	}
	if code := e.api("POST", "/apps/"+m.MchID+"/orders/WIRE-EXP/pay", nil, nil); code < 400 {
		t.Errorf("an expired order was paid: %d", code)
	}

	// A time_expire up to 90 days ahead is taken, yet the order closes
	// unpaid after 7 days (§2.5); past 90 days it is a PARAM_ERROR.
	far := e.clock.Now().Add(30 * 24 * time.Hour).In(payment.CST).Format(time.RFC3339)
	if rsp, body := e.wx(m, "POST", "/v3/pay/transactions/native", order("native", "WIRE-FAR", `,"time_expire":"`+far+`"`), now, nil); rsp.StatusCode != 200 {
		t.Fatalf("native with time_expire 30 days ahead: %d %s", rsp.StatusCode, body)
	}
	tooFar := e.clock.Now().Add(91 * 24 * time.Hour).In(payment.CST).Format(time.RFC3339)
	if rsp, body := e.wx(m, "POST", "/v3/pay/transactions/native", order("native", "WIRE-TOOFAR", `,"time_expire":"`+tooFar+`"`), now, nil); rsp.StatusCode != 400 || !strings.Contains(body, `"code":"PARAM_ERROR"`) {
		t.Errorf("time_expire 91 days ahead: %d %s", rsp.StatusCode, body)
	}
	e.clock.Advance(7*24*time.Hour + time.Minute)
	now = e.clock.Now().Unix()
	if rsp, body := e.wx(m, "GET", "/v3/pay/transactions/out-trade-no/WIRE-FAR?mchid="+m.MchID, "", now, nil); !strings.Contains(body, `"trade_state":"CLOSED"`) {
		t.Errorf("7 days after ordering with a later time_expire: %d %s", rsp.StatusCode, body)
	}

	// H5: the h5_url opens the cashier for 5 minutes of virtual time.
	rsp, body = e.wx(m, "POST", "/v3/pay/transactions/h5", order("h5", "WIRE-H5", `,"scene_info":{"payer_client_ip":"127.0.0.1","h5_info":{"type":"Wap"}}`), now, nil)
	var h5 struct {
		H5URL string `json:"h5_url"`
	}
	if json.Unmarshal([]byte(body), &h5); rsp.StatusCode != 200 || !strings.HasPrefix(h5.H5URL, e.app.URL+"/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=wx") {
		t.Fatalf("h5: %d %s", rsp.StatusCode, body)
	}
	if r, _ := e.get(h5.H5URL); !strings.HasPrefix(r.Header.Get("Location"), "/cashier/trade/") {
		t.Errorf("h5_url landed on %s", r.Header.Get("Location"))
	}
	e.clock.Advance(6 * time.Minute)
	if r, page := e.get(h5.H5URL); strings.HasPrefix(r.Header.Get("Location"), "/cashier/trade/") || !strings.Contains(page, "INVALID_REQUEST") {
		t.Errorf("h5_url after 6 minutes: %s", r.Request.URL)
	}

	// JSAPI: the page playing the WeChat client checks paySign (§2.9).
	now = e.clock.Now().Unix()
	rsp, body = e.wx(m, "POST", "/v3/pay/transactions/jsapi", order("jsapi", "WIRE-JS", `,"payer":{"openid":"oUser"}`), now, nil)
	var js struct {
		PrepayID string `json:"prepay_id"`
	}
	json.Unmarshal([]byte(body), &js)
	key, _ := sign.ParsePrivateKey(m.PrivateKey)
	ts, nonce, pkg := strconv.FormatInt(now, 10), "abc", "prepay_id="+js.PrepayID
	paySign, _ := sign.SignRSA(key, sign.RSA2, []byte(m.AppID+"\n"+ts+"\n"+nonce+"\n"+pkg+"\n"))
	q := url.Values{"appId": {m.AppID}, "timeStamp": {ts}, "nonceStr": {nonce}, "package": {pkg}, "signType": {"RSA"}, "paySign": {paySign}}
	if r, _ := e.get(e.app.URL + "/wxpay/jsapi?" + q.Encode()); !strings.HasPrefix(r.Header.Get("Location"), "/cashier/trade/") {
		t.Errorf("jsapi with a good paySign landed on %s", r.Header.Get("Location"))
	}
	q.Set("nonceStr", "other")
	if r, page := e.get(e.app.URL + "/wxpay/jsapi?" + q.Encode()); strings.HasPrefix(r.Header.Get("Location"), "/cashier/trade/") || !strings.Contains(page, "SIGN_ERROR") {
		t.Errorf("jsapi with a bad paySign landed on %s", r.Header.Get("Location"))
	}
}

// TestWechatpayV3Notification: TRANSACTION.SUCCESS encrypted with the APIv3
// key, signed with a fresh nonce on every attempt, the same id on the
// retry 15 s later (§3), acknowledged by 204 (§2.8).
func TestWechatpayV3Notification(t *testing.T) {
	e := newEnv(t)
	m := e.wxMerchant("public_key")
	type got struct {
		h    http.Header
		body string
	}
	seen := make(chan got, 10)
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		seen <- got{r.Header.Clone(), string(b)}
		n++
		if n == 1 {
			w.WriteHeader(500)
			return
		}
		w.WriteHeader(204)
	}))
	defer srv.Close()
	now := e.clock.Now().Unix()
	body := `{"appid":"` + m.AppID + `","mchid":"` + m.MchID + `","description":"notify","out_trade_no":"WIRE-N1","notify_url":"` + srv.URL + `/wx","amount":{"total":88}}`
	if rsp, b := e.wx(m, "POST", "/v3/pay/transactions/app", body, now, nil); rsp.StatusCode != 200 {
		t.Fatalf("app: %d %s", rsp.StatusCode, b)
	}
	if code := e.api("POST", "/apps/"+m.MchID+"/orders/WIRE-N1/pay", nil, nil); code != 200 {
		t.Fatalf("pay: %d", code)
	}
	first := <-seen
	verifyWx(t, m, first.h, first.body)
	var env struct {
		ID        string `json:"id"`
		EventType string `json:"event_type"`
		Resource  struct {
			Ciphertext, AssociatedData, Nonce, OriginalType string
		} `json:"resource"`
	}
	if err := json.Unmarshal([]byte(first.body), &env); err != nil || env.EventType != "TRANSACTION.SUCCESS" {
		t.Fatalf("envelope: %v %s", err, first.body)
	}
	var res struct {
		Ciphertext     string `json:"ciphertext"`
		AssociatedData string `json:"associated_data"`
		Nonce          string `json:"nonce"`
		OriginalType   string `json:"original_type"`
	}
	var raw map[string]json.RawMessage
	json.Unmarshal([]byte(first.body), &raw)
	json.Unmarshal(raw["resource"], &res)
	block, _ := aes.NewCipher([]byte(m.APIv3Key))
	gcm, _ := cipher.NewGCM(block)
	ct, _ := base64.StdEncoding.DecodeString(res.Ciphertext)
	plain, err := gcm.Open(nil, []byte(res.Nonce), ct, []byte(res.AssociatedData))
	if err != nil || res.AssociatedData != "transaction" || res.OriginalType != "transaction" || !bytes.Contains(plain, []byte(`"trade_state":"SUCCESS"`)) {
		t.Fatalf("resource: %v %+v %s", err, res, plain)
	}
	// The control API shows the decrypted resource beside the wire body.
	var ns []map[string]any
	e.api("GET", "/notifications?app_id="+m.MchID, nil, &ns)
	if len(ns) == 0 || ns[0]["event_type"] != "TRANSACTION.SUCCESS" || !strings.Contains(fmt.Sprint(ns[0]["payload"]), `"out_trade_no":"WIRE-N1"`) {
		t.Errorf("notifications in the control API: %v", ns)
	}
	e.clock.Advance(15 * time.Second)
	e.settle()
	var second got
	select {
	case second = <-seen:
	case <-time.After(5 * time.Second):
		t.Fatal("no retry 15 s after a refused attempt")
	}
	verifyWx(t, m, second.h, second.body)
	var env2 struct {
		ID string `json:"id"`
	}
	json.Unmarshal([]byte(second.body), &env2)
	if env2.ID != env.ID || second.h.Get("Wechatpay-Nonce") == first.h.Get("Wechatpay-Nonce") {
		t.Errorf("retry: id %s vs %s, nonce %s vs %s", env2.ID, env.ID, second.h.Get("Wechatpay-Nonce"), first.h.Get("Wechatpay-Nonce"))
	}
}

// TestWechatpayCreateMerchant: POST /_mockpay/api/apps with protocol
// wechatpay makes a merchant of either mode, whose keys work at once and
// whose serials have the shape of P-V3-3.
func TestWechatpayCreateMerchant(t *testing.T) {
	e := newEnv(t)
	serial := regexp.MustCompile(`^[1-7][0-9A-F]{39}$`)
	for _, mode := range []string{"certificate", "public_key"} {
		var a map[string]string
		if code := e.api("POST", "/apps", map[string]string{"protocol": "wechatpay", "key_mode": mode, "name": "created " + mode}, &a); code != 201 {
			t.Fatalf("create %s: %d %v", mode, code, a)
		}
		if a["protocol"] != "wechatpay" || a["app_id"] != a["mch_id"] || a["platform_key_mode"] != mode || len(a["apiv3_key"]) != 32 ||
			len(a["apiv2_key"]) != 32 || !regexp.MustCompile(`^wx[0-9a-f]{16}$`).MatchString(a["appid"]) || !serial.MatchString(a["merchant_serial_no"]) ||
			!strings.Contains(a["merchant_private_key_pem"], "BEGIN PRIVATE KEY") || a["api_base_url"] != e.app.URL {
			t.Errorf("created %s: %v", mode, a)
		}
		if mode == "certificate" && !serial.MatchString(a["platform_serial_no"]) || mode == "public_key" && !strings.HasPrefix(a["platform_public_key_id"], "PUB_KEY_ID_") {
			t.Errorf("platform key of %s: %v", mode, a)
		}
		m := wxMerchant{a["mch_id"], a["appid"], a["apiv3_key"], a["merchant_serial_no"], a["merchant_private_key_pem"],
			a["platform_serial_no"] + a["platform_public_key_id"], a["platform_certificate_pem"] + a["platform_public_key_pem"]}
		rsp, body := e.wx(m, "GET", "/v3/certificates", "", e.clock.Now().Unix(), nil)
		switch {
		case mode == "certificate" && (rsp.StatusCode != 200 || !strings.Contains(body, `"serial_no":"`+m.PlatformSerial+`"`)):
			t.Errorf("certificates of a certificate-mode merchant: %d %s", rsp.StatusCode, body)
		case mode == "public_key" && (rsp.StatusCode != 404 || !strings.Contains(body, "RESOURCE_NOT_EXISTS")):
			t.Errorf("certificates of a public-key merchant: %d %s", rsp.StatusCode, body)
		}
		if rsp.StatusCode == 200 {
			verifyWx(t, m, rsp.Header, body)
		}
	}
}

// TestWechatpayFinishIsQuiet: a year after payment the trade's refund
// window ends without a notification — WeChat Pay notifies payments and
// refunds only (§2.8) — and refunds are refused.
func TestWechatpayFinishIsQuiet(t *testing.T) {
	e := newEnv(t)
	m := e.wxMerchant("certificate")
	got := make(chan string, 10)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- string(b)
		w.WriteHeader(204)
	}))
	defer srv.Close()
	body := `{"appid":"` + m.AppID + `","mchid":"` + m.MchID + `","description":"year","out_trade_no":"WIRE-YEAR","notify_url":"` + srv.URL + `/wx","amount":{"total":5}}`
	if rsp, b := e.wx(m, "POST", "/v3/pay/transactions/native", body, e.clock.Now().Unix(), nil); rsp.StatusCode != 200 {
		t.Fatalf("native: %d %s", rsp.StatusCode, b)
	}
	e.api("POST", "/apps/"+m.MchID+"/orders/WIRE-YEAR/pay", nil, nil)
	<-got
	e.clock.Advance(366 * 24 * time.Hour)
	e.settle()
	select {
	case b := <-got:
		t.Errorf("a notification after the refund window ended: %s", b)
	case <-time.After(500 * time.Millisecond):
	}
	refund := `{"out_trade_no":"WIRE-YEAR","out_refund_no":"R-YEAR","amount":{"refund":1,"total":5,"currency":"CNY"}}`
	if rsp, b := e.wx(m, "POST", "/v3/refund/domestic/refunds", refund, e.clock.Now().Unix(), nil); rsp.StatusCode != 400 || !strings.Contains(b, "INVALID_REQUEST") {
		t.Errorf("refund after a year: %d %s", rsp.StatusCode, b)
	}
}

// TestWechatpayJournal: a request whose signature does not verify is in the
// request journal as SIGN_ERROR with the five lines mockpay verified, and
// a bad paySign on the JSAPI page as refused; no key is journaled.
func TestWechatpayJournal(t *testing.T) {
	e := newEnv(t)
	m, other := e.wxMerchant("certificate"), e.wxMerchant("public_key")
	bad := m
	bad.PrivateKey = other.PrivateKey
	now := e.clock.Now().Unix()
	e.wx(bad, "GET", "/v3/pay/transactions/out-trade-no/JOURNAL-1?mchid="+m.MchID, "", now, nil)
	e.get(e.app.URL + "/wxpay/jsapi?package=prepay_id%3Dwx1&paySign=x&signType=RSA")
	var got controlapi.Requests
	e.api("GET", "/requests?app="+m.MchID, nil, &got)
	// METHOD, TARGET, TIMESTAMP, NONCE and the empty body, each ending in \n.
	head := "GET\n/v3/pay/transactions/out-trade-no/JOURNAL-1?mchid=" + m.MchID + "\n" + strconv.FormatInt(now, 10) + "\nn0nce"
	if len(got.Requests) != 1 || got.Requests[0].Verdict != "rejected" || got.Requests[0].Code != "SIGN_ERROR" || got.Requests[0].Diagnosis == nil ||
		!strings.HasPrefix(got.Requests[0].Diagnosis.Canonical, head) || !strings.HasSuffix(got.Requests[0].Diagnosis.Canonical, "\n\n") {
		b, _ := json.Marshal(got)
		t.Errorf("journal of a bad signature: %s", b)
	}
	var all controlapi.Requests
	e.api("GET", "/requests?verdict=rejected", nil, &all)
	found := false
	for _, r := range all.Requests {
		found = found || r.Code == "INVALID_REQUEST" && strings.Contains(r.Method, "/wxpay/jsapi")
	}
	if !found {
		b, _ := json.Marshal(all)
		t.Errorf("the JSAPI page's refusal is not journaled: %s", b)
	}
	_, raw := e.get(e.app.URL + "/_mockpay/api/requests")
	if strings.Contains(raw, pemBody(m.PrivateKey)) || strings.Contains(raw, pemBody(other.PrivateKey)) || strings.Contains(raw, m.APIv3Key) {
		t.Error("the journal holds a merchant key")
	}
}

// TestWechatpayDashboardApps: the dashboard's apps page shows the WeChat
// Pay merchants with their ids and keys, as the apps API names them.
func TestWechatpayDashboardApps(t *testing.T) {
	e := newEnv(t)
	m := e.wxMerchant("public_key")
	_, page := e.get(e.app.URL + "/_mockpay/apps")
	for _, want := range []string{`id="app-1900000101"`, `id="app-1900000102"`, "<dt>platform_public_key_id</dt><dd><code>" + m.PlatformSerial + "</code>",
		"<dt>apiv3_key</dt><dd><code>" + m.APIv3Key + "</code>", "merchant_private_key_pem", "platform_certificate_pem"} {
		if !strings.Contains(page, want) {
			t.Errorf("the apps page lacks %q", want)
		}
	}
}
